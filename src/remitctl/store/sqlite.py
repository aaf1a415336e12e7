"""The SQLite engine: one file, as carefully opened as the cache.

A store must be a regular file owned by the user that nobody else can write, in a
directory nobody else can write (or a sticky one like /tmp), so it cannot be swapped
after the checks. It is checked through a descriptor opened without following a
symbolic link, before SQLite opens it: a device, FIFO, socket or directory is refused
before SQLite writes anything beside it (its -journal or -wal). A new store is 0600 in a
0700 directory. Several officers logging at once lose nothing: WAL, a busy timeout, and
each append in one BEGIN IMMEDIATE transaction that reads the anchor, links and inserts.
The schema's version is SQLite's `user_version`.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from remitctl.store import CONTENT, Record, StoreError, migrations
from remitctl.store.chain import GENESIS, link

BUSY_MS = 30_000
ENGINE = "sqlite"
GUARDS = ("records_never_updated", "records_never_deleted", "records_chained",
          "records_advance_head", "chain_head_never_deleted")
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_SELECT = ", ".join(f"r.{c}" for c in (*CONTENT, "hash"))


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISLNK, "a symbolic link"), (stat.S_ISDIR, "a directory"),
                       (stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device")):
        if test(mode):
            return name
    return "not a regular file"


def check_file(path: Path, *, create: bool) -> bool:
    """Refuse what must not be a store; True when the file is there (made now or before)."""
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        if not create:
            raise StoreError(f"{path}: no log store here yet (`remitctl log ISSUE` starts "
                             "one)") from None
        st = None
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from None
    if st is not None and not stat.S_ISREG(st.st_mode):
        raise StoreError(f"{path}: is {_kind(st.st_mode)}, not a log store; give a file "
                         "path with --db")
    parent = path.parent
    try:
        if create:
            parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        pst = os.stat(parent)
    except OSError as exc:
        raise StoreError(f"{parent}: {exc.strerror or exc}") from None
    if pst.st_mode & 0o022 and not pst.st_mode & stat.S_ISVTX:
        raise StoreError(f"{path}: its directory is writable by others, who could replace "
                         f"the store; chmod go-w {parent}, or keep the store elsewhere")
    flags = os.O_RDWR | _NOFOLLOW | _NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags) if st is not None else \
            os.open(path, flags | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another officer made it meanwhile
        return check_file(path, create=False)
    except OSError as exc:
        raise StoreError(f"{path}: {exc.strerror or exc}") from None
    try:
        fst = os.fstat(fd)
    finally:
        os.close(fd)  # before SQLite opens it: closing later would drop SQLite's locks
    if not stat.S_ISREG(fst.st_mode):
        raise StoreError(f"{path}: is {_kind(fst.st_mode)}, not a log store")
    if fst.st_uid != os.getuid():
        raise StoreError(f"{path}: belongs to another user (uid {fst.st_uid}); use your own "
                         "store, or share the record through PostgreSQL (docs/evidence.md)")
    if fst.st_mode & 0o022:
        raise StoreError(f"{path}: others can write to it, so its records prove nothing; "
                         f"chmod go-w {path}")
    return True


def open_store(path: Path, *, create: bool = True) -> SqliteStore:
    check_file(path, create=create)
    try:
        before = os.lstat(path)
        db = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"{path}: {getattr(exc, 'strerror', None) or exc}") from None
    store = SqliteStore(db, str(path))
    try:
        after = os.lstat(path)
        if (after.st_dev, after.st_ino) != (before.st_dev, before.st_ino):
            raise StoreError(f"{path}: replaced while it was being opened; try again")
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        mode = _wal(db)
        if str(mode).lower() != "wal":
            raise StoreError(f"{path}: cannot use write-ahead logging (journal mode {mode})")
        db.execute("PRAGMA foreign_keys = ON")
        store.migrate()
    except sqlite3.Error as exc:
        db.close()
        raise _error(str(path), exc) from None
    except StoreError:
        db.close()
        raise
    return store


def _wal(db: sqlite3.Connection) -> object:
    """Switch to write-ahead logging. On a new file, officers opening it at the same moment
    race to switch it, and SQLite answers "database is locked" at once rather than through
    the busy timeout: try again until the timeout has passed."""
    import time

    deadline = time.monotonic() + BUSY_MS / 1000
    while True:
        try:
            return db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        except sqlite3.OperationalError as exc:
            if ("locked" not in str(exc) and "busy" not in str(exc)) or \
                    time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _error(where: str, exc: sqlite3.Error) -> StoreError:
    text = str(exc)
    if isinstance(exc, sqlite3.DatabaseError) and ("malformed" in text or "not a database"
                                                   in text):
        return StoreError(f"{where}: damaged or not a log store ({text}); restore it from a "
                          "backup, or give another --db")
    if "no such column" in text or "no such table" in text:
        return StoreError(f"{where}: not a log store remitctl made ({text}); give another "
                          "--db")
    return StoreError(f"{where}: {text}")


class SqliteStore:
    def __init__(self, db: sqlite3.Connection, label: str) -> None:
        self.db, self.label = db, label

    def close(self) -> None:
        self.db.close()

    # -- schema ------------------------------------------------------------------------
    def migrate(self) -> None:
        steps = migrations(ENGINE)
        version = self.db.execute("PRAGMA user_version").fetchone()[0]
        if version == len(steps):
            return
        if version > len(steps):
            raise StoreError(f"{self.label}: written by a newer remitctl (schema {version}; "
                             f"this one knows {len(steps)}); upgrade remitctl")
        self.db.execute("BEGIN IMMEDIATE")  # one migrator at a time; others find it done
        try:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            if version == 0 and self.db.execute(
                    "SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
                    ).fetchone()[0]:
                raise StoreError(f"{self.label}: a SQLite file, but not a log store remitctl "
                                 "made (it has tables already); give another --db")
            for number, _name, sql in steps[version:]:
                for statement in _statements(sql):
                    self.db.execute(statement)
                if number == 2:
                    self._backfill()
            self.db.execute(f"PRAGMA user_version = {len(steps)}")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    def _backfill(self) -> None:
        """Chain the records a 0.2 store holds, in the order they were logged."""
        prev, count, last = GENESIS, 0, 0
        rows = self.db.execute(f"SELECT {_SELECT} FROM records r ORDER BY r.id").fetchall()
        for row in rows:
            content = row[:len(CONTENT)]
            own = link(prev, content)
            self.db.execute("UPDATE records SET prev_hash = ?, hash = ? WHERE id = ?",
                            (prev, own, row[0]))
            prev, count, last = own, count + 1, row[0]
        self.db.execute("UPDATE chain_head SET count = ?, last_id = ?, hash = ?",
                        (count, last, prev))

    # -- records -----------------------------------------------------------------------
    def append(self, fields: dict[str, object]) -> int:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        try:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                supersedes = fields.get("supersedes")
                if supersedes is not None and self.db.execute(
                        "SELECT 1 FROM records WHERE id = ?", (supersedes,)).fetchone() is None:
                    raise StoreError(f"there is no record #{supersedes} to correct")
                last_id, prev = self.db.execute(
                    "SELECT last_id, hash FROM chain_head").fetchone()
                rid = int(last_id) + 1
                content = [rid, _iso(now), *(fields[c] for c in CONTENT[2:])]
                self.db.execute(
                    f"INSERT INTO records ({', '.join(CONTENT)}, prev_hash, hash) "
                    f"VALUES ({', '.join('?' * (len(CONTENT) + 2))})",
                    (*content, prev, link(prev, content)))
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise _error(self.label, exc) from None
        except TypeError:  # no anchor row
            raise StoreError(f"{self.label}: the chain's anchor is gone; run "
                             "`remitctl log --verify`") from None
        return rid

    def records(self, *, current_only: bool = True) -> Iterator[Record]:
        sql = (f"SELECT {_SELECT}, (SELECT MIN(s.id) FROM records s WHERE s.supersedes = "
               "r.id) FROM records r")
        if current_only:
            sql += " WHERE NOT EXISTS (SELECT 1 FROM records s WHERE s.supersedes = r.id)"
        for row in self._rows(sql + " ORDER BY r.id"):
            yield Record(*row)

    def chain(self) -> Iterator[tuple[object, ...]]:
        yield from self._rows(f"SELECT {', '.join(CONTENT)}, prev_hash, hash FROM records "
                              "ORDER BY id")

    def anchor(self) -> tuple[int, int, str] | None:
        try:
            row = self.db.execute("SELECT count, last_id, hash FROM chain_head").fetchone()
        except sqlite3.Error:
            return None
        return None if row is None else (int(row[0]), int(row[1]), str(row[2]))

    def guards(self) -> list[str]:
        have = {r[0] for r in self._rows("SELECT name FROM sqlite_master WHERE type = "
                                         "'trigger'")}
        return [g for g in GUARDS if g not in have]

    def damage(self) -> str | None:
        """SQLite's own check of the file's pages (None: fine)."""
        rows = [str(r[0]) for r in self._rows("PRAGMA quick_check")]
        return None if rows == ["ok"] else "; ".join(rows[:3])

    def _rows(self, sql: str) -> Iterator[tuple[Any, ...]]:
        try:
            yield from self.db.execute(sql)
        except sqlite3.Error as exc:
            raise _error(self.label, exc) from None


def _statements(sql: str) -> Iterator[str]:
    """The statements of a migration file (executescript would commit the transaction)."""
    buffer = ""
    for line in sql.splitlines(keepends=True):
        if not buffer and (not line.strip() or line.lstrip().startswith("--")):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer.strip()
            buffer = ""


def _iso(t: dt.datetime) -> str:
    return t.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
