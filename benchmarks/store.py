"""The log store at a force's volume: 100,000 records written by 8 concurrent writers, then
read back by `remitctl evidence --db`, on SQLite and on a real PostgreSQL server.

    .venv/bin/python benchmarks/store.py               # both engines
    .venv/bin/python benchmarks/store.py --records 20000 --engine sqlite

PostgreSQL is a throwaway socket-only server started from Debian's binaries (as the
postgres user when run as root), the same one the tests use (tests/pgserver.py); it is
stopped at the end. Each writer is its own process appending one record per transaction,
as officers' `remitctl log` calls do; the read is the real command as a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

WRITER = """
import datetime as dt, sys
from remitctl.evidence import store
db = store.connect(sys.argv[1])
start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
issues = ["noise-nuisance", "stray-dogs", "mental-health-crisis", "highways"]
w, n = sys.argv[2], int(sys.argv[3])
for k in range(n):
    store.append(db, at=start + dt.timedelta(minutes=37 * k + int(w[1:])),
                 issue=issues[k % 4], area="kingsbridge", minutes=15 + k % 45,
                 ref=f"{w}-{k}", note=None, status="uncovered", service=None,
                 registry_name="bench", registry_sha256="0" * 64)
db.close()
"""


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT / "src"), "NO_COLOR": "1"}


def run(target: str, records: int, writers: int, work: Path) -> dict[str, float]:
    each = records // writers
    t0 = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, target, f"w{w}", str(each)],
                              env=_env()) for w in range(writers)]
    codes = [p.wait() for p in procs]
    write_s = time.perf_counter() - t0
    if any(codes):
        raise SystemExit(f"a writer failed: {codes}")
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "remitctl", "evidence", "--db", target,
                          "-r", str(ROOT / "remits.yaml"), "-f", "json", "--no-cache"],
                         capture_output=True, text=True, env=_env(), cwd=work)
    read_s = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if out.returncode != 0:
        raise SystemExit(f"evidence failed ({out.returncode}): {out.stderr[-400:]}")
    doc = json.loads(out.stdout)
    verify = subprocess.run([sys.executable, "-m", "remitctl", "log", "--verify", "--db",
                             target], capture_output=True, text=True, env=_env(), cwd=work)
    return {"records": doc["totals"]["incidents"], "write_s": write_s,
            "records_per_s": each * writers / write_s, "read_s": read_s, "peak_mb": peak,
            "intact": verify.returncode == 0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--engine", choices=("sqlite", "postgresql", "both"), default="both")
    args = parser.parse_args(argv)
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="remitctl-store-bench-") as tmp:
        work = Path(tmp)
        os.chmod(work, 0o700)
        if args.engine in ("sqlite", "both"):
            results["SQLite"] = run(str(work / "log.sqlite3"), args.records, args.writers,
                                    work)
        if args.engine in ("postgresql", "both"):
            import pgserver
            from remitctl.store import init_db

            server = work / "pg"
            url = pgserver.start(server)
            try:
                init_db(url).close()
                results["PostgreSQL"] = run(url, args.records, args.writers, work)
            finally:
                pgserver.stop(server)
    for engine, r in results.items():
        print(f"{engine:<11} {r['records']:>8,.0f} records by {args.writers} writers in "
              f"{r['write_s']:6.1f} s ({r['records_per_s']:,.0f}/s); evidence --db read them "
              f"in {r['read_s']:5.1f} s; peak child RSS {r['peak_mb']:.0f} MB; "
              f"verify {'intact' if r['intact'] else 'BROKEN'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
