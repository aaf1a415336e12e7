"""The PostgreSQL engine: a force's shared record (psycopg 3, imported only for a URL).

The schema is made by `remitctl log --init-db` run as the owner role (migrations in
`migrations/postgresql/`); officers connect as roles in remitctl_writer, which may INSERT
and SELECT only. Appends are serialised by a transaction-level advisory lock: read the
anchor, link, insert (the insert trigger checks the link and moves the anchor), commit.
A record is confirmed ("logged #N") only after its COMMIT returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal

from remitctl.store import CONTENT, Record, StoreError, label, migrations
from remitctl.store.chain import link

if TYPE_CHECKING:
    import psycopg

ENGINE = "postgresql"
LOCK = 0x72656D6974  # "remit": the advisory lock every writer of a store takes
GUARDS = ("records_chained", "records_never_updated", "records_never_deleted",
          "records_never_truncated", "chain_head_guarded", "chain_head_never_truncated")
INSTALL = "pip install 'remitctl[postgres]' (or: pip install 'psycopg[binary]')"
_COLS = ", ".join(CONTENT)


def _driver() -> Any:
    try:
        import psycopg
    except ImportError:
        raise StoreError(f"a postgresql:// store needs the psycopg driver: {INSTALL}") from None
    return psycopg


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _connect(url: str) -> psycopg.Connection[Any]:
    driver = _driver()
    try:
        conn: psycopg.Connection[Any] = driver.connect(
            url, autocommit=True, connect_timeout=10, application_name="remitctl")
    except driver.Error as exc:
        raise StoreError(f"{label(url)}: cannot connect: {_first_line(exc)}") from None
    return conn


def _version(conn: psycopg.Connection[Any]) -> int:
    psycopg = _driver()
    try:
        row = conn.execute("SELECT version FROM remitctl_schema").fetchone()
    except psycopg.errors.UndefinedTable:
        return 0
    return int(row[0]) if row else 0


def open_store(url: str) -> PostgresStore:
    store = PostgresStore(_connect(url), label(url))
    try:
        with store.errors("reading the schema"):
            version = _version(store.conn)
    except StoreError:
        store.close()
        raise
    steps = len(migrations(ENGINE))
    if version != steps:
        store.close()
        if version > steps:
            raise StoreError(f"{store.label}: written by a newer remitctl (schema {version}; "
                             f"this one knows {steps}); upgrade remitctl")
        raise StoreError(f"{store.label}: no remitctl log store here yet (schema {version}, "
                         f"needs {steps}); its owner runs `remitctl log --init-db --db URL` "
                         "(docs/evidence.md)")
    return store


def init_db(url: str) -> PostgresStore:
    store = PostgresStore(_connect(url), label(url))
    try:
        _init(store)
    except StoreError:
        store.close()
        raise
    return store


def _init(store: PostgresStore) -> None:
    conn = store.conn
    with store.errors("setting up the schema"), conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
        conn.execute("CREATE TABLE IF NOT EXISTS remitctl_schema (version integer NOT NULL)")
        version = _version(conn)
        steps = migrations(ENGINE)
        if version > len(steps):
            raise StoreError(f"{store.label}: written by a newer remitctl (schema {version})")
        for _number, _name, sql in steps[version:]:
            conn.execute(sql.encode())
        conn.execute("DELETE FROM remitctl_schema")
        conn.execute("INSERT INTO remitctl_schema VALUES (%s)", (len(steps),))
        conn.execute("REVOKE ALL ON remitctl_schema FROM PUBLIC")
        conn.execute("GRANT SELECT ON remitctl_schema TO remitctl_writer")


class PostgresStore:
    def __init__(self, conn: psycopg.Connection[Any], shown: str) -> None:
        self.conn, self.label = conn, shown

    def close(self) -> None:
        self.conn.close()

    def errors(self, doing: str, *, committing: list[bool] | None = None) -> Any:
        return _Errors(self.label, doing, committing)

    def append(self, fields: dict[str, object]) -> int:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        committing = [False]
        conn = self.conn
        with self.errors("recording", committing=committing), conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK,))
            supersedes = fields.get("supersedes")
            if supersedes is not None and conn.execute(
                    "SELECT 1 FROM records WHERE id = %s", (supersedes,)).fetchone() is None:
                raise StoreError(f"there is no record #{supersedes} to correct")
            head = conn.execute("SELECT last_id, hash FROM chain_head").fetchone()
            if head is None:
                raise StoreError(f"{self.label}: the chain's anchor is gone; run "
                                 "`remitctl log --verify`")
            rid = int(head[0]) + 1
            content = [rid, now.isoformat().replace("+00:00", "Z"),
                       *(fields[c] for c in CONTENT[2:])]
            conn.execute(f"INSERT INTO records ({_COLS}, prev_hash, hash) VALUES "
                         f"({', '.join(['%s'] * (len(CONTENT) + 2))})",
                         (*content, head[1], link(str(head[1]), content)))
            committing[0] = True  # the block's end commits
        return rid

    def records(self, *, current_only: bool = True) -> Iterator[Record]:
        # One pass over the corrections, joined: a correlated subquery per row is
        # quadratic when the planner has no statistics yet (a fresh table, a cursor).
        sql = (f"SELECT {', '.join('r.' + c for c in CONTENT)}, r.hash, s.by FROM records r "
               "LEFT JOIN (SELECT supersedes, MIN(id) AS by FROM records WHERE supersedes "
               "IS NOT NULL GROUP BY supersedes) s ON s.supersedes = r.id")
        if current_only:
            sql += " WHERE s.by IS NULL"
        for row in self._stream(sql + " ORDER BY r.id"):
            yield Record(*row)

    def chain(self) -> Iterator[tuple[object, ...]]:
        yield from self._stream(f"SELECT {_COLS}, prev_hash, hash FROM records ORDER BY id")

    def anchor(self) -> tuple[int, int, str] | None:
        with self.errors("reading the anchor"):
            row = self.conn.execute("SELECT count, last_id, hash FROM chain_head").fetchone()
        return None if row is None else (int(row[0]), int(row[1]), str(row[2]))

    def guards(self) -> list[str]:
        with self.errors("reading the triggers"):
            have = {r[0] for r in self.conn.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid IN ('records'::regclass, "
                "'chain_head'::regclass) AND tgenabled <> 'D' AND NOT tgisinternal")}
        return [g for g in GUARDS if g not in have]

    def _stream(self, sql: str) -> Iterator[tuple[Any, ...]]:
        with self.errors("reading"), self.conn.transaction(), \
                self.conn.cursor(name="remitctl_read") as cur:
            cur.itersize = 5000
            cur.execute(sql)
            yield from cur


class _Errors:
    """psycopg's errors as one line naming the store; during COMMIT, say the record may
    or may not have been saved (a server gone then cannot tell us)."""

    def __init__(self, shown: str, doing: str, committing: list[bool] | None) -> None:
        self.shown, self.doing, self.committing = shown, doing, committing

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, exc: BaseException | None, tb: Any) -> Literal[False]:
        if exc is None or isinstance(exc, StoreError):
            return False
        psycopg = _driver()
        if not isinstance(exc, psycopg.Error):
            return False
        if self.committing and self.committing[0] and isinstance(exc, psycopg.OperationalError):
            raise StoreError(f"{self.shown}: the server went away while the record was being "
                             "committed: it may or may not be saved; check `remitctl log "
                             "--list` before logging it again") from None
        if isinstance(exc, psycopg.errors.InsufficientPrivilege):
            raise StoreError(f"{self.shown}: {self.doing}: {_first_line(exc)} (the role needs "
                             "to be in remitctl_writer; docs/evidence.md)") from None
        if isinstance(exc, psycopg.errors.UndefinedTable | psycopg.errors.UndefinedColumn):
            raise StoreError(f"{self.shown}: not a log store remitctl made "
                             f"({_first_line(exc)})") from None
        nothing = "; nothing was recorded" if self.doing == "recording" else ""
        raise StoreError(f"{self.shown}: {self.doing}: {_first_line(exc)}{nothing}") from None
