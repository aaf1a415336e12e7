"""Time the real `remitctl` command, as a fresh process, on the bundled and a national registry.

    make bench                      # or: .venv/bin/python benchmarks/run.py
    python benchmarks/run.py --runs 5 --no-readme

Every case runs several times, round-robin with the floor (`python -c pass` and an
empty Typer app), so that a busy machine slows all of them alike: read the figures
as multiples of the floor. "first run" starts with an empty cache directory (the
registry is read, validated and cached); "repeat" runs find the cache. Peak memory is
each process's maximum resident set size. Commands that do not exist yet (`validate`,
`gaps` before those branches merge) are reported as not available.

The results, the targets and the machine are written into README.md between
`<!-- bench:start -->` and `<!-- bench:end -->`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import places  # noqa: E402
from closures import with_long_closure  # noqa: E402
from generate import NATIONAL, generate  # noqa: E402
from incidents import COLUMNS as INCIDENT_COLUMNS  # noqa: E402

BUNDLED = ROOT / "remits.yaml"
README = ROOT / "README.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
AT = "2026-11-28T23:30"  # a Saturday night: out-of-hours lines, fallbacks, a bank-holiday month
MAX_MB = 300  # peak memory target for every case (unless the case says otherwise)
INCIDENTS = 1_000_000  # rows of the evidence case: a large force's year
EMPTY_TYPER_APP = """\
import typer
app = typer.Typer()
@app.command()
def main() -> None:
    pass
