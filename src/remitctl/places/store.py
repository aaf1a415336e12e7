"""The places file: a local SQLite file of postcodes and their councils.

Written whole by `remitctl places load` (a temporary file, then os.replace, 0600, never
through a symbolic link); read by lookups with one indexed query. sqlite3 only here: it
is on the lookup path.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

ENV = "REMITCTL_PLACES"
SCHEMA = 1
NATIONS = {"E": "england-and-wales", "W": "england-and-wales", "S": "scotland",
           "N": "northern-ireland"}
COUNTRY_NAMES = {"E": "England", "W": "Wales", "S": "Scotland", "N": "Northern Ireland"}

CREATE = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE postcode (
  pc TEXT PRIMARY KEY,          -- 'LN2 5AB': one space, so 'LN2 ' starts its district
  district TEXT NOT NULL,       -- district, unitary, London borough, W06, S12, N09
  county TEXT,                  -- E10 county; NULL when ONSPD says E99999999 (none)
  country TEXT NOT NULL,        -- E, W, S or N
  terminated TEXT,              -- 'YYYYMM' when the postcode ended; NULL while live
  east INTEGER, north INTEGER   -- grid reference in metres, when ONSPD has one
) WITHOUT ROWID;
CREATE TABLE outward (          -- postcode districts: where they lie, for 'nearest'
  code TEXT PRIMARY KEY, east INTEGER, north INTEGER, country TEXT NOT NULL,
  councils TEXT NOT NULL        -- 'district county' pairs, comma-separated
) WITHOUT ROWID;
"""


class PlacesError(Exception):
    """The places file cannot be used: a message and what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class Row:
    pc: str
    district: str
    county: str | None
    country: str
    terminated: str | None
    east: int | None
    north: int | None


def default_path() -> Path:
    """$REMITCTL_PLACES, else places.sqlite3 beside the log store's default."""
    env = os.environ.get(ENV, "").strip()
    if env:
        return Path(env).expanduser()
    base = os.environ.get("XDG_DATA_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: relative paths are ignored
        base = str(Path.home() / ".local" / "share")
    return Path(base) / "remitctl" / "places.sqlite3"


HOW_TO_LOAD = ("load the ONS Postcode Directory once: remitctl places load "
               "ONSPD_AUG_2026_UK.zip (from the ONS Open Geography Portal)")


def open_read(path: Path) -> sqlite3.Connection:
    """The places file, read-only; PlacesError when there is none or it is not one."""
    try:
        if os.path.islink(path):
            raise PlacesError(f"places file {path} is a symbolic link; refusing it",
                              "point --places or $REMITCTL_PLACES at the file itself")
        if not path.is_file():
            raise PlacesError(f"no places data loaded ({path})", HOW_TO_LOAD)
        db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        version = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    except sqlite3.DatabaseError:
        raise PlacesError(f"{path} is not a remitctl places file", HOW_TO_LOAD) from None
    except OSError as exc:
        raise PlacesError(f"cannot read {path}: {exc.strerror or exc}") from None
    if version is None or version[0] != str(SCHEMA):
        raise PlacesError(f"{path} was written by another version of remitctl", HOW_TO_LOAD)
    return db


def meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM meta").fetchall())


class Writer:
    """A new places file beside `target`, replacing it only when `commit` is called."""

    BATCH = 20_000

    def __init__(self, target: Path) -> None:
        if os.path.islink(target):
            raise PlacesError(f"{target} is a symbolic link; refusing to replace it",
                              "give --places a path that is not a link")
        if target.exists() and not target.is_file():
            raise PlacesError(f"{target} is not a regular file; refusing to replace it")
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.target = target
        self.temp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        fd = os.open(self.temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL
                     | getattr(os, "O_NOFOLLOW", 0), 0o600)
        os.close(fd)
        self.db = sqlite3.connect(self.temp, isolation_level=None)
        self.db.execute("PRAGMA journal_mode = OFF")
        self.db.execute("PRAGMA synchronous = OFF")
        self.db.executescript(CREATE)
        self.db.execute("BEGIN")
        self.batch: list[Row] = []

    def add(self, row: Row) -> None:
        self.batch.append(row)
        if len(self.batch) >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        self.db.executemany("INSERT OR REPLACE INTO postcode VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [(r.pc, r.district, r.county, r.country, r.terminated, r.east,
                              r.north) for r in self.batch])
        self.batch.clear()

    def commit(self, info: dict[str, str],
               outwards: list[tuple[str, int | None, int | None, str, str]]) -> None:
        self._flush()
        self.db.executemany("INSERT INTO outward VALUES (?, ?, ?, ?, ?)", outwards)
        self.db.executemany("INSERT INTO meta VALUES (?, ?)",
                            [("schema", str(SCHEMA)), *sorted(info.items())])
        self.db.execute("COMMIT")
        self.db.close()
        os.replace(self.temp, self.target)

    def abandon(self) -> None:
        try:
            self.db.close()
        finally:
            self.temp.unlink(missing_ok=True)
