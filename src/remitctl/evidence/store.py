"""The log store as `evidence` and `log` use it; the engines live in `remitctl.store`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from remitctl.store import (
    COLUMNS,
    ENV,
    Record,
    Store,
    StoreError,
    check,
    default_target,
    exists,
    init_db,
    label,
    open_store,
)

__all__ = ["COLUMNS", "ENV", "Record", "Store", "StoreError", "append", "check", "connect",
           "default_path", "exists", "init_db", "label", "records"]


def default_path() -> str:
    return default_target()


def connect(target: str | Path, *, create: bool = True) -> Store:
    return open_store(str(target), create=create)


def append(store: Store, *, at: dt.datetime, issue: str, area: str | None,
           minutes: float | None, ref: str | None, note: str | None, status: str,
           service: str | None, registry_name: str, registry_sha256: str,
           supersedes: int | None = None, logged_by: str | None = None) -> int:
    """Add one record in its own transaction; its id."""
    return store.append({
        "at": at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"), "issue": issue,
        "area": area, "minutes": None if minutes is None else float(minutes), "ref": ref,
        "note": note, "status": status, "service": service, "registry_name": registry_name,
        "registry_sha256": registry_sha256, "logged_by": logged_by, "supersedes": supersedes})


def records(store: Store, *, current_only: bool = True) -> Iterator[Record]:
    return store.records(current_only=current_only)
