"""What a card button sends back, and the strict reading of a submission: anything that is not exactly one of
ours (kind, well-formed ids, known vote, bounded lengths) is None and ignored."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

VOTE = "diagnosis-feedback"          # 👍 / 👎 on a diagnosis
EXPLAIN = "explain-entry"            # post one of the report's problems in full

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


Action = Vote | Explain


def vote_data(diagnosis_id: str, entry_id: str, vote: str) -> dict[str, str]:
    return {"kind": VOTE, "vote": vote, "diagnosis": diagnosis_id, "entry": entry_id}


def explain_data(diagnosis_id: str, entry_id: str) -> dict[str, str]:
    return {"kind": EXPLAIN, "diagnosis": diagnosis_id, "entry": entry_id}


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
    return None
