# ruff: noqa: F811  (pytest fixtures imported from storefixtures, used as parameters)
"""The log store on both engines: the same answers, a hash chain that names what was
changed behind the tool's back, 32 writers at once, and PostgreSQL's roles and triggers."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from storefixtures import Engine, engine, pg_admin  # noqa: F401 (fixtures)

Invoke = Callable[..., object]
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _after_christmas(monkeypatch: pytest.MonkeyPatch) -> None:
    """A log records what has happened: these tests log Christmas 2026, so it is later now."""
    later = dt.datetime(2027, 1, 4, 12, 0, tzinfo=dt.UTC)
    monkeypatch.setattr("remitctl.when.clock", lambda: later)


def log3(invoke: Invoke, mini: Path, target: str) -> None:
    for args in (("stray dog", "-a", "east", "--at", "2026-12-25T11:00", "-m", "30",
                  "--ref", "A1"),
                 ("noise", "-a", "east", "--at", "2026-12-24T11:00", "--ref", "A2"),
                 ("noise", "-a", "west", "--at", "2026-12-23T02:00", "-m", "15",
                  "--ref", "A3")):
        result = invoke("log", *args, "-r", str(mini), "--db", target)
        assert result.exit_code == 0, result.stderr  # type: ignore[attr-defined]


def verify(invoke: Invoke, target: str) -> tuple[int, str]:
    result = invoke("log", "--verify", "--db", target)
    return result.exit_code, result.stdout  # type: ignore[attr-defined]


def test_log_list_export_and_evidence(invoke: Invoke, mini: Path, engine: Engine) -> None:
    log3(invoke, mini, engine.target)
    fixed = invoke("log", "stray dog", "-r", str(mini), "-a", "east", "--at",
                   "2026-12-25T11:00", "-m", "90", "--ref", "A1", "--supersedes", "1",
                   "--db", engine.target)
    assert "logged #4" in fixed.stdout and "(replaces #1)" in fixed.stdout  # type: ignore[attr-defined]
    listed = invoke("log", "--list", "--db", engine.target).stdout  # type: ignore[attr-defined]
    assert "3 current records in " in listed and "password" not in listed
    exported = invoke("log", "--export", "csv", "--db", engine.target).stdout  # type: ignore[attr-defined]
    lines = exported.splitlines()
    assert lines[0] == ("id,recorded_at,at,issue,area,minutes,ref,note,status,service,"
                        "registry_name,registry_sha256,logged_by,supersedes,hash,"
                        "superseded_by")
    assert [line.split(",")[0] for line in lines[1:]] == ["1", "2", "3", "4"]
    assert lines[1].endswith(",4") and ",2026-12-25T11:00:00Z,dogs,east,30.0,A1," in lines[1]
    doc = json.loads(invoke("evidence", "-r", str(mini), "--json", "--db",  # type: ignore[attr-defined]
                            engine.target).stdout)
    assert doc["totals"]["incidents"] == 3
    assert doc["log_store"]["intact"] is True and doc["log_store"]["records"] == 4
    assert verify(invoke, engine.target)[0] == 0


def test_the_report_is_the_same_on_both_engines(invoke: Invoke, mini: Path, tmp_path: Path,
                                                pg_admin: str) -> None:
    from storefixtures import postgres_engine, sqlite_engine

    docs = []
    for eng in (sqlite_engine(tmp_path), next(postgres_engine(pg_admin))):
        log3(invoke, mini, eng.target)
        doc = json.loads(invoke("evidence", "-r", str(mini), "--json", "--db",  # type: ignore[attr-defined]
                                eng.target).stdout)
        for key in ("sources", "log_store"):
            doc.pop(key)
        docs.append(doc)
    assert docs[0] == docs[1]


def test_verify_says_intact(invoke: Invoke, mini: Path, engine: Engine) -> None:
    log3(invoke, mini, engine.target)
    code, out = verify(invoke, engine.target)
    assert code == 0
    assert out.startswith("intact: 3 records in ") and ", chained from #1; head " in out


def _unguard(engine: Engine) -> None:
    """What an attacker with the file, or the database's superuser, does first."""
    if engine.name == "sqlite":
        for trigger in ("records_never_updated", "records_never_deleted", "records_chained",
                        "records_advance_head"):
            engine.raw(f"DROP TRIGGER {trigger}")
    else:
        engine.raw("ALTER TABLE records DISABLE TRIGGER USER")


