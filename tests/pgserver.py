"""A throwaway, socket-only PostgreSQL server for the tests, `.ci/run` and the benchmark.

    python tests/pgserver.py start DIR   # prints the superuser's URL
    python tests/pgserver.py stop DIR

As root it runs the server as the `postgres` user (pg_ctl refuses root). Local
connections are trusted, except the role remitctl_pw, which must give its password (the
wrong-password test).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

PORT = 54329


def binaries() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_owner(args: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *args] if os.getuid() == 0 else args


def url(directory: Path, user: str = "postgres", db: str = "postgres") -> str:
    return f"postgresql://{user}@/{db}?host={directory / 'run'}&port={PORT}"


def start(directory: Path) -> str:
    bin_dir = binaries()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL binaries (apt-get install postgresql)")
    data, run = directory / "data", directory / "run"
    directory.mkdir(parents=True, exist_ok=True)
    run.mkdir(exist_ok=True)
    if os.getuid() == 0:  # the server's user must reach it: give DIR's parent traversal
        os.chmod(directory.parent, os.stat(directory.parent).st_mode | 0o711)
        shutil.chown(directory, "postgres")
        shutil.chown(run, "postgres")
    subprocess.run(_as_owner([str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                              "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"]),
                   check=True, capture_output=True, cwd=directory)
    (data / "pg_hba.conf").write_text("local all remitctl_pw scram-sha-256\n"
                                      "local all all trust\n", encoding="utf-8")
    subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                              str(directory / "log"), "-w", "-o",
                              f"-c listen_addresses='' -c unix_socket_directories={run} "
                              f"-p {PORT} -c fsync=off -c max_connections=120", "start"]),
                   check=True, capture_output=True)
    for _ in range(50):
        if (run / f".s.PGSQL.{PORT}").exists():
            break
        time.sleep(0.1)
    return url(directory)


def stop(directory: Path) -> None:
    bin_dir = binaries()
    if bin_dir is not None and (directory / "data" / "postmaster.pid").exists():
        subprocess.run(_as_owner([str(bin_dir / "pg_ctl"), "-D", str(directory / "data"),
                                  "-m", "fast", "-w", "stop"]), capture_output=True, cwd=directory)
    shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    where = Path(sys.argv[2])
    if sys.argv[1] == "start":
        print(start(where))
    else:
        stop(where)
