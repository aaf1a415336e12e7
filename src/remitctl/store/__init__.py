"""The log store: what officers recorded with `remitctl log`, behind one small interface.

Two engines: a SQLite file (one officer, or a shared machine; `sqlite.py`) and a
PostgreSQL server (a whole force; `postgres.py`, whose driver is imported only when a
`postgresql://` URL is given). `--db` / $REMITCTL_DB name either; the default is
$XDG_DATA_HOME/remitctl/evidence.sqlite3 (else ~/.local/share/…).

Both keep the same record, append-only and hash-chained (`chain.py`): each record's hash
covers its content and the hash before it, and a one-row anchor holds the count and the
last hash, so `verify` names the first record changed, removed, inserted or reordered.
Schemas are numbered hand-written SQL files under `migrations/<engine>/`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from remitctl.store.chain import Verdict

ENV = "REMITCTL_DB"
URL_PREFIXES = ("postgresql://", "postgres://")


class StoreError(Exception):
    """The store cannot be opened, read or written; the message says which and why."""


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
    hash: str
    superseded_by: int | None = None


COLUMNS = tuple(Record.__dataclass_fields__)
# What a record's hash covers, in this order (the id included: a record moved is changed).
CONTENT = COLUMNS[:14]


class Store(Protocol):
    label: str

    def append(self, fields: dict[str, object]) -> int:
        """Add one record (CONTENT minus id and recorded_at) in its own transaction."""

    def records(self, *, current_only: bool = True) -> Iterator[Record]:
        """Records in the order logged; by default only those no correction supersedes."""

    def chain(self) -> Iterator[tuple[object, ...]]:
        """Every row as CONTENT + (prev_hash, hash), by id, for `chain.verify`."""

    def anchor(self) -> tuple[int, int, str] | None:
        """The anchor's (count, last id, last hash); None when its row is gone."""

    def guards(self) -> list[str]:
        """The guard triggers missing or disabled (names)."""

    def close(self) -> None: ...


def is_url(target: str) -> bool:
    return target.lower().startswith(URL_PREFIXES)


def default_target() -> str:
    env = os.environ.get(ENV, "").strip()
    if env:
        return env if is_url(env) else str(Path(env).expanduser())
    base = os.environ.get("XDG_DATA_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: relative paths are ignored
        base = str(Path.home() / ".local" / "share")
    return str(Path(base) / "remitctl" / "evidence.sqlite3")


def label(target: str) -> str:
    """The target as shown: a URL without its password."""
    if not is_url(target):
        return target
    shown = re.sub(r"(://[^:/@]*):[^@/]*@", r"\1:***@", target)
    return re.sub(r"(?i)(password=)[^&]*", r"\1***", shown)


def exists(target: str) -> bool:
    """Whether there is something to read (a URL always may be)."""
    return is_url(target) or os.path.lexists(target)


def open_store(target: str, *, create: bool = True) -> Store:
    """The store at `target`, at the current schema (a SQLite file is made or upgraded;
    a PostgreSQL database must have been set up with `log --init-db`)."""
    if is_url(target):
        from remitctl.store import postgres

        return postgres.open_store(target)
    from remitctl.store import sqlite

    return sqlite.open_store(Path(target), create=create)


def init_db(target: str) -> Store:
    """Create or upgrade the schema (PostgreSQL: as the owner role, granting the writer
    role INSERT and SELECT)."""
    if is_url(target):
        from remitctl.store import postgres

        return postgres.init_db(target)
    return open_store(target)


def migrations(engine: str) -> list[tuple[int, str, str]]:
    """(number, name, SQL) of `migrations/<engine>/NNNN_name.sql`, in order."""
    folder = Path(__file__).with_name("migrations") / engine
    found = []
    for path in sorted(folder.glob("[0-9][0-9][0-9][0-9]_*.sql")):
        found.append((int(path.name[:4]), path.stem[5:], path.read_text(encoding="utf-8")))
    assert [n for n, _, _ in found] == list(range(1, len(found) + 1)), folder
    return found


def check(store: Store) -> Verdict:
    """The chain walked against its anchor, and the guards; with SQLite, its pages too."""
    from remitctl.store.chain import verify

    anchor = store.anchor()
    verdict = verify(store.chain(), anchor, store.guards())
    damage = getattr(store, "damage", None)
    found = damage() if damage else None
    if found:
        verdict.problems.insert(0, f"the file is damaged: {found}")
    return verdict