TAMPERING = {
    "update": ("UPDATE records SET minutes = 777 WHERE id = 2", "record #2 was changed"),
    "delete a middle one": ("DELETE FROM records WHERE id = 2", "record #2 is missing"),
    "delete the last": ("DELETE FROM records WHERE id = 3", "records #3–#3 are missing"),
    "delete all": ("DELETE FROM records", "the store holds no records, but 3 were logged"),
    "reorder": ("UPDATE records SET at = CASE id WHEN 1 THEN (SELECT at FROM records WHERE "
                "id = 2) ELSE (SELECT at FROM records WHERE id = 1) END WHERE id IN (1, 2)",
                "record #1 was changed"),
    "renumber": ("UPDATE records SET id = id + 10 WHERE id = 3", "record #3 is missing"),
    "insert": ("INSERT INTO records SELECT 4, recorded_at, at, issue, area, minutes, ref, "
               "note, status, service, registry_name, registry_sha256, logged_by, "
               "supersedes, hash, hash FROM records WHERE id = 3", "record #4 was changed"),
}


@pytest.mark.parametrize("case", list(TAMPERING))
def test_verify_names_the_first_record_tampered_with(invoke: Invoke, mini: Path,
                                                     engine: Engine, case: str) -> None:
    log3(invoke, mini, engine.target)
    _unguard(engine)
    sql, expected = TAMPERING[case]
    engine.raw(sql)
    code, out = verify(invoke, engine.target)
    assert code == 1
    assert out.startswith("BROKEN: ") and expected in out, out
    assert "dropped or disabled" in out  # the guards are named too


def test_sqlite_replace_is_refused_and_then_detected(invoke: Invoke, mini: Path,
                                                     tmp_path: Path) -> None:
    import sqlite3

    from storefixtures import sqlite_engine

    eng = sqlite_engine(tmp_path)
    log3(invoke, mini, eng.target)
    replace = ("REPLACE INTO records SELECT id, recorded_at, at, issue, area, 777, ref, note, "
               "status, service, registry_name, registry_sha256, logged_by, supersedes, "
               "prev_hash, hash FROM records WHERE id = 2")
    with pytest.raises(sqlite3.DatabaseError, match="follow the head"):
        eng.raw(replace)
    eng.raw("DROP TRIGGER records_chained")
    eng.raw(replace)
    code, out = verify(invoke, eng.target)
    assert code == 1 and "record #2 was changed" in out and "records_chained" in out


def test_a_dropped_trigger_alone_is_reported(invoke: Invoke, mini: Path, engine: Engine) -> None:
    log3(invoke, mini, engine.target)
    engine.raw("DROP TRIGGER records_never_deleted" + (" ON records" if engine.name !=
                                                      "sqlite" else ""))
    code, out = verify(invoke, engine.target)
    assert code == 1 and "the guard trigger records_never_deleted was dropped" in out


def test_postgres_truncate_is_refused_then_detected(invoke: Invoke, mini: Path,
                                                    pg_admin: str) -> None:
    import psycopg

    from storefixtures import postgres_engine

    eng = next(postgres_engine(pg_admin))
    log3(invoke, mini, eng.target)
    with pytest.raises(psycopg.errors.InsufficientPrivilege, match="never edited"):
        eng.raw("TRUNCATE records")
    eng.raw("ALTER TABLE records DISABLE TRIGGER USER")
    eng.raw("TRUNCATE records")
    code, out = verify(invoke, eng.target)
    assert code == 1 and "the store holds no records, but 3 were logged" in out


