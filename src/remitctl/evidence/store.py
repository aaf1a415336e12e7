"""The log store: what officers recorded with `remitctl log`, in SQLite.

One file at $XDG_DATA_HOME/remitctl/evidence.sqlite3 (else ~/.local/share/…), or
`--db PATH` / $REMITCTL_DB. Several officers logging at once on a shared machine lose
nothing: WAL mode, a busy timeout, and every write in its own short transaction. A record
is never edited or deleted (triggers refuse it); a correction is a new record that
supersedes the old one, and only records nobody supersedes count.

The schema's version is SQLite's `user_version`; `MIGRATIONS[n]` takes a store from
version n to n + 1, inside one transaction, so an older store is upgraded on first use.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ENV = "REMITCTL_DB"
BUSY_MS = 30_000

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 0 → 1: records, append-only.
    ("""
    CREATE TABLE records (
        id INTEGER PRIMARY KEY,
        recorded_at TEXT NOT NULL,          -- UTC, when the officer logged it
        at TEXT NOT NULL,                   -- UTC, when it happened
        issue TEXT NOT NULL,                -- issue id
        area TEXT,                          -- area id (NULL: the registry has none)
        minutes REAL,
        ref TEXT,
        note TEXT,
        status TEXT NOT NULL,               -- covered | uncertain | uncovered, then
        service TEXT,                       -- the line covering it, or absorbing it
        registry_name TEXT NOT NULL,
        registry_sha256 TEXT NOT NULL,
        logged_by TEXT,
        supersedes INTEGER REFERENCES records(id)
    )""",
     "CREATE INDEX records_supersedes ON records(supersedes)",
     """CREATE TRIGGER records_never_updated BEFORE UPDATE ON records
    BEGIN SELECT RAISE(ABORT, 'records are never edited; log a correction that supersedes it');
    END""",
     """CREATE TRIGGER records_never_deleted BEFORE DELETE ON records
    BEGIN SELECT RAISE(ABORT, 'records are never deleted; log a correction that supersedes it');
    END"""),
)
VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be opened or written; the message says which file and why."""


@dataclass(frozen=True)
class Record:
    id: int
    recorded_at: str
    at: str
    issue: str
    area: str | None
    minutes: float | None
    ref: str | None
    note: str | None
    status: str
    service: str | None
    registry_name: str
    registry_sha256: str
    logged_by: str | None
    supersedes: int | None
    superseded_by: int | None = None


COLUMNS = tuple(Record.__dataclass_fields__)


def default_path() -> Path:
    env = os.environ.get(ENV, "").strip()
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: relative paths are ignored
        base = str(Path.home() / ".local" / "share")
    return Path(base) / "remitctl" / "evidence.sqlite3"


def connect(path: Path, *, create: bool = True) -> sqlite3.Connection:
    """The store at `path`, migrated to the current schema."""
    if not create and not path.exists():
        raise StoreError(f"{path}: no log store here yet (`remitctl log ISSUE` starts one)")
    try:
        if create:
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: cannot use write-ahead logging (journal mode {mode})")
        db.execute("PRAGMA foreign_keys = ON")
        _migrate(db, path)
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"{path}: {exc}") from None
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from None
    return db


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == VERSION:
        return
    if version > VERSION:
        raise StoreError(f"{path}: written by a newer remitctl (schema {version}; this one "
                         f"knows {VERSION}); upgrade remitctl")
    db.execute("BEGIN IMMEDIATE")  # one migrator at a time; others wait, then find it done
    try:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for step in range(version, VERSION):
            for statement in MIGRATIONS[step]:
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {VERSION}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def append(db: sqlite3.Connection, *, at: dt.datetime, issue: str, area: str | None,
           minutes: float | None, ref: str | None, note: str | None, status: str,
           service: str | None, registry_name: str, registry_sha256: str,
           supersedes: int | None = None, logged_by: str | None = None) -> int:
    """Add one record in its own transaction; its id."""
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        db.execute("BEGIN IMMEDIATE")
        try:
            if supersedes is not None:
                row = db.execute("SELECT id FROM records WHERE id = ?", (supersedes,)).fetchone()
                if row is None:
                    raise StoreError(f"there is no record #{supersedes} to correct")
            cur = db.execute(
                "INSERT INTO records (recorded_at, at, issue, area, minutes, ref, note, status, "
                "service, registry_name, registry_sha256, logged_by, supersedes) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(now), _iso(at), issue, area, minutes, ref, note, status, service,
                 registry_name, registry_sha256, logged_by, supersedes))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    except sqlite3.DatabaseError as exc:
        raise StoreError(str(exc)) from None
    return int(cur.lastrowid or 0)


def records(db: sqlite3.Connection, *, current_only: bool = True) -> Iterator[Record]:
    """Records in the order logged; by default only those no correction supersedes."""
    sql = ("SELECT r.*, (SELECT MIN(s.id) FROM records s WHERE s.supersedes = r.id) "
           "FROM records r")
    if current_only:
        sql += " WHERE NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = r.id)"
    for row in db.execute(sql + " ORDER BY r.id"):
        yield Record(*row)


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
