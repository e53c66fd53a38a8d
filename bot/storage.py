"""Shared state: the job table that makes webhook processing exactly-once, diagnoses, cases and feedback.

SQLite by default (one file; safe for several processes on one machine, WAL mode), PostgreSQL when
DATABASE_URL says so (several instances behind a load balancer). The same SQL runs on both: `?`
placeholders are rewritten for psycopg, upserts use `ON CONFLICT`, which both understand.

Jobs: a webhook inserts one row keyed by the Webex message (or action) id; the insert that wins owns the
work, every duplicate delivery finds the row and stops. A job whose worker died is taken over once its
lease runs out; one that failed transiently is retried later; one that keeps failing is marked failed and
logged, never silently dropped.
"""
from __future__ import annotations

import json
import logging
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .crypto import EvidenceCipher

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
_ADVISORY_LOCK = 0x48434442  # "HCDB": serialises schema creation across PostgreSQL clients

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

_CLAIMABLE = ("((status IN ('pending', 'retry') AND available_at <= ?) "
              "OR (status = 'running' AND lease_until <= ?))")


class StorageError(RuntimeError):
    pass


@dataclass
class Job:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    owner: str
    progress: dict[str, Any] = field(default_factory=dict)


@dataclass
class DiagnosisRecord:
    id: str
    created: float
    message_id: str
    room_id: str
    room_type: str
    thread_id: str
    person_id: str
    source: str
    outcome: str
    results: list[dict[str, Any]]          # [{"id", "title", "confidence"}], best first
    evidence: str | None = None            # decrypted on read; None when not kept
    feedback: dict[str, int] = field(default_factory=dict)  # {"up": n, "down": n}


@dataclass
class NewDiagnosis:
    message_id: str
    room_id: str
    room_type: str
    thread_id: str
    person_id: str
    source: str
    outcome: str
    results: list[dict[str, Any]]
    evidence: str | None = None            # kept (encrypted) only when the diagnosis is linked to a case
    cases: Sequence[str] = ()