app()
"""


@dataclass
class Case:
    name: str
    args: list[str]  # after `remitctl`; {national} and {area} are filled in
    group: str  # what `now` is compared with, and the README's grouping
    target_ms: float | None = None
    cold: bool = False  # empty the cache before every run
    slow: bool = False  # fewer runs
    needs: str | None = None  # a command that may not exist yet
    ok_codes: tuple[int, ...] = (0,)
    max_mb: float = MAX_MB
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peaks: list[int] = field(default_factory=list)  # KiB
    skipped: str | None = None
    failed: str | None = None

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000

    @property
    def peak_mb(self) -> float:
        return max(self.peaks) / 1024


def cases() -> list[Case]:
    n_areas = NATIONAL[0]
    return [
        Case("who, bundled, first run", ["who", "barking dog", "--at", AT, "-r", "{bundled}"],
             "bundled", cold=True),
        Case("who, bundled, repeat", ["who", "barking dog", "--at", AT, "-r", "{bundled}"],
             "bundled", target_ms=100),
        Case("who, bundled, plain words (ranked search; no target)",
             ["who", "dog", "bit", "a", "child", "--at", AT, "-r", "{bundled}"], "bundled"),
        Case("who, bundled, by area (-a, against --postcode)", ["who", "stray dog", "--at", AT,
             "-a", "north-moor", "-r", "{bundled}"], "bundled"),
        Case("who, bundled, by postcode (≤ 10 ms more than -a)", ["who", "stray dog", "--at", AT,
             "--postcode", "LN2 5AB", "--places", "{places}", "-r", "{bundled}"], "bundled"),
        Case("now, bundled, first run", ["now", "--at", AT, "-r", "{bundled}"], "bundled",
             cold=True),
        Case("now, bundled, repeat", ["now", "--at", AT, "-r", "{bundled}"], "bundled"),
        Case("who, national, first run",
             ["who", "barking dog", "--at", AT, "--area", "{area}", "-r", "{national}"],
             "national", cold=True, slow=True),
        Case("who, national, repeat",
             ["who", "barking dog", "--at", AT, "--area", "{area}", "-r", "{national}"],
             "national", target_ms=150),
        Case("who, national, plain words (ranked search; no target)",
             ["who", "barking", "dogs", "at", "night", "--at", AT, "--area", "{area}", "-r",
              "{national}"], "national"),
        Case("now, national, first run", ["now", "--at", AT, "--area", "{area}", "-r",
                                          "{national}"], "national", cold=True, slow=True),
        Case("now, national, repeat", ["now", "--at", AT, "--area", "{area}", "-r",
                                       "{national}"], "national"),
        Case(f"who, national, every area ({n_areas} answers; no target)",
             ["who", "barking dog", "--at", AT, "-r", "{national}"], "extra", slow=True),
        Case("validate, national", ["validate", "{national}"], "admin", target_ms=3000,
             slow=True, needs="validate", ok_codes=(0, 1)),
        Case("validate, national + one 1900-2199 agency closure (target: as without it)",
             ["validate", "{long}"], "admin", target_ms=3000, slow=True, needs="validate",
             ok_codes=(0, 1)),
        Case("diff, national, one office-hours pattern changed (no target)",
             ["diff", "{national}", "{changed}"], "admin", slow=True, needs="diff",
             ok_codes=(0, 1)),
        Case("gaps, one area, one week, national",
             ["gaps", "--area", "{area}", "{week}", "-r", "{national}"],
             "admin", target_ms=300, needs="gaps", ok_codes=(0, 1)),
        Case("gaps, every area, one year, national", ["gaps", "{year}", "-r", "{national}"],
             "admin", target_ms=10_000, slow=True, needs="gaps", ok_codes=(0, 1)),
        Case(f"evidence, {INCIDENTS:,} incidents of a year, bundled",
             ["evidence", "{incidents}", *INCIDENT_COLUMNS, "-r", "{bundled}"], "admin",
             target_ms=10_000, slow=True, needs="evidence", max_mb=500),
    ]


# How `gaps` is asked for a window depends on the options it ended up with.
GAPS_WINDOWS = (
    ("--from", "--days", "--from 2026-11-23 --days 7", "--from 2026-01-01 --days 365"),
    ("--from", "--to", "--from 2026-11-23 --to 2026-11-29", "--from 2026-01-01 --to 2026-12-31"),
)


class Bench:
    def __init__(self, work: Path) -> None:
        self.work = work
        self.warm = work / "cache-warm"  # shared by the repeat cases, filled before timing
        self.cold = work / "cache-cold"  # emptied before every first run
        self.remitctl = str(Path(sys.executable).with_name("remitctl"))
        self.env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100", "HOME": str(work)}
        # An installed remitctl runs from compiled bytecode: let a development checkout
        # write its own (into src/, ignored by git) even where the shell turns that off.
        for name in ("REMITCTL_REGISTRY", "REMITCTL_AREA", "REMITCTL_NO_CACHE",
                     "PYTHONDONTWRITEBYTECODE"):
            self.env.pop(name, None)

    def run(self, argv: list[str], cold: bool = False) -> tuple[float, float, int, int, str]:
        """Wall time, CPU time, peak RSS (KiB), exit code and stderr of one fresh process."""
        if cold:
            shutil.rmtree(self.cold, ignore_errors=True)
        env = {**self.env, "XDG_CACHE_HOME": str(self.cold if cold else self.warm)}
        with tempfile.TemporaryFile() as err:
            start = time.perf_counter()
            proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=err, env=env,
                                    cwd=self.work)
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            proc.returncode = os.waitstatus_to_exitcode(status)
            err.seek(0)
            return (elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, proc.returncode,
                    err.read().decode(errors="replace"))

    def has_command(self, name: str) -> bool:
        return self.run([self.remitctl, name, "--help"])[3] == 0

    def help_text(self, name: str) -> str:
        out = subprocess.run([self.remitctl, name, "--help"], capture_output=True, text=True,
                             env={**self.env, "COLUMNS": "200", "XDG_CACHE_HOME": str(self.warm)},
                             check=False)
        return out.stdout


def _first_two_tier_area(text: str) -> str:
    """An area in a two-tier county: its answers draw on two councils."""
    area = None
    for line in text.splitlines():
        if line.startswith("  ") and not line.startswith("   ") and line.endswith(":"):
            area = line.strip()[:-1]
        elif area and "District (" in line:
            return area
        elif line.startswith("agencies:"):
            break
    raise SystemExit("benchmarks: the generated registry has no two-tier area")


def measure(runs: int, slow_runs: int, only: str | None) -> tuple[list[Case], dict[str, object]]:
    work = Path(tempfile.mkdtemp(prefix="remitctl-bench-"))
    try:
        bench = Bench(work)
        national = work / "national.yaml"
        text = generate(*NATIONAL)
        national.write_text(text, encoding="utf-8")
        changed = work / "changed.yaml"  # a reviewer's change: one shared pattern of hours
        changed.write_text(text.replace('"Mo-Fr 09:00-17:00"', '"Mo-Fr 09:00-16:00"'),
                           encoding="utf-8")
        long = work / "long-closure.yaml"
        long.write_text(with_long_closure(text), encoding="utf-8")
        fill = {"bundled": str(BUNDLED), "national": str(national), "changed": str(changed),
                "area": _first_two_tier_area(text), "long": str(long),
                "places": places.prepare(work, bench.remitctl, bench.env)}
        all_cases = [c for c in cases() if only is None or only in c.name]
        if any("{incidents}" in c.args for c in all_cases):
            incidents = work / "incidents.csv"
            # In a process of its own: a child forked from a parent that had built a million
            # rows in memory would report the parent's pages as its own peak memory.
            subprocess.run([sys.executable, str(Path(__file__).with_name("incidents.py")),
                            "-n", str(INCIDENTS), "-o", str(incidents), "-r", str(BUNDLED),
                            "--year", "2026"], check=True)
            fill["incidents"] = str(incidents)
        for case in all_cases:
            if case.needs and not bench.has_command(case.needs):
                case.skipped = f"not available: no `remitctl {case.needs}` command in this build"
        if any(c.needs == "gaps" and not c.skipped for c in all_cases):
            help_text = bench.help_text("gaps")
            window = next((w for w in GAPS_WINDOWS if w[0] in help_text and w[1] in help_text),
                          None)
            for case in all_cases:
                if case.needs == "gaps" and window is None:
                    case.skipped = ("not available: cannot tell how `gaps` takes a window; "
                                    "add its options to GAPS_WINDOWS in benchmarks/run.py")
            if window is not None:
                fill["week"], fill["year"] = window[2], window[3]
        floors = {"python -c pass": [sys.executable, "-c", "pass"],
                  "empty Typer app": [sys.executable, str(work / "empty_app.py")]}
        (work / "empty_app.py").write_text(EMPTY_TYPER_APP, encoding="utf-8")
        floor_times: dict[str, list[float]] = {name: [] for name in floors}
        live = [c for c in all_cases if not c.skipped]

        def argv(case: Case) -> list[str]:
            out = [bench.remitctl]
            for arg in case.args:  # {week} and {year} stand for several arguments
                out += fill[arg[1:-1]].split() if arg in ("{week}", "{year}") else [
                    arg.format(**fill)]
            return out

        # Untimed: byte-compile, warm the disk cache and fill the repeat cases' cache (the
        # slow cases use the modules and the cache entries the others warm up).
        for case in live:
            if not case.slow:
                bench.run(argv(case), cold=case.cold)
        for round_ in range(runs):
            for name, floor in floors.items():
                floor_times[name].append(bench.run(floor)[0])
            for case in live:
                if case.failed or (case.slow and round_ >= slow_runs):
                    continue
                elapsed, cpu, peak, code, err = bench.run(argv(case), cold=case.cold)
                if code not in case.ok_codes:
                    last = err.strip().splitlines()[-1] if err.strip() else ""
                    case.failed = f"exit {code}: {last.replace('|', '/')}"
                    continue
                case.times.append(elapsed)
                case.cpu.append(cpu)
                case.peaks.append(peak)
        floor_ms = {name: statistics.median(t) * 1000 for name, t in floor_times.items()}
        return all_cases, {"floors": floor_ms, "runs": runs, "slow_runs": slow_runs,
                           "area": fill["area"]}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}")


FLOOR_TARGETS = {"who,": 2.0, "now,": 2.4}  # × the empty Typer app, for the repeat lookups
# Issue 20: a lookup costs the same whatever the registry's size.
BUNDLED_WHO_MOST, NATIONAL_WHO_MOST = 1.8, 1.5  # × Typer; × the bundled who, same run


def _verdict(case: Case, ratio_to: dict[str, Case], typer_ms: float | None = None) -> str:
    def said(met: bool) -> str:
        return "met" if met else "**NOT met**"

    parts = []
    for prefix, most in FLOOR_TARGETS.items():
        if (typer_ms and case.name.startswith(prefix) and case.name.endswith("repeat")
                and case.times):
            ratio = case.median_ms / typer_ms
            parts.append(f"≤ {most:g} × Typer: {said(ratio <= most)} ({ratio:.2f}×)")
    if case.target_ms is not None:
        parts.append(f"≤ {case.target_ms:g} ms: {said(case.median_ms <= case.target_ms)}")
    bundled = ratio_to.get("bundled")
    if case.name == "who, bundled, repeat" and typer_ms and case.times:
        ratio = case.median_ms / typer_ms
        parts.append(f"issue 20: ≤ {BUNDLED_WHO_MOST:g} × Typer: "
                     f"{said(ratio <= BUNDLED_WHO_MOST)} ({ratio:.2f}×)")
    if case.name == "who, national, repeat" and bundled and bundled.times and case.times:
        ratio = case.median_ms / bundled.median_ms
        parts.append(f"issue 20: ≤ {NATIONAL_WHO_MOST:g} × bundled who: "
                     f"{said(ratio <= NATIONAL_WHO_MOST)} ({ratio:.2f}×)")
    who = ratio_to.get(case.group)
    if case.name.startswith("now,") and "repeat" in case.name and who and who.times:
        ratio = case.median_ms / who.median_ms
        parts.append(f"≤ 1.2 × who: {said(ratio <= 1.2)} ({ratio:.2f}×)")
    if case.peak_mb > case.max_mb:
        parts.append(f"≤ {case.max_mb:g} MB: {said(False)}")
    elif case.max_mb != MAX_MB:
        parts.append(f"≤ {case.max_mb:g} MB: met")
    return "; ".join(parts)


def table(results: list[Case], info: dict[str, object]) -> str:
    floors = info["floors"]
    assert isinstance(floors, dict)
    typer_ms = floors["empty Typer app"]
    who_repeat = {c.group: c for c in results if c.name.startswith("who,") and "repeat" in c.name}
    lines = [
        f"- Measured {dt.date.today().isoformat()} on {machine()}.",
        f"- Median wall time of {info['runs']} runs ({info['slow_runs']} for slow cases), "
        "each a fresh process, round-robin with the floor: `python -c pass` "
        f"{floors['python -c pass']:.0f} ms and an empty Typer app {typer_ms:.0f} ms in the "
        "same run. CPU is the process's user + system time, steadier on a busy machine.",
        f"- National: {NATIONAL[0]} areas × {NATIONAL[1]} issue types from "
        f"`benchmarks/generate.py`; lookups use `--area {info['area']}`. First run: empty "
        "cache; repeat: cache filled. Peak memory target ≤ 300 MB for every case but "
        "evidence (≤ 500 MB), whose incidents come from `benchmarks/incidents.py`.",
        "",
        "| case | median | × Typer floor | CPU | peak memory | target |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for case in results:
        if case.skipped or case.failed:
            why = case.skipped or f"failed ({case.failed})"
            target = f"≤ {case.target_ms:g} ms" if case.target_ms else ""
            lines.append(f"| {case.name} | – | – | – | – | {target} {why} |")
            continue
        lines.append(f"| {case.name} | {case.median_ms:,.0f} ms | "
                     f"{case.median_ms / typer_ms:.1f}× | {case.cpu_ms:,.0f} ms | "
                     f"{case.peak_mb:.0f} MB | "
                     f"{_verdict(case, who_repeat, typer_ms)} |")
    return "\n".join(lines)


def write_readme(text: str) -> None:
    readme = README.read_text(encoding="utf-8")
    if START not in readme or END not in readme:
        raise SystemExit(f"benchmarks: README.md has no {START} … {END} markers")
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{text}\n{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="runs per case (default 15)")
    parser.add_argument("--slow-runs", type=int, default=3,
                        help="runs of the slow cases (default 3)")
    parser.add_argument("--only", help="run only the cases whose name contains this")
    parser.add_argument("--no-readme", action="store_true", help="print only; leave README.md")
    args = parser.parse_args(argv)
    if not Path(sys.executable).with_name("remitctl").exists():
        raise SystemExit("benchmarks: run with the Python of remitctl's virtualenv "
                         "(make bench, or .venv/bin/python benchmarks/run.py)")
    results, info = measure(max(1, args.runs), max(1, min(args.slow_runs, args.runs)),
                            args.only)
    text = table(results, info)
    print(text)
    if not args.no_readme and args.only is None:
        write_readme(text)
        print(f"\nwritten to {README.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
