"""Diagnoses, the TAC cases they are linked to, and the feedback on them."""
from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .db import Database

log = logging.getLogger(__name__)


@dataclass
class NewDiagnosis:
    message_id: str
    room_id: str
    room_type: str
    thread_id: str
    person_id: str
    source: str
    outcome: str
    results: list[dict[str, Any]]          # [{"id", "title", "confidence"}], best first
    evidence: str | None = None            # kept (encrypted) only when the diagnosis is linked to a case
    cases: Sequence[str] = ()
    candidates: list[dict[str, str]] = field(default_factory=list)   # a triage's problems: [{"id", "title"}]


@dataclass(frozen=True)
class Feedback:
    """One person's feedback on a diagnosis: the vote and, after 👎, what was right and why."""

    person_id: str
    entry_id: str
    vote: str
    right_entry: str = ""
    reason: str = ""


@dataclass(kw_only=True)
class DiagnosisRecord(NewDiagnosis):
    """A stored diagnosis: evidence is decrypted on read (None when not kept)."""

    id: str
    created: float
    feedback: dict[str, int] = field(default_factory=dict)  # {"up": n, "down": n}


class Records(Database):
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
                "outcome, top_entry, top_confidence, results, evidence, candidates) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (diagnosis_id, now, new.message_id, new.room_id, new.room_type, new.thread_id, new.person_id,
                 new.source, new.outcome, top["id"], float(str(top["confidence"])), json.dumps(new.results), evidence,
                 json.dumps(new.candidates)))
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

    def set_thread_calls(self, room_id: str, thread_id: str, listing: str) -> None:
        """The call list of the thread's last evidence (encrypted: it names the callers), for `calls`."""
        blob = self.cipher.encrypt(listing)
        self._execute("INSERT INTO thread_calls (room_id, thread_id, updated, calls) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (room_id, thread_id) DO UPDATE SET updated = excluded.updated, "
                      "calls = excluded.calls", (room_id, thread_id, time.time(), blob))

    def thread_calls(self, room_id: str, thread_id: str) -> str | None:
        row = self._execute("SELECT calls FROM thread_calls WHERE room_id = ? AND thread_id = ?",
                            (room_id, thread_id)).fetchone()
        if row is None:
            return None
        try:
            return self.cipher.decrypt(row[0])
        except ValueError:
            log.warning("the call list of a thread cannot be decrypted with the configured keys")
            return None

    def get_diagnosis(self, diagnosis_id: str) -> DiagnosisRecord | None:
        rows = self._diagnoses("WHERE d.id = ?", (diagnosis_id,))
        return rows[0] if rows else None

    def case_history(self, case_number: str) -> list[DiagnosisRecord]:
        return self._diagnoses("JOIN case_links c ON c.diagnosis_id = d.id WHERE c.case_number = ? "
                               "ORDER BY d.created", (case_number,))

    def _diagnoses(self, where: str, params: Sequence[Any]) -> list[DiagnosisRecord]:
        rows = self._execute(
            "SELECT d.id, d.created, d.message_id, d.room_id, d.room_type, d.thread_id, d.person_id, d.source, "
            f"d.outcome, d.results, d.evidence, d.candidates FROM diagnoses d {where}", params).fetchall()
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
                person_id=r[6], source=r[7], outcome=r[8], results=json.loads(r[9]), evidence=evidence,
                candidates=json.loads(r[11] or "[]")))
        if records:
            counts = self.feedback_counts([r.id for r in records])
            for rec in records:
                rec.feedback = counts.get(rec.id, {})
        return records

    def record_feedback(self, diagnosis_id: str, person_id: str, entry_id: str, vote: str, action_id: str) -> None:
        """One vote per person per diagnosis; a later vote replaces an earlier one and the correction made after
        it (a new 👎 asks again)."""
        if vote not in {"up", "down"}:
            raise ValueError(vote)
        self._execute(
            "INSERT INTO feedback (diagnosis_id, person_id, entry_id, vote, action_id, created) "
            "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (diagnosis_id, person_id) DO UPDATE SET "
            "vote = excluded.vote, entry_id = excluded.entry_id, action_id = excluded.action_id, "
            "created = excluded.created, right_entry = '', reason = NULL",
            (diagnosis_id, person_id, entry_id, vote, action_id, time.time()))

    def record_correction(self, diagnosis_id: str, person_id: str, entry_id: str, right_entry: str, reason: str,
                          action_id: str) -> None:
        """What was right instead (an entry id or "none") and why, on that person's 👎 (made one if there was
        none: answering the question says the diagnosis did not help). The reason is encrypted: people paste."""
        blob = self.cipher.encrypt(reason) if reason else None
        self._execute(
            "INSERT INTO feedback (diagnosis_id, person_id, entry_id, vote, action_id, created, right_entry, reason) "
            "VALUES (?, ?, ?, 'down', ?, ?, ?, ?) ON CONFLICT (diagnosis_id, person_id) DO UPDATE SET "
            "vote = 'down', right_entry = excluded.right_entry, reason = excluded.reason, "
            "action_id = excluded.action_id, created = excluded.created",
            (diagnosis_id, person_id, entry_id, action_id, time.time(), right_entry, blob))

    def feedback_of(self, diagnosis_id: str) -> list[Feedback]:
        rows = self._execute("SELECT person_id, entry_id, vote, right_entry, reason FROM feedback "
                             "WHERE diagnosis_id = ? ORDER BY created", (diagnosis_id,)).fetchall()
        out = []
        for person, entry, vote, right, blob in rows:
            try:
                reason = self.cipher.decrypt(blob) if blob is not None else ""
            except ValueError:
                log.warning("a feedback reason cannot be decrypted with the configured keys")
                reason = ""
            out.append(Feedback(person, entry, vote, right, reason))
        return out

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
