"""What a card button sends back, and the strict reading of a submission: anything that is not exactly one of
ours (kind, well-formed ids, known vote, bounded lengths) is None and ignored."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

VOTE = "diagnosis-feedback"          # 👍 / 👎 on a diagnosis
EXPLAIN = "explain-entry"            # post one of the report's problems in full
CORRECTION = "diagnosis-correction"  # after 👎: which problem was right, or a short reason
NONE_RIGHT = "none"                  # the correction's "none of these"
MAX_REASON = 300                     # characters; the card's text field says so to the client too

_DIAGNOSIS_ID = re.compile(r"[0-9a-f]{32}")            # storage: uuid4().hex
_ENTRY_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,127}")    # knowledge-base ids


@dataclass(frozen=True)
class Vote:
    diagnosis: str
    entry: str          # the diagnosis voted on; "" for a triage, which has none
    vote: str           # up | down


@dataclass(frozen=True)
class Explain:
    diagnosis: str
    entry: str


@dataclass(frozen=True)
class Correction:
    diagnosis: str
    right: str          # an entry id, NONE_RIGHT, or "" when only a reason was given
    reason: str         # "" when none was written


Action = Vote | Explain | Correction


def vote_data(diagnosis_id: str, entry_id: str, vote: str) -> dict[str, str]:
    return {"kind": VOTE, "vote": vote, "diagnosis": diagnosis_id, "entry": entry_id}


def explain_data(diagnosis_id: str, entry_id: str) -> dict[str, str]:
    return {"kind": EXPLAIN, "diagnosis": diagnosis_id, "entry": entry_id}


def correction_data(diagnosis_id: str) -> dict[str, str]:
    return {"kind": CORRECTION, "diagnosis": diagnosis_id}


def clean_reason(value: Any) -> str | None:
    """The reason as stored: whitespace and control characters folded to single spaces; None when it is not
    text or longer than MAX_REASON (the client enforces that length, so a longer one was not typed there)."""
    if not isinstance(value, str):
        return None
    folded = " ".join("".join(c if c.isprintable() else " " for c in value).split())
    return folded if len(folded) <= MAX_REASON else None


def is_entry_id(value: Any) -> bool:
    return isinstance(value, str) and _ENTRY_ID.fullmatch(value) is not None


def parse_action(inputs: Any) -> Action | None:
    """The action a card submission asks for, or None when it is not one of ours, well formed."""
    if not isinstance(inputs, dict):
        return None
    diagnosis = inputs.get("diagnosis")
    if not isinstance(diagnosis, str) or not _DIAGNOSIS_ID.fullmatch(diagnosis):
        return None
    kind, entry = inputs.get("kind"), inputs.get("entry")
    if kind == VOTE and inputs.get("vote") in {"up", "down"} and (entry == "" or is_entry_id(entry)):
        return Vote(diagnosis, str(entry), str(inputs["vote"]))
    if kind == EXPLAIN and is_entry_id(entry):
        return Explain(diagnosis, str(entry))
    if kind == CORRECTION:
        right, reason = inputs.get("right", ""), clean_reason(inputs.get("reason", ""))
        if reason is not None and (right in ("", NONE_RIGHT) or is_entry_id(right)):
            return Correction(diagnosis, str(right), reason)
    return None
