"""The evidence posted in each thread, so a follow-up is diagnosed with what came before it. Encrypted like all
kept evidence; bounded by the caller (bot/chat/thread_memory.py); purged once a thread has been quiet too long."""
from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence

from .db import Database

log = logging.getLogger(__name__)


class Threads(Database):
    def thread_evidence(self, room_id: str, thread_id: str) -> list[tuple[str, str, str]]:
        """The thread's kept pieces, oldest first, as (message id, name, text); [] when none (or unreadable)."""
        row = self._execute("SELECT evidence FROM thread_evidence WHERE room_id = ? AND thread_id = ?",
                            (room_id, thread_id)).fetchone()
        if row is None:
            return []
        try:
            return [(str(m), str(name), str(text)) for m, name, text in json.loads(self.cipher.decrypt(row[0]))]
        except ValueError:
            log.warning("the evidence of a thread cannot be decrypted with the configured keys")
            return []

    def set_thread_evidence(self, room_id: str, thread_id: str, pieces: Sequence[tuple[str, str, str]]) -> None:
        blob = self.cipher.encrypt(json.dumps([list(p) for p in pieces]))
        self._execute("INSERT INTO thread_evidence (room_id, thread_id, updated, evidence) VALUES (?, ?, ?, ?) "
                      "ON CONFLICT (room_id, thread_id) DO UPDATE SET updated = excluded.updated, "
                      "evidence = excluded.evidence", (room_id, thread_id, time.time(), blob))

    def purge_thread_evidence(self, older_than: float, now: float | None = None) -> int:
        """Forget threads with no new evidence for `older_than` seconds; how many were forgotten."""
        now = time.time() if now is None else now
        cur = self._execute("DELETE FROM thread_evidence WHERE updated < ?", (now - older_than,))
        return int(cur.rowcount)
