"""Reading the bot's posts in tests as a person reads them: a card's text in reading order (hidden sections
included, markdown escapes undone), or the markdown of a post without a card."""
from __future__ import annotations

import re
from typing import Any

_ESCAPED = re.compile(r"\\([\\*_\[\]`])")


def card_of(post: dict[str, Any]) -> dict[str, Any] | None:
    attachments = post.get("attachments") or []
    return attachments[0]["content"] if attachments else None


def _lines(items: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item.get("type") == "TextBlock":
            out.append(_ESCAPED.sub(r"\1", item["text"]))
        elif item.get("type") == "FactSet":
            out += [f"{f['title']}: {f['value']}" for f in item["facts"]]
        elif item.get("type") == "Input.ChoiceSet":
            out += [c["title"] for c in item["choices"]]
        out += _lines(item.get("items", []))
    return out


def card_text(card: dict[str, Any]) -> str:
    return "\n".join(_lines(card["body"]))


def answer_text(post: dict[str, Any]) -> str:
    """What the post says: its card when it has one, else its markdown."""
    card = card_of(post)
    return card_text(card) if card is not None else post["markdown"]


def buttons(post: dict[str, Any]) -> list[str]:
    card = card_of(post)
    return [a["title"] for a in card.get("actions", [])] if card else []


def action(post: dict[str, Any], title_start: str) -> dict[str, Any]:
    """The data of the card button whose title starts with `title_start`."""
    card = card_of(post)
    assert card is not None, "the post has no card"
    return next(a["data"] for a in card["actions"] if a["title"].startswith(title_start) and "data" in a)
