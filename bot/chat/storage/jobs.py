"""The job table that makes webhook processing exactly-once.

A webhook inserts one row keyed by the Webex message (or action) id; the insert that wins owns the work, every
duplicate delivery finds the row and stops. A job whose worker died is taken over once its lease runs out; one
that failed transiently is retried later; one that keeps failing is marked failed and logged, never silently
dropped.
"""
from __future__ import annotations

import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from .db import Database

_CLAIMABLE = ("((status IN ('pending', 'retry') AND available_at <= ?) "
              "OR (status = 'running' AND lease_until <= ?))")



@dataclass
class Job:
    id: str
    kind: str
    payload: dict[str, Any]
    attempts: int
    owner: str
    progress: dict[str, Any] = field(default_factory=dict)



class Jobs(Database):
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
