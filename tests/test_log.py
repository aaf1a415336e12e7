"""`remitctl log` on its SQLite store (tests/test_store.py runs both engines)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest

from remitctl.evidence import store
from remitctl.store import migrations

Invoke = Callable[..., object]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "data" / "evidence.sqlite3"
    monkeypatch.setenv("REMITCTL_DB", str(path))
    # A log records what has happened: these tests log Christmas 2026, so it is later now.
    later = dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("remitctl.when.clock", lambda: later)
    return path


def test_log_records_what_the_registry_said(invoke: Invoke, mini: Path, db: Path) -> None:
    result = invoke("log", "stray dog", "-r", str(mini), "-a", "east",
                    "--at", "2026-12-25T11:00", "-m", "30", "--ref", "A1", "--note", "ring road")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout == (  # type: ignore[attr-defined]
        "logged #1: Stray dogs in East at Fri 25 Dec 2026 11:00 GMT: no partner covered it; "
        "absorbed by Test Police · Control room\n")
    with closing(sqlite3.connect(db)) as conn:
        row = conn.execute("SELECT at, issue, area, minutes, ref, note, status, service, "
                           "registry_sha256 FROM records").fetchone()
    assert row[:8] == ("2026-12-25T11:00:00Z", "dogs", "east", 30.0, "A1", "ring road",
                       "uncovered", "police/control-room")
    assert len(row[8]) == 64


def test_an_area_is_needed_where_cover_differs(invoke: Invoke, mini: Path, db: Path) -> None:
    result = invoke("log", "noise", "-r", str(mini))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "say which with --area" in result.stderr  # type: ignore[attr-defined]
    assert not db.exists()


def test_corrections_supersede_and_evidence_reads_the_store(invoke: Invoke, mini: Path,
                                                            db: Path) -> None:
    invoke("log", "stray dog", "-r", str(mini), "-a", "east", "--at", "2026-12-25T11:00",
           "-m", "30", "--ref", "A1")
    invoke("log", "noise", "-r", str(mini), "-a", "east", "--at", "2026-12-24T11:00",
           "--ref", "A2")
    fixed = invoke("log", "stray dog", "-r", str(mini), "-a", "east", "--at",
                   "2026-12-25T11:00", "-m", "90", "--ref", "A1", "--supersedes", "1")
    assert "(replaces #1)" in fixed.stdout  # type: ignore[attr-defined]
    listed = invoke("log", "--list")
    assert "2 current records" in listed.stdout  # type: ignore[attr-defined]
    exported = list(csv.DictReader(io.StringIO(invoke("log", "--export", "csv").stdout)))  # type: ignore[attr-defined]
    assert [(r["id"], r["supersedes"], r["superseded_by"]) for r in exported] == [
        ("1", "", "3"), ("2", "", ""), ("3", "1", "")]
    result = invoke("evidence", "-r", str(mini), "--json")
    doc = json.loads(result.stdout)  # type: ignore[attr-defined]
    assert doc["totals"]["incidents"] == 2
    assert doc["totals"]["minutes_uncovered"] == 90  # the correction's, not the original's
    assert doc["sources"] == [str(db)]


def test_evidence_with_files_reads_the_store_too(invoke: Invoke, mini: Path, db: Path,
                                                 tmp_path: Path) -> None:
    invoke("log", "stray dog", "-r", str(mini), "-a", "east", "--at", "2026-12-25T11:00",
           "--ref", "A1")
    export = tmp_path / "cad.csv"
    export.write_text("ref,time,issue,area\nA1,25/12/2026 11:00,stray dog,east\n"
                      "B7,24/12/2026 11:00,noise,west\n", encoding="utf-8")
    doc = json.loads(invoke("evidence", str(export), "-r", str(mini), "--json").stdout)  # type: ignore[attr-defined]
    assert doc["totals"]["incidents"] == 2 and doc["duplicates"] == 1


def test_no_files_and_no_store_is_a_usage_error(invoke: Invoke, mini: Path, db: Path) -> None:
    result = invoke("evidence", "-r", str(mini))
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "no log store here yet" in result.stderr  # type: ignore[attr-defined]


def test_records_are_never_edited_or_deleted(db: Path) -> None:
    conn = store.connect(db)
    store.append(conn, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), issue="noise", area=None,
                 minutes=None, ref=None, note=None, status="covered", service=None,
                 registry_name="x", registry_sha256="0" * 64)
    conn.close()
    with closing(sqlite3.connect(db)) as raw:
        for sql in ("UPDATE records SET note = 'x'", "DELETE FROM records"):
            with pytest.raises(sqlite3.DatabaseError, match="never"):
                raw.execute(sql)
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert raw.execute("PRAGMA user_version").fetchone()[0] == len(migrations("sqlite"))


def test_a_store_from_a_newer_remitctl_is_refused(db: Path) -> None:
    db.parent.mkdir(parents=True, mode=0o700)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute(f"PRAGMA user_version = {len(migrations('sqlite')) + 1}")
    with pytest.raises(store.StoreError, match="newer remitctl"):
        store.connect(db)


def test_a_0_2_store_is_chained_on_first_use(invoke: Invoke, mini: Path, db: Path) -> None:
    from remitctl.store.sqlite import _statements

    db.parent.mkdir(parents=True, mode=0o700)
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        for statement in _statements(migrations("sqlite")[0][2]):
            conn.execute(statement)
        for n in (1, 2):
            conn.execute("INSERT INTO records (recorded_at, at, issue, status, registry_name, "
                         "registry_sha256) VALUES ('2026-01-01T00:00:00Z', "
                         f"'2026-01-0{n}T00:00:00Z', 'noise', 'covered', 'x', 'y')")
        conn.execute("PRAGMA user_version = 1")
    os.chmod(db, 0o600)
    result = invoke("log", "--verify")
    assert result.exit_code == 0  # type: ignore[attr-defined]
    assert result.stdout.startswith("intact: 2 records")  # type: ignore[attr-defined]
