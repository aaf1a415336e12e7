"""Both log-store engines for the tests: a SQLite file, and a database on a real
PostgreSQL server ($REMITCTL_TEST_PG, a superuser's URL, as `.ci/run` sets; else a
throwaway server this session starts when the binaries exist). No server: the PostgreSQL
tests fail under CI (CI=true) and skip with the reason elsewhere, never pass silently."""

from __future__ import annotations

import contextlib
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest

import pgserver


def pg_url(admin: str, user: str, db: str, password: str | None = None) -> str:
    parts = urlsplit(admin)
    host = parts.netloc.split("@")[-1]
    who = f"{user}:{password}" if password else user
    return urlunsplit((parts.scheme, f"{who}@{host}", f"/{db}", parts.query, ""))


@pytest.fixture(scope="session")
def pg_admin() -> Iterator[str]:
    url = os.environ.get("REMITCTL_TEST_PG", "").strip()
    started: Path | None = None
    try:
        import psycopg
    except ImportError:
        psycopg = None
    problem = None if psycopg else "psycopg is not installed (pip install 'psycopg[binary]')"
    if not url and problem is None:
        if pgserver.binaries() is None:
            problem = "no PostgreSQL server: set REMITCTL_TEST_PG or install postgresql"
        else:
            started = Path(tempfile.mkdtemp(prefix="remitctl-pg-")) / "server"
            try:
                url = pgserver.start(started)
            except Exception as exc:
                problem = f"cannot start a throwaway PostgreSQL: {exc}"
    if problem:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"PostgreSQL tests cannot run under CI: {problem}")
        pytest.skip(problem)
    assert psycopg is not None
    with psycopg.connect(url, autocommit=True) as conn:
        for role, extra in (("remitctl_writer", "NOLOGIN"), ("remitctl_owner", "LOGIN"),
                            ("remitctl_app", "LOGIN IN ROLE remitctl_writer"),
                            ("remitctl_pw", "LOGIN PASSWORD 'right' IN ROLE remitctl_writer")):
            with contextlib.suppress(psycopg.errors.DuplicateObject):
                conn.execute(f"CREATE ROLE {role} {extra}")
    yield url
    if started is not None:
        pgserver.stop(started)
        os.rmdir(started.parent)


@dataclass
class Engine:
    name: str
    target: str  # what --db takes, as an officer (PostgreSQL: the writer role)
    owner: str  # PostgreSQL: the owner role's URL, else the path
    admin: Callable[[str], Any]  # runs SQL as the superuser / straight on the file

    def raw(self, sql: str) -> Any:
        return self.admin(sql)


def sqlite_engine(tmp_path: Path) -> Engine:
    import sqlite3
    from contextlib import closing

    path = tmp_path / "store" / "evidence.sqlite3"

    def run(sql: str) -> Any:
        with closing(sqlite3.connect(path, isolation_level=None)) as conn:
            return conn.execute(sql).fetchall()

    return Engine("sqlite", str(path), str(path), run)


def postgres_engine(admin: str) -> Iterator[Engine]:
    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER remitctl_owner")
    owner = pg_url(admin, "remitctl_owner", name)
    from remitctl.store import init_db

    init_db(owner).close()

    def run(sql: str) -> Any:
        with psycopg.connect(pg_url(admin, "postgres", name), autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else None

    yield Engine("postgresql", pg_url(admin, "remitctl_app", name), owner, run)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        yield sqlite_engine(tmp_path)
    else:
        yield from postgres_engine(request.getfixturevalue("pg_admin"))
