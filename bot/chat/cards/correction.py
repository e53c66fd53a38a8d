"""The small card a 👎 gets: which of the report's other problems was right (or none of them), and an optional
short reason, so a wrong answer teaches something."""
from __future__ import annotations

from collections.abc import Sequence

from .actions import MAX_REASON, NONE_RIGHT, correction_data
from .elements import Element, adaptive_card, cut, submit, text

CORRECTION_FALLBACK = ("Thanks, noted that this diagnosis did not help. Which one was right? Open this message in "
                       "the Webex app to choose, or reply in this thread with more evidence.")


def correction_card(diagnosis_id: str, choices: Sequence[tuple[str, str]]) -> Element:
    """`choices`: (entry id, title) of the other diagnoses or the triage's candidates, best first."""
    options = [{"title": cut(title, 80), "value": entry_id} for entry_id, title in choices]
    options.append({"title": "None of these", "value": NONE_RIGHT})
    body = [
        text("Thanks, noted that this diagnosis did not help.", weight="Bolder"),
        text("Which one was right?" if choices else "Was it another problem?", spacing="Small"),
        {"type": "Input.ChoiceSet", "id": "right", "style": "compact", "label": "The right one",
         "placeholder": "Choose one", "choices": options},
        {"type": "Input.Text", "id": "reason", "label": "Or in a few words (optional)", "isMultiline": True,
         "maxLength": MAX_REASON, "placeholder": "What was it really? What did you find?"},
    ]
    return adaptive_card(body, [submit("Send", correction_data(diagnosis_id))])