def test_postgres_roles(invoke: Invoke, mini: Path, pg_admin: str) -> None:
    import psycopg

    from storefixtures import postgres_engine

    eng = next(postgres_engine(pg_admin))
    log3(invoke, mini, eng.target)
    for who, error in ((eng.target, psycopg.errors.InsufficientPrivilege),
                       (eng.owner, psycopg.errors.InsufficientPrivilege)):
        for sql in ("UPDATE records SET minutes = 1", "DELETE FROM records",
                    "TRUNCATE records", "UPDATE chain_head SET count = 0",
                    "DELETE FROM chain_head"):
            with psycopg.connect(who, autocommit=True) as conn, pytest.raises(error):
                conn.execute(sql)
    owners = eng.raw("SELECT tableowner FROM pg_tables WHERE tablename IN ('records', "
                     "'chain_head', 'remitctl_schema')")
    assert owners == [("remitctl_owner",)] * 3
    # the writer cannot set the store up either: that is the owner's job
    result = invoke("log", "--init-db", "--db", eng.target)
    assert result.exit_code == 2  # type: ignore[attr-defined]
    assert "permission denied" in result.stderr  # type: ignore[attr-defined]
    assert len(result.stderr.strip().splitlines()) == 1  # type: ignore[attr-defined]
    assert verify(invoke, eng.target)[0] == 0


WRITER = """
import datetime as dt, sys
from remitctl.evidence import store
db = store.connect(sys.argv[1])
for n in range(int(sys.argv[3])):
    rid = store.append(db, at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), issue="noise",
                       area=None, minutes=n, ref=f"{sys.argv[2]}-{n}", note=None,
                       status="uncovered", service=None, registry_name="x",
                       registry_sha256="0" * 64)
    print(rid, f"{sys.argv[2]}-{n}", flush=True)
"""


def test_32_concurrent_writers(engine: Engine, invoke: Invoke) -> None:
    writers, each = 32, 4
    env = {"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"}
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, engine.target, f"w{w}",
                               str(each)], stdout=subprocess.PIPE, text=True, env=env)
             for w in range(writers)]  # SQLite: all start on no file; migration races too
    confirmed = {}
    for p in procs:
        out, _ = p.communicate(timeout=300)
        assert p.returncode == 0
        for line in out.splitlines():
            rid, ref = line.split()
            confirmed[int(rid)] = ref
    assert len(confirmed) == writers * each
    from remitctl.evidence import store

    db = store.connect(engine.target)
    stored = {r.id: r.ref for r in db.records()}
    db.close()
    assert stored == confirmed
    assert sorted(stored) == list(range(1, writers * each + 1))
    assert verify(invoke, engine.target)[0] == 0


def test_evidence_reports_a_broken_chain(invoke: Invoke, mini: Path, engine: Engine) -> None:
    log3(invoke, mini, engine.target)
    _unguard(engine)
    engine.raw("UPDATE records SET minutes = 777 WHERE id = 1")
    doc = json.loads(invoke("evidence", "-r", str(mini), "--json", "--db",  # type: ignore[attr-defined]
                            engine.target).stdout)
    assert doc["log_store"]["intact"] is False and doc["log_store"]["first_broken"] == 1
    result = invoke("evidence", "-r", str(mini), "--db", engine.target)
    assert result.stdout.startswith("WARNING: the log store ")  # type: ignore[attr-defined]
    assert "record #1 was changed" in result.stdout  # type: ignore[attr-defined]
    assert "chain is broken" in result.stderr  # type: ignore[attr-defined]
    md = invoke("evidence", "-r", str(mini), "-f", "markdown", "--db", engine.target).stdout  # type: ignore[attr-defined]
    assert md.startswith("> **WARNING:")
    strict = invoke("evidence", "-r", str(mini), "--strict", "--db", engine.target)
    assert strict.exit_code == 1  # type: ignore[attr-defined]
