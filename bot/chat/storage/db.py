"""The database under the bot's state: SQLite by default (one file; safe for several processes on one machine,
WAL mode), PostgreSQL when DATABASE_URL says so (several instances behind a load balancer). The same SQL runs on
both: `?` placeholders are rewritten for psycopg, upserts use `ON CONFLICT`, which both understand. One
connection per thread, created on first use (after any fork); a lost PostgreSQL connection is reopened once.
"""
from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..crypto import EvidenceCipher

log = logging.getLogger(__name__)

SCHEMA_VERSION = 5
_ADVISORY_LOCK = 0x48434442  # "HCDB": serialises schema creation across PostgreSQL clients

# _SCHEMA is version 1 and never changes; each later version is the statements that bring a database from the
# version before it, applied in order, once, in the same transaction that records the new version.
_MIGRATIONS: dict[int, tuple[str, ...]] = {
    2: ("ALTER TABLE diagnoses ADD COLUMN candidates TEXT NOT NULL DEFAULT '[]'",),   # a triage's problems
    3: ("ALTER TABLE feedback ADD COLUMN right_entry TEXT NOT NULL DEFAULT ''",       # after 👎: the right one
        "ALTER TABLE feedback ADD COLUMN reason {blob}"),                              # and why (encrypted)
    4: ("CREATE TABLE greeted_rooms (room_id TEXT PRIMARY KEY, created {real} NOT NULL)",),   # greeted once
    5: ("CREATE TABLE thread_evidence (room_id TEXT NOT NULL, thread_id TEXT NOT NULL, updated {real} NOT NULL, "
        "evidence {blob} NOT NULL, PRIMARY KEY (room_id, thread_id))",                   # follow-ups (encrypted)
        "CREATE INDEX thread_evidence_updated ON thread_evidence (updated)"),
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    available_at {real} NOT NULL,
    lease_until {real} NOT NULL DEFAULT 0,
    owner TEXT NOT NULL DEFAULT '',
    progress TEXT NOT NULL DEFAULT '{{}}',
    last_error TEXT NOT NULL DEFAULT '',
    created {real} NOT NULL,
    updated {real} NOT NULL
);
CREATE INDEX IF NOT EXISTS jobs_status_available ON jobs (status, available_at);
CREATE TABLE IF NOT EXISTS diagnoses (
    id TEXT PRIMARY KEY,
    created {real} NOT NULL,
    message_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    room_type TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    top_entry TEXT NOT NULL,
    top_confidence {real} NOT NULL,
    results TEXT NOT NULL,
    evidence {blob}
);
CREATE INDEX IF NOT EXISTS diagnoses_message ON diagnoses (message_id);
CREATE TABLE IF NOT EXISTS case_links (
    case_number TEXT NOT NULL,
    diagnosis_id TEXT NOT NULL,
    created {real} NOT NULL,
    PRIMARY KEY (case_number, diagnosis_id)
);
CREATE TABLE IF NOT EXISTS thread_cases (
    room_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    case_number TEXT NOT NULL,
    created {real} NOT NULL,
    PRIMARY KEY (room_id, thread_id, case_number)
);
CREATE TABLE IF NOT EXISTS thread_calls (
    room_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    updated {real} NOT NULL,
    calls {blob} NOT NULL,
    PRIMARY KEY (room_id, thread_id)
);
CREATE TABLE IF NOT EXISTS feedback (
    diagnosis_id TEXT NOT NULL,
    person_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    vote TEXT NOT NULL,
    action_id TEXT NOT NULL,
    created {real} NOT NULL,
    PRIMARY KEY (diagnosis_id, person_id)
);
"""


class StorageError(RuntimeError):
    pass


class Database:
    """Connections, transactions and the schema; thread-safe."""

    def __init__(self, url: str, cipher: EvidenceCipher) -> None:
        self.url = url
        self.cipher = cipher
        self.dialect = "postgres" if url.startswith("postgresql://") else "sqlite"
        if self.dialect == "sqlite":
            path = url[len("sqlite:///"):]
            if not path:
                raise StorageError("sqlite URL has no path")
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._sqlite_path = path
        self._local = threading.local()
        self._all: list[Any] = []
        self._lock = threading.Lock()
        self._create_schema()

    # ------------------------------------------------------------ connections
    def _connect(self) -> Any:
        conn: Any
        if self.dialect == "sqlite":
            conn = sqlite3.connect(self._sqlite_path, timeout=30, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA busy_timeout=30000")
            _enable_wal(conn)
            conn.execute("PRAGMA synchronous=NORMAL")
        else:
            import psycopg

            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=10)
        with self._lock:
            self._all.append(conn)
        return conn

    def _conn(self) -> Any:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
        return conn

    def _drop_conn(self) -> None:
        conn = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - already broken
                pass

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except Exception:  # noqa: BLE001
                pass
        self._local = threading.local()

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.dialect == "postgres" else sql

    def _execute(self, sql: str, params: Sequence[Any] = ()) -> Any:
        for attempt in (1, 2):
            conn = self._conn()
            try:
                return conn.execute(self._sql(sql), tuple(params))
            except Exception as exc:
                if attempt == 1 and self._is_disconnect(exc) and not getattr(self._local, "in_tx", False):
                    log.warning("database connection lost (%s); reconnecting", type(exc).__name__)
                    self._drop_conn()
                    continue
                raise
        raise AssertionError("unreachable")

    def _is_disconnect(self, exc: Exception) -> bool:
        if self.dialect != "postgres":
            return False
        import psycopg

        return isinstance(exc, psycopg.OperationalError)

    @contextmanager
    def _tx(self) -> Iterator[None]:
        conn = self._conn()
        if self.dialect == "sqlite":
            conn.execute("BEGIN IMMEDIATE")
            self._local.in_tx = True
            try:
                yield
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            else:
                conn.execute("COMMIT")
            finally:
                self._local.in_tx = False
        else:
            self._local.in_tx = True
            try:
                with conn.transaction():
                    yield
            finally:
                self._local.in_tx = False

    @property
    def _types(self) -> dict[str, str]:
        return {"real": "REAL", "blob": "BLOB"} if self.dialect == "sqlite" else {
            "real": "DOUBLE PRECISION", "blob": "BYTEA"}

    def _create_schema(self) -> None:
        if self.dialect == "postgres":
            self._execute("SELECT pg_advisory_lock(?)", (_ADVISORY_LOCK,))
            try:
                with self._tx():
                    self._migrate()
            finally:
                self._execute("SELECT pg_advisory_unlock(?)", (_ADVISORY_LOCK,))
        else:
            with self._tx():
                self._migrate()

    def _migrate(self) -> None:
        """Create version 1 where nothing is, then apply every later version the database lacks."""
        for statement in (s.strip() for s in _SCHEMA.format(**self._types).split(";")):
            if statement:
                self._execute(statement)
        version = self.schema_version()
        if version is None:
            self._execute("INSERT INTO schema_version (version) VALUES (1)")
            version = 1
        elif version > SCHEMA_VERSION:
            raise StorageError(f"database schema {version} is newer than this code ({SCHEMA_VERSION})")
        for target in range(version + 1, SCHEMA_VERSION + 1):
            for statement in _MIGRATIONS[target]:
                self._execute(statement.format(**self._types))
            self._execute("INSERT INTO schema_version (version) VALUES (?)", (target,))
            log.info("database schema moved to version %d", target)

    def schema_version(self) -> int | None:
        row = self._execute("SELECT MAX(version) FROM schema_version").fetchone()
        return None if row[0] is None else int(row[0])

    def ping(self) -> bool:
        try:
            self._execute("SELECT 1").fetchone()
            return True
        except Exception:  # noqa: BLE001 - health check
            log.exception("database ping failed")
            return False

    def table_counts(self) -> dict[str, int]:
        """Row counts, for tests and the health page."""
        names = ("jobs", "diagnoses", "case_links", "thread_cases", "feedback", "greeted_rooms", "thread_evidence")
        return {n: self._execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}


def _enable_wal(conn: sqlite3.Connection, attempts: int = 50) -> None:
    """Switch a SQLite file to WAL. The switch needs the file to itself and does not wait on the busy
    handler, so instances opening a new file together retry it briefly instead of failing."""
    for attempt in range(attempts):
        try:
            if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal":
                return
            conn.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
