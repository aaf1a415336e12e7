"""The incident generator writes exports that `evidence` reads, shaped like real demand."""

from __future__ import annotations

import importlib.util
import sys
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
