"""`remitctl evidence` at a year of a large force: 1,000,000 rows, against v0.2 in the same run.

    .venv/bin/python benchmarks/evidence_scale.py            # 1,000,000 rows, best of 2
    .venv/bin/python benchmarks/evidence_scale.py --rows 200000 --repeat 1

The rows are written once by benchmarks/incidents.py (with v0.2's bundled registry, which
both versions read: v0.2 cannot read today's). v0.2 (commit 44bf544) is taken from this
repository's history with `git archive`; each version runs as a fresh process, and its
wall time and peak RSS are those of that process (os.wait4). Also measured, today only as
the issue asks: the same rows with 80% rejected, read with `-f json` (rejected rows are
counted and sampled, not kept), and a single 500 MB CSV line (refused as it is read).
Targets: <= 10 s and <= 500 MB, and at least 2x faster than v0.2.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
V02 = "44bf544"
COLUMNS = ["--column", "ref=Incident Ref", "--column", "time=Created Date",
           "--column", "issue=Incident Type", "--column", "area=Beat Area",
           "--column", "minutes=Officer Minutes"]
TARGET_S, TARGET_MB, TARGET_RATIO = 10.0, 500.0, 2.0


def _v02(work: Path) -> Path:
    """v0.2's source tree, from git history."""
    tree = work / "v02"
    tree.mkdir()
    archive = work / "v02.tar"
    with archive.open("wb") as fh:
        subprocess.run(["git", "-C", str(ROOT), "archive", V02], stdout=fh, check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(tree, filter="data")
    return tree


TREE: dict[str, float] = {}  # label → the largest sampled RSS of a run's processes together


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _tree_kb(pid: int) -> int:
    """RSS of `pid` and its children (today's evidence reads a large file in two)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            children = [int(c) for c in fh.read().split()]
    except OSError:
        children = []
    return _rss_kb(pid) + sum(_rss_kb(c) for c in children)


def measure(src: Path, args: list[str], cwd: Path) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB, exit code) of `remitctl ARGS` with `src` on the path.
    Peak RSS is the kernel's, of the largest process; TREE keeps the sampled peak of all of
    them together (counting pages a forked child shares twice: an upper bound)."""
    import threading

    env = {**os.environ, "PYTHONPATH": str(src), "NO_COLOR": "1",
           "XDG_CACHE_HOME": str(cwd / f"cache-{src.parent.name}")}
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "remitctl", *args], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.02):
            peak[0] = max(peak[0], _tree_kb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    sampler.join()
    key = f"{src.parent.name}:{' '.join(args[:2])}"
    TREE[key] = max(TREE.get(key, 0.0), peak[0] / 1024)
    return elapsed, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def best(src: Path, args: list[str], cwd: Path, repeat: int) -> tuple[float, float, int]:
    runs = [measure(src, args, cwd) for _ in range(repeat)]
    return min(r[0] for r in runs), max(r[1] for r in runs), runs[-1][2]


def _rejecting(source: Path, out: Path) -> None:
    """The same rows, four in five with an issue no name matches."""
    with source.open(newline="") as fin, out.open("w", newline="") as fout:
        rows, write = csv.reader(fin), csv.writer(fout)
        write.writerow(next(rows))
        for n, row in enumerate(rows):
            if n % 5:
                row[2] = f"UNMAPPED-{n % 997}"
            write.writerow(row)


def _long_line(out: Path, mb: int) -> None:
    with out.open("w") as fh:
        fh.write("time,issue,area\n2026-07-04T10:00,noise,kingsbridge\n2026-07-04T10:01,")
        block = "x" * (1 << 20)
        for _ in range(mb):
            fh.write(block)
        fh.write(",kingsbridge\n2026-07-04T10:02,noise,kingsbridge\n")


def _mark(ok: bool) -> str:
    return "yes" if ok else "**no**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=2, help="runs of each; the best wall")
    parser.add_argument("--long-mb", type=int, default=500, help="the single line's size")
    opts = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="remitctl-evidence-scale-") as tmp:
        work = Path(tmp)
        old = _v02(work)
        registry = old / "remits.yaml"
        incidents = work / "incidents.csv"
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "incidents.py"), "-n",
                        str(opts.rows), "-o", str(incidents), "-r", str(registry),
                        "--year", "2026"], check=True, stdout=subprocess.DEVNULL)
        args = ["evidence", str(incidents), *COLUMNS, "-r", str(registry)]
        versions = {"v0.2": old / "src", "today": ROOT / "src"}
        for src in versions.values():  # the registry's compiled cache, as in daily use
            measure(src, ["who", "noise", "-r", str(registry)], work)
        # Interleaved, so that a busy moment on a shared machine falls on both alike.
        runs: dict[str, list[tuple[float, float, int]]] = {k: [] for k in versions}
        for _ in range(opts.repeat):
            for name, src in versions.items():
                runs[name].append(measure(src, args, work))
        wall = {k: min(r[0] for r in v) for k, v in runs.items()}
        peak = {k: max(r[1] for r in v) for k, v in runs.items()}
        codes = {k: v[-1][2] for k, v in runs.items()}
        ratio = wall["v0.2"] / wall["today"]
        rejecting = work / "rejecting.csv"
        _rejecting(incidents, rejecting)
        rej = best(ROOT / "src", ["evidence", str(rejecting), *COLUMNS, "-r", str(registry),
                                  "-f", "json"], work, 1)
        long_csv = work / "long.csv"
        _long_line(long_csv, opts.long_mb)
        long = best(ROOT / "src", ["evidence", str(long_csv), "-r", str(registry), "-a",
                                   "kingsbridge", "-f", "json"], work, 1)
    rows = f"{opts.rows:,}"
    print(f"### `remitctl evidence`, {rows} incidents of a year (best of {opts.repeat})\n")
    print("| case | wall | peak RSS | exit | targets met |")
    print("|---|---:|---:|---:|---|")
    print(f"| v0.2 ({V02}), {rows} rows | {wall['v0.2']:.2f} s | {peak['v0.2']:.0f} MB | "
          f"{codes['v0.2']} | (the baseline) |")
    print(f"| today, {rows} rows | {wall['today']:.2f} s | {peak['today']:.0f} MB | "
          f"{codes['today']} | <= {TARGET_S:g} s: {_mark(wall['today'] <= TARGET_S)}; "
          f"<= {TARGET_MB:g} MB: {_mark(peak['today'] <= TARGET_MB)} |")
    print(f"| today, {rows} rows, 80% rejected, `-f json` | {rej[0]:.2f} s | {rej[1]:.0f} MB "
          f"| {rej[2]} | <= {TARGET_MB:g} MB: {_mark(rej[1] <= TARGET_MB)} |")
    print(f"| today, one {opts.long_mb} MB CSV line | {long[0]:.2f} s | {long[1]:.0f} MB | "
          f"{long[2]} | <= {TARGET_MB:g} MB: {_mark(long[1] <= TARGET_MB)} |")
    print(f"\nv0.2 / today: **{ratio:.2f}x** (target >= {TARGET_RATIO:g}x: "
          f"{_mark(ratio >= TARGET_RATIO)})")
    tree = TREE.get(f"{ROOT.name}:evidence {incidents}", 0.0)
    print(f"\nToday's processes together (with two processors a file this large is read in "
          f"two at once) peaked at about {tree:.0f} MB, sampled every 20 ms, pages they share "
          "counted twice.")
    return 0 if codes["today"] == 0 and rej[2] == 0 and long[2] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
