"""The incident generator writes exports that `evidence` reads, shaped like real demand."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from remitctl.evidence.incidents import Reader, column_map
from remitctl.evidence.judge import judge
from remitctl.registry.loader import load_registry

from conftest import BUNDLED, ROOT


def _module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("remitctl_benchmarks_incidents",
                                                  ROOT / "benchmarks" / "incidents.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_generated_incidents_are_read_with_only_the_planted_faults(tmp_path: Path) -> None:
    gen = _module()
    path = tmp_path / "incidents.csv"
    rows = 5000
    path.write_text(gen.generate(rows, BUNDLED, 2026), encoding="utf-8")
    reg = load_registry(BUNDLED)
    names = [c for c in gen.COLUMNS if c != "--column"]
    reader = Reader(reg, columns=column_map(names))
    reader.read_csv(path)
    out = reader.out
    # Every row is an incident, a repeat of an earlier one, or a planted fault.
    assert len(out) + out.duplicates + out.rejected_count == rows
    assert out.duplicates == len(range(97, rows, 97))
    assert {r.reason.split(" ")[0] + " " + r.reason.split(" ")[1] for r in out.rejected} <= {
        "unknown issue", "impossible date"}
    assert 0 < out.rejected_count < rows // 200
    j = judge(reg, out)
    noise = [g for g in j.groups if g.issue == "noise-nuisance"]
    week = [sum(g.heat_all[h] for g in noise) for h in range(168)]
    saturday_night = sum(week[5 * 24 + 22:5 * 24 + 24])
    tuesday_morning = sum(week[1 * 24 + 8:1 * 24 + 10])
    assert saturday_night > 3 * tuesday_morning


def test_generated_incidents_fall_inside_the_year_asked_for(tmp_path: Path) -> None:
    """`--year 2026` once wrote rows into January 2027 (52 weeks from the first Monday) and
    none into 1-4 January; every row now falls in the year, both ends of it reached."""
    out = tmp_path / "incidents.csv"
    rc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "incidents.py"), "-n",
                         "30000", "-o", str(out), "--year", "2026"], capture_output=True,
                        text=True, check=False)
    assert rc.returncode == 0, rc.stderr
    days: Counter[str] = Counter()
    for line in out.read_text(encoding="utf-8").splitlines()[1:]:
        stamp = line.split(",")[1]
        days[stamp[6:10] + "-" + stamp[3:5] + "-" + stamp[:2]] += 1
    assert {d[:4] for d in days} == {"2026"}
    assert min(days) == "2026-01-01"
    assert max(days) == "2026-12-31"
