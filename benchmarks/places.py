"""The places load benchmark: a synthetic ONSPD the size of the UK's, loaded by remitctl.

    python benchmarks/places.py                 # 2.7 million rows: load time, peak RSS
    python benchmarks/places.py -n 100000 -o onspd.csv --keep   # just write a file

Rows use the 2026 names and the bundled registry's fictional codes for a few districts
(so --only-registry has something to keep), other districts made up in the real format.
`prepare` gives run.py a small places file for the `-a` against `--postcode` cases.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "data" / "ONSPD_AUG_2026_UK.csv"
HEADER = ["pcd7", "pcd8", "pcds", "dointr", "doterm", "usrtypind", "east1m", "north1m",
          "gridind", "oa21cd", "cty26cd", "ced26cd", "lad26cd", "wd26cd", "nhser24cd",
          "ctry26cd", "rgn25cd", "pcon24cd", "lat", "long"]
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def generate(n: int, path: Path) -> None:
    """n rows, written as they are made (the generator holds one row at a time)."""
    with path.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(HEADER)
        for i in range(n):
            district, sector = divmod(i // 400, 10)
            area = "LN" if i % 50 == 0 else (LETTERS[district // 99 % 20]
                                             + LETTERS[district // 1980 % 20])
            outward = f"{area}{district % 99 + 1}"
            inward = f"{sector}{LETTERS[(i // 20) % 20]}{LETTERS[i % 20]}"
            lad = ("E07000990" if area == "LN" else f"E07{(district % 300) + 1:06d}")
            county = "E10000990" if area == "LN" else "E99999999"
            w.writerow([f"{outward:<4}{inward}", f"{outward:<5}{inward}", f"{outward} {inward}",
                        "198001", "201906" if i % 97 == 0 else "", "0", 400000 + i % 1000,
                        300000 + i % 1000, "1", "", county, "", lad, "", "", "E92000001",
                        "", "", "53.2", "-0.5"])


def prepare(work: Path, remitctl: str, env: dict[str, str]) -> str:
    """A places file from the small sample, for the lookup cases."""
    path = work / "places.sqlite3"
    subprocess.run([remitctl, "places", "load", str(SAMPLE), "--places", str(path)],
                   check=True, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return str(path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=2_700_000)
    ap.add_argument("-o", type=Path, help="write the file here (default: a temporary one)")
    ap.add_argument("--keep", action="store_true", help="only write the file")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="remitctl-places-") as tmp:
        source = args.o or Path(tmp) / "ONSPD_AUG_2026_UK.csv"
        start = time.perf_counter()
        generate(args.n, source)
        print(f"generated {args.n:,} rows in {time.perf_counter() - start:.1f} s "
              f"({source.stat().st_size / 1e6:.0f} MB)")
        if args.keep:
            return 0
        remitctl = str(Path(sys.executable).with_name("remitctl"))
        start = time.perf_counter()
        proc = subprocess.Popen([remitctl, "places", "load", str(source), "--places",
                                 str(Path(tmp) / "places.sqlite3")], stdout=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        assert proc.stdout is not None
        print(proc.stdout.read().decode().splitlines()[0] if status == 0 else "load failed")
        print(f"load: {elapsed:.1f} s, peak RSS {usage.ru_maxrss / 1024:.0f} MB "
              f"(target: one pass within 500 MB), places file "
              f"{(Path(tmp) / 'places.sqlite3').stat().st_size / 1e6:.0f} MB")
        return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main())
