"""Time `remitctl validate` and `remitctl diff` on a synthetic national registry.

Target (issue 4): validate on a 400-area × 60-issue registry in at most 3 s, fast
enough for a pre-commit hook. Run: .venv/bin/python benchmarks/validate_national.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national import national

TARGET_SECONDS = 3.0
BIN = Path(sys.executable).parent / "remitctl"


def best_of(args: list[str], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([str(BIN), *args], capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "national.yaml"
        text = national(400, 60).replace(
            "    fallback: police/control-room\n",
            "    fallback: police/control-room\n    policy:\n      max_gap_hours: 72\n")
        text = text.replace("    policy:\n      max_gap_hours: 72\n" * 2,
                            "    policy:\n      max_gap_hours: 72\n")
        old.write_text(text, encoding="utf-8")
        new = Path(tmp) / "changed.yaml"
        new.write_text(text.replace('"Mo-Fr 09:00-17:00"', '"Mo-Fr 09:00-16:00"'),
                       encoding="utf-8")
        lines = text.count("\n")
        validate = best_of(["validate", str(old)])
        diff = best_of(["diff", str(old), str(new)])
    verdict = "ok" if validate <= TARGET_SECONDS else "TOO SLOW"
    print(f"validate, 400 areas x 60 issue types with policies ({lines} lines): "
          f"{validate:.2f} s (target {TARGET_SECONDS:.0f} s) {verdict}")
    print(f"diff, 400 service lines' hours changed: {diff:.2f} s")
    return 0 if validate <= TARGET_SECONDS else 1


if __name__ == "__main__":
    raise SystemExit(main())
