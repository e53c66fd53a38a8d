"""Who may use the bot: optional allow-lists of email domains, person ids and room ids.

With no list set everyone may. With any set, a message is allowed when its sender's email domain, its
sender's person id or its room id is on a list. Everyone else gets one polite refusal (remembered in
memory only, per person and space, for a day) and nothing about them is stored.
"""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from .config import Config

REFUSAL = ("Sorry, I am set up to help a limited set of organisations and spaces, and this one is not on my "
           "list, so I have not read or kept your message. If you think you should have access, ask whoever "
           "added me to this space.")
BOT_EMAIL_DOMAINS = ("@webex.bot", "@sparkbot.io")


def is_bot_email(email: str) -> bool:
    return email.lower().endswith(BOT_EMAIL_DOMAINS)


@dataclass
class AccessPolicy:
    email_domains: frozenset[str] = frozenset()
    person_ids: frozenset[str] = frozenset()
    room_ids: frozenset[str] = frozenset()
    refusal_memory: float = 24 * 3600
    _refused: dict[tuple[str, str], float] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def from_config(cls, config: Config) -> AccessPolicy:
        return cls(config.allowed_email_domains, config.allowed_person_ids, config.allowed_room_ids)

    @property
    def open(self) -> bool:
        return not (self.email_domains or self.person_ids or self.room_ids)

    @property
    def needs_email(self) -> bool:
        return bool(self.email_domains)

    def allows(self, person_id: str, email: str, room_id: str) -> bool:
        if self.open:
            return True
        if person_id and person_id in self.person_ids:
            return True
        if room_id and room_id in self.room_ids:
            return True
        domain = email.rsplit("@", 1)[-1].lower() if "@" in email else ""
        return bool(domain) and domain in self.email_domains

    def should_refuse(self, person_id: str, room_id: str) -> bool:
        """True the first time (per person and space, per day) someone not allowed writes."""
        now = time.monotonic()
        key = (person_id, room_id)
        with self._lock:
            if len(self._refused) > 10000:
                self._refused = {k: t for k, t in self._refused.items() if now - t < self.refusal_memory}
            last = self._refused.get(key)
            if last is not None and now - last < self.refusal_memory:
                return False
            self._refused[key] = now
            return True
