"""The spaces the bot has greeted: once per space, whichever instance receives the membership webhook."""
from __future__ import annotations

import time

from .db import Database


class Spaces(Database):
    def mark_greeted(self, room_id: str) -> bool:
        """True the first time only: the caller that gets True posts the greeting."""
        cur = self._execute("INSERT INTO greeted_rooms (room_id, created) VALUES (?, ?) ON CONFLICT (room_id) "
                            "DO NOTHING", (room_id, time.time()))
        return bool(cur.rowcount == 1)

    def was_greeted(self, room_id: str) -> bool:
        return self._execute("SELECT 1 FROM greeted_rooms WHERE room_id = ?", (room_id,)).fetchone() is not None
