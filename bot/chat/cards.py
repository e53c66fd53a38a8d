"""The Adaptive Card (1.3) posted under a diagnosis: the top match and 👍 / 👎 feedback buttons."""
from __future__ import annotations

from typing import Any

from matchers import Diagnosis

CARD_VERSION = "1.3"
FEEDBACK_KIND = "diagnosis-feedback"

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"   # cards are plain data: no SDK needed here


def feedback_card(diagnosis: Diagnosis, diagnosis_id: str) -> dict[str, Any]:
    entry = diagnosis.entry
    confidence = f"{round(diagnosis.confidence * 100)}%"

    def submit(title: str, vote: str) -> dict[str, Any]:
        return {"type": "Action.Submit", "title": title,
                "data": {"kind": FEEDBACK_KIND, "vote": vote, "diagnosis": diagnosis_id, "entry": entry.id}}

    return {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": CARD_VERSION,
        "body": [
            {"type": "TextBlock", "text": "Top diagnosis", "size": "Small", "isSubtle": True},
            {"type": "TextBlock", "text": entry.title, "weight": "Bolder", "size": "Medium", "wrap": True},
            {"type": "TextBlock", "text": entry.summary, "wrap": True},
            {"type": "FactSet", "facts": [{"title": "Confidence", "value": confidence},
                                          {"title": "Entry", "value": entry.id}]},
            {"type": "TextBlock", "text": "Did this diagnosis solve it?", "wrap": True, "spacing": "Medium"},
        ],
        "actions": [submit("👍 Yes", "up"), submit("👎 No", "down")],
    }


def card_fallback(diagnosis: Diagnosis) -> str:
    """The markdown shown where cards are not rendered (notifications, old clients)."""
    return (f"Top diagnosis: **{diagnosis.entry.title}** ({round(diagnosis.confidence * 100)}%). "
            "Open this message in the Webex app to rate it 👍 / 👎.")


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def parse_feedback(inputs: Any) -> tuple[str, str, str] | None:
    """(diagnosis id, entry id, vote) from a card submission's inputs, or None if it is not ours."""
    if not isinstance(inputs, dict) or inputs.get("kind") != FEEDBACK_KIND:
        return None
    vote, diagnosis, entry = inputs.get("vote"), inputs.get("diagnosis"), inputs.get("entry")
    if vote not in {"up", "down"} or not isinstance(diagnosis, str) or not isinstance(entry, str):
        return None
    if not (0 < len(diagnosis) <= 64 and 0 < len(entry) <= 128):
        return None
    return diagnosis, entry, vote
