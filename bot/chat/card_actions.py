"""What the bot does when a card button is pressed: store a vote (a 👎 asks which problem was right), store the
answer to that question, or post one of the report's problems in full.

Every submission is checked against the diagnosis it names: it must exist, have been made in the room the
button was pressed in, and the entry must be one of that report's diagnoses or candidates. Anything else is
ignored (None), so a forged or replayed submission stores and posts nothing.
"""
from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .cards import Correction, Explain, Vote, parse_action
from .cards.actions import NONE_RIGHT
from .cards.correction import CORRECTION_FALLBACK, correction_card
from .storage import DiagnosisRecord, Storage

log = logging.getLogger(__name__)


@dataclass
class ActionReply:
    thread_id: str                      # where the reply goes: the thread of the diagnosis
    parts: list[str]                    # markdown messages
    card: dict[str, Any] | None = None  # sent with the first part
    ack: bool = True                    # a short acknowledgement (the local page shows it as a notice)


def entries_of(record: DiagnosisRecord) -> set[str]:
    """The problems a stored report named: its diagnoses and its triage candidates."""
    return {str(r["id"]) for r in record.results} | {str(c["id"]) for c in record.candidates}


class CardActions:
    def __init__(self, storage: Storage, explain: Callable[[str], list[str]]) -> None:
        self.storage = storage
        self.explain = explain          # entry id -> the `explain <id>` reply, in parts

    def handle(self, inputs: Any, person_id: str, room_id: str, action_id: str) -> ActionReply | None:
        action = parse_action(inputs)
        if action is None:
            return None
        record = self.storage.get_diagnosis(action.diagnosis)
        if record is None or record.room_id != room_id:
            log.info("card action %s names no diagnosis of its space; ignored", action_id)
            return None
        if isinstance(action, Explain):
            return self._explain(action, record)
        if isinstance(action, Correction):
            return self._correction(action, record, person_id, action_id)
        return self._vote(action, record, person_id, action_id)

    def _explain(self, action: Explain, record: DiagnosisRecord) -> ActionReply | None:
        if action.entry not in entries_of(record):
            log.info("explain %s is not part of diagnosis %s; ignored", action.entry, record.id)
            return None
        return ActionReply(record.thread_id, self.explain(action.entry), ack=False)

    def _vote(self, action: Vote, record: DiagnosisRecord, person_id: str, action_id: str) -> ActionReply | None:
        top = str(record.results[0]["id"]) if record.results else ""
        if action.entry != top:   # the vote is on the report's top diagnosis, or on a triage ("")
            log.info("vote %s does not match diagnosis %s; ignored", action_id, record.id)
            return None
        self.storage.record_feedback(record.id, person_id, action.entry, action.vote, action_id)
        if action.vote == "up":
            return ActionReply(record.thread_id, ["Thanks, noted that this diagnosis helped."])
        return ActionReply(record.thread_id, [CORRECTION_FALLBACK], card=correction_card(record.id, _others(record)),
                           ack=False)

    def _correction(self, action: Correction, record: DiagnosisRecord, person_id: str,
                    action_id: str) -> ActionReply | None:
        offered = {entry_id for entry_id, _ in _others(record)}
        if action.right not in offered | {NONE_RIGHT, ""}:
            log.info("correction %s names a problem diagnosis %s did not offer; ignored", action_id, record.id)
            return None
        if not action.right and not action.reason:
            return ActionReply(record.thread_id, ["Choose which one was right, or write a few words, then Send."])
        top = str(record.results[0]["id"]) if record.results else ""
        self.storage.record_correction(record.id, person_id, top, action.right, action.reason, action_id)
        if action.right == NONE_RIGHT:
            said = "none of these was right"
        elif action.right:
            said = f"`{action.right}` was the right one (`explain {action.right}` shows it in full)"
        else:
            said = "what you wrote"
        note = " and your note" if action.reason and action.right else ""
        return ActionReply(record.thread_id, [f"Thanks, noted that {said}{note}."])


def _others(record: DiagnosisRecord) -> list[tuple[str, str]]:
    """The choices after a 👎: the report's other diagnoses, or a triage's candidates, best first."""
    rows = record.results[1:] if record.results else record.candidates
    return [(str(r["id"]), str(r.get("title") or r["id"])) for r in rows]