class Storage:
    """Thread-safe: one connection per thread, created on first use (after any fork)."""

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

    def _create_schema(self) -> None:
        types = {"real": "REAL", "blob": "BLOB"} if self.dialect == "sqlite" else {
            "real": "DOUBLE PRECISION", "blob": "BYTEA"}
        statements = [s.strip() for s in _SCHEMA.format(**types).split(";") if s.strip()]
        if self.dialect == "postgres":
            self._execute("SELECT pg_advisory_lock(?)", (_ADVISORY_LOCK,))
            try:
                for statement in statements:
                    self._execute(statement)
                self._set_version()
            finally:
                self._execute("SELECT pg_advisory_unlock(?)", (_ADVISORY_LOCK,))
        else:
            with self._tx():
                for statement in statements:
                    self._execute(statement)
                self._set_version()

    def _set_version(self) -> None:
        row = self._execute("SELECT MAX(version) FROM schema_version").fetchone()
        if row[0] is None:
            self._execute("INSERT INTO schema_version (version) VALUES (?)", (SCHEMA_VERSION,))
        elif row[0] > SCHEMA_VERSION:
            raise StorageError(f"database schema {row[0]} is newer than this code ({SCHEMA_VERSION})")

    def ping(self) -> bool:
        try:
            self._execute("SELECT 1").fetchone()
            return True
        except Exception:  # noqa: BLE001 - health check
            log.exception("database ping failed")
            return False

    # ------------------------------------------------------------ jobs
    def enqueue(self, job_id: str, kind: str, payload: dict[str, Any], grace: float = 30.0,
                now: float | None = None) -> bool:
        """Insert a job; False when one with this id exists (a duplicate delivery)."""
        now = time.time() if now is None else now
        cur = self._execute(
            "INSERT INTO jobs (id, kind, payload, status, available_at, created, updated) "
            "VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (id) DO NOTHING",
            (job_id, kind, json.dumps(payload), now + grace, now, now))
        return cur.rowcount == 1

    def claim(self, job_id: str, lease: float, fresh: bool = False, now: float | None = None) -> Job | None:
        """Take the job if nobody else holds it. `fresh` takes a pending job before its grace period ends
        (the instance that received the webhook); otherwise only stranded or due jobs are taken."""
        now = time.time() if now is None else now
        owner = uuid.uuid4().hex
        condition = "status = 'pending'" if fresh else _CLAIMABLE
        params: tuple[Any, ...] = () if fresh else (now, now)
        cur = self._execute(
            f"UPDATE jobs SET status = 'running', attempts = attempts + 1, lease_until = ?, owner = ?, updated = ? "
            f"WHERE id = ? AND {condition}",
            (now + lease, owner, now, job_id, *params))
        if cur.rowcount != 1:
            return None
        row = self._execute("SELECT id, kind, payload, attempts, owner, progress FROM jobs WHERE id = ?",
                            (job_id,)).fetchone()
        if row is None or row[4] != owner:
            return None
        return Job(id=row[0], kind=row[1], payload=json.loads(row[2]), attempts=row[3], owner=row[4],
                   progress=json.loads(row[5] or "{}"))

    def claimable(self, limit: int = 20, now: float | None = None) -> list[str]:
        now = time.time() if now is None else now
        rows = self._execute(f"SELECT id FROM jobs WHERE {_CLAIMABLE} ORDER BY available_at LIMIT ?",
                             (now, now, limit)).fetchall()
        return [r[0] for r in rows]

    def save_progress(self, job: Job, lease: float) -> bool:
        now = time.time()
        cur = self._execute("UPDATE jobs SET progress = ?, lease_until = ?, updated = ? WHERE id = ? AND owner = ?",
                            (json.dumps(job.progress), now + lease, now, job.id, job.owner))
        return cur.rowcount == 1

    def finish(self, job: Job, status: str = "done", error: str = "") -> bool:
        if status not in {"done", "ignored", "failed"}:
            raise ValueError(status)
        cur = self._execute(
            "UPDATE jobs SET status = ?, last_error = ?, progress = ?, lease_until = 0, updated = ? "
            "WHERE id = ? AND owner = ?",
            (status, error[:2000], json.dumps(job.progress), time.time(), job.id, job.owner))
        return cur.rowcount == 1

    def reschedule(self, job: Job, delay: float, error: str) -> bool:
        now = time.time()
        cur = self._execute(
            "UPDATE jobs SET status = 'retry', available_at = ?, last_error = ?, progress = ?, lease_until = 0, "
            "updated = ? WHERE id = ? AND owner = ?",
            (now + delay, error[:2000], json.dumps(job.progress), now, job.id, job.owner))
        return cur.rowcount == 1

    def job_status(self, job_id: str) -> dict[str, Any] | None:
        row = self._execute("SELECT status, attempts, progress, last_error FROM jobs WHERE id = ?",
                            (job_id,)).fetchone()
        if row is None:
            return None
        return {"status": row[0], "attempts": row[1], "progress": json.loads(row[2] or "{}"), "last_error": row[3]}

    def job_counts(self) -> dict[str, int]:
        return {r[0]: r[1] for r in self._execute("SELECT status, COUNT(*) FROM jobs GROUP BY status").fetchall()}

    def purge_jobs(self, older_than: float) -> int:
        cur = self._execute("DELETE FROM jobs WHERE status IN ('done', 'ignored', 'failed') AND updated < ?",
                            (time.time() - older_than,))
        return cur.rowcount

    # ------------------------------------------------------------ diagnoses, cases, feedback
    def record_diagnosis(self, new: NewDiagnosis) -> str:
        """Store a diagnosis and link it to `new.cases`. Returns its id. Evidence is kept (encrypted) only for
        diagnoses linked to a case, which is what case history needs."""
        diagnosis_id = uuid.uuid4().hex
        now = time.time()
        top = new.results[0] if new.results else {"id": "", "confidence": 0.0}
        evidence = self.cipher.encrypt(new.evidence) if (new.evidence and new.cases) else None
        with self._tx():
            self._execute(
                "INSERT INTO diagnoses (id, created, message_id, room_id, room_type, thread_id, person_id, source, "
                "outcome, top_entry, top_confidence, results, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (diagnosis_id, now, new.message_id, new.room_id, new.room_type, new.thread_id, new.person_id,
                 new.source, new.outcome, top["id"], float(top["confidence"]), json.dumps(new.results), evidence))
            for case in dict.fromkeys(new.cases):
                self._execute("INSERT INTO case_links (case_number, diagnosis_id, created) VALUES (?, ?, ?) "
                              "ON CONFLICT (case_number, diagnosis_id) DO NOTHING", (case, diagnosis_id, now))
        return diagnosis_id

    def add_thread_cases(self, room_id: str, thread_id: str, cases: Sequence[str]) -> None:
        now = time.time()
        for case in dict.fromkeys(cases):
            self._execute("INSERT INTO thread_cases (room_id, thread_id, case_number, created) VALUES (?, ?, ?, ?) "
                          "ON CONFLICT (room_id, thread_id, case_number) DO NOTHING", (room_id, thread_id, case, now))

    def thread_cases(self, room_id: str, thread_id: str) -> list[str]:
        rows = self._execute("SELECT case_number FROM thread_cases WHERE room_id = ? AND thread_id = ? "
                             "ORDER BY created, case_number", (room_id, thread_id)).fetchall()
        return [r[0] for r in rows]

    def get_diagnosis(self, diagnosis_id: str) -> DiagnosisRecord | None:
        rows = self._diagnoses("WHERE d.id = ?", (diagnosis_id,))
        return rows[0] if rows else None

    def case_history(self, case_number: str) -> list[DiagnosisRecord]:
        return self._diagnoses("JOIN case_links c ON c.diagnosis_id = d.id WHERE c.case_number = ? "
                               "ORDER BY d.created", (case_number,))

    def _diagnoses(self, where: str, params: Sequence[Any]) -> list[DiagnosisRecord]:
        rows = self._execute(
            "SELECT d.id, d.created, d.message_id, d.room_id, d.room_type, d.thread_id, d.person_id, d.source, "
            f"d.outcome, d.results, d.evidence FROM diagnoses d {where}", params).fetchall()
        records = []
        for r in rows:
            evidence = None
            if r[10] is not None:
                try:
                    evidence = self.cipher.decrypt(r[10])
                except ValueError:
                    log.warning("evidence of diagnosis %s cannot be decrypted with the configured keys", r[0])
            records.append(DiagnosisRecord(
                id=r[0], created=r[1], message_id=r[2], room_id=r[3], room_type=r[4], thread_id=r[5],
                person_id=r[6], source=r[7], outcome=r[8], results=json.loads(r[9]), evidence=evidence))
        if records:
            counts = self.feedback_counts([r.id for r in records])
            for rec in records:
                rec.feedback = counts.get(rec.id, {})
        return records

    def record_feedback(self, diagnosis_id: str, person_id: str, entry_id: str, vote: str, action_id: str) -> None:
        """One vote per person per diagnosis; a later vote replaces an earlier one."""
        if vote not in {"up", "down"}:
            raise ValueError(vote)
        self._execute(
            "INSERT INTO feedback (diagnosis_id, person_id, entry_id, vote, action_id, created) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (diagnosis_id, person_id) DO UPDATE SET "
            "vote = excluded.vote, entry_id = excluded.entry_id, action_id = excluded.action_id, "
            "created = excluded.created", (diagnosis_id, person_id, entry_id, vote, action_id, time.time()))

    def feedback_counts(self, diagnosis_ids: Sequence[str]) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for start in range(0, len(diagnosis_ids), 200):
            chunk = list(diagnosis_ids[start:start + 200])
            marks = ", ".join("?" for _ in chunk)
            rows = self._execute(f"SELECT diagnosis_id, vote, COUNT(*) FROM feedback WHERE diagnosis_id IN ({marks}) "
                                 "GROUP BY diagnosis_id, vote", chunk).fetchall()
            for did, vote, n in rows:
                out.setdefault(did, {})[vote] = n
        return out

    def table_counts(self) -> dict[str, int]:
        """Row counts, for tests and the health page."""
        names = ("jobs", "diagnoses", "case_links", "thread_cases", "feedback")
        return {n: self._execute(f"SELECT COUNT(*) FROM {n}").fetchone()[0] for n in names}


def open_storage(url: str, cipher: EvidenceCipher) -> Storage:
    return Storage(url, cipher)


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
