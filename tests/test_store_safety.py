# ruff: noqa: F811  (pytest fixtures imported from storefixtures, used as parameters)
"""The SQLite store opened as carefully as the cache, and failures of either engine as one
clear line (exit 2), never a traceback or exit 70."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from storefixtures import pg_admin, pg_url  # noqa: F401 (fixture)

Invoke = Callable[..., object]
ROOT = Path(__file__).resolve().parent.parent


def one_line_error(result: object, *needles: str) -> str:
    assert result.exit_code == 2, result.stdout  # type: ignore[attr-defined]
    lines = result.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert lines and lines[0].startswith("remitctl: "), lines
    assert "Traceback" not in result.stderr  # type: ignore[attr-defined]
    for needle in needles:
        assert needle in lines[0], lines[0]
    return str(lines[0])


def log(invoke: Invoke, mini: Path, db: str | Path) -> object:
    return invoke("log", "noise", "-a", "east", "-r", str(mini), "--db", str(db))


def test_a_new_store_is_0600_in_a_0700_directory(invoke: Invoke, mini: Path,
                                                 tmp_path: Path) -> None:
    db = tmp_path / "new" / "evidence.sqlite3"
    assert log(invoke, mini, db).exit_code == 0  # type: ignore[attr-defined]
    assert oct(db.stat().st_mode & 0o777) == "0o600"
    assert oct(db.parent.stat().st_mode & 0o777) == "0o700"


@pytest.mark.parametrize("kind", ["symlink", "directory", "fifo", "socket"])
def test_what_is_not_a_regular_file_is_refused(invoke: Invoke, mini: Path, tmp_path: Path,
                                                kind: str) -> None:
    import socket

    real = tmp_path / "real.sqlite3"
    assert log(invoke, mini, real).exit_code == 0  # type: ignore[attr-defined]
    db = tmp_path / "hostile"
    if kind == "symlink":
        db.symlink_to(real)
    elif kind == "directory":
        db.mkdir()
    elif kind == "fifo":
        os.mkfifo(db)
    else:
        sock = socket.socket(socket.AF_UNIX)
        sock.bind(str(db))
        sock.close()
    before = sorted(p.name for p in tmp_path.iterdir())
    for args in (("log", "noise", "-a", "east", "-r", str(mini)), ("log", "--list"),
                 ("log", "--verify"), ("evidence", "-r", str(mini))):
        line = one_line_error(invoke(*args, "--db", str(db)), str(db))
        assert {"symlink": "is a symbolic link", "directory": "is a directory",
                "fifo": "is a FIFO", "socket": "is a socket"}[kind] in line
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no -journal, no -wal


def test_a_device_is_refused_and_nothing_is_made_beside_it(invoke: Invoke, mini: Path) -> None:
    for args in (("log", "noise", "-a", "east", "-r", str(mini)), ("log", "--list")):
        one_line_error(invoke(*args, "--db", "/dev/null"), "/dev/null: is a device")
    assert not any(os.path.lexists(f"/dev/null{x}") for x in ("-journal", "-wal", "-shm"))


def test_a_store_others_can_write_is_refused_with_the_fix(invoke: Invoke, mini: Path,
                                                          tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    assert log(invoke, mini, db).exit_code == 0  # type: ignore[attr-defined]
    os.chmod(db, 0o666)
    one_line_error(log(invoke, mini, db), "others can write to it", f"chmod go-w {db}")
    os.chmod(db, 0o600)
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    one_line_error(log(invoke, mini, shared / "s.sqlite3"), "directory is writable by others",
                   f"chmod go-w {shared}")
    assert list(shared.iterdir()) == []


@pytest.mark.skipif(os.getuid() != 0, reason="making a file another user owns needs root")
def test_a_store_another_user_owns_is_refused(invoke: Invoke, mini: Path,
                                              tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    assert log(invoke, mini, db).exit_code == 0  # type: ignore[attr-defined]
    os.chown(db, 65534, 65534)
    one_line_error(log(invoke, mini, db), "belongs to another user")


def test_corrupt_and_foreign_stores_are_one_line(invoke: Invoke, mini: Path,
                                                 tmp_path: Path) -> None:
    good = tmp_path / "good.sqlite3"
    for _ in range(3):
        assert log(invoke, mini, good).exit_code == 0  # type: ignore[attr-defined]
    with closing(sqlite3.connect(good)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = bytearray(good.read_bytes())
    raw[4096:8192] = b"\xff" * 4096  # a page of garbage
    cases: dict[str, bytes | None] = {"paged": bytes(raw), "text": b"not a database at all\n" * 50,
                                      "foreign": None, "other-columns": None}
    for name, content in cases.items():
        db = tmp_path / f"{name}.sqlite3"
        if content is not None:
            db.write_bytes(content)
        else:
            with closing(sqlite3.connect(db)) as conn:
                if name == "foreign":
                    conn.execute("CREATE TABLE customers (id INTEGER)")
                else:
                    conn.execute("CREATE TABLE records (id INTEGER, colour TEXT)")
                    conn.execute("PRAGMA user_version = 3")
        os.chmod(db, 0o600)
        for args in (("log", "--list"), ("log", "--export", "csv"), ("log", "--verify"),
                     ("evidence", "-r", str(mini))):
            line = one_line_error(invoke(*args, "--db", str(db)), str(db))
            assert "log store" in line or "damaged" in line, line


def test_postgres_failures_are_one_line(invoke: Invoke, mini: Path, pg_admin: str) -> None:
    from storefixtures import postgres_engine

    eng = next(postgres_engine(pg_admin))
    from urllib.parse import urlsplit

    dbname = urlsplit(eng.target).path.strip("/")
    wrong = pg_url(pg_admin, "remitctl_pw", dbname, password="wrong")
    line = one_line_error(log(invoke, mini, wrong), "cannot connect", "password")
    assert "wrong" not in line.replace("***", "")  # the password is never shown
    one_line_error(log(invoke, mini, pg_url(pg_admin, "remitctl_app", "no_such_db")),
                   "cannot connect")
    closed = "postgresql://remitctl_app@/x?host=/nonexistent&port=1"
    one_line_error(invoke("log", "--verify", "--db", closed), "cannot connect")
    one_line_error(invoke("evidence", "-r", str(mini), "--db", closed), "cannot connect")
    empty = pg_url(pg_admin, "remitctl_app", "postgres")
    one_line_error(log(invoke, mini, empty), "no remitctl log store here yet", "--init-db")
    assert log(invoke, mini, pg_url(pg_admin, "remitctl_pw", dbname, "right")).exit_code == 0  # type: ignore[attr-defined]


def test_the_server_gone_before_commit_records_nothing(pg_admin: str) -> None:
    import datetime as dt

    import psycopg

    from remitctl.evidence import store
    from storefixtures import postgres_engine

    eng = next(postgres_engine(pg_admin))
    db = store.connect(eng.target)
    pid = db.conn.info.backend_pid  # type: ignore[attr-defined]
    with psycopg.connect(pg_admin, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(store.StoreError, match="nothing was recorded"):
        store.append(db, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), issue="noise",
                     area=None, minutes=None, ref=None, note=None, status="covered",
                     service=None, registry_name="x", registry_sha256="0" * 64)
    db.close()
    again = store.connect(eng.target)
    assert list(again.records()) == [] and store.check(again).intact
    again.close()


def test_psycopg_missing_is_one_line_with_the_pip_command(invoke: Invoke, mini: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    one_line_error(log(invoke, mini, "postgresql://u@/db?host=/nowhere"),
                   "needs the psycopg driver", "pip install 'remitctl[postgres]'")


def test_a_lookup_does_not_import_the_driver(mini: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"),
           "REMITCTL_DB": "postgresql://u@/db?host=/nowhere"}
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "remitctl", "who", "noise",
                          "-a", "east", "-r", str(mini)], capture_output=True, text=True,
                         env=env, check=True)
    assert "remitctl" in out.stderr and "psycopg" not in out.stderr
    assert "remitctl.store" not in out.stderr
