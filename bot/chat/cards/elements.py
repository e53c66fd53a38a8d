"""Adaptive Card (1.3) building blocks, as plain data (no SDK), within what Webex renders.

Webex shows cards up to version 1.3, with at most five buttons (actions) per card, and a subset of markdown in
text blocks: bold, italic, lists and links, no code spans (backticks show as typed). So text from the knowledge
base loses its backticks here and the characters markdown would eat inside them are escaped; log lines go in
monospace blocks, escaped the same way.

>>> card_markdown("Set `.*@.*\\\\.webex\\\\.com` in **Search rules**")
'Set .\\\\*@.\\\\*\\\\\\\\.webex\\\\\\\\.com in **Search rules**'
>>> card_markdown("### Certificate 1")
'**Certificate 1**'
"""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

CARD_VERSION = "1.3"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_ACTIONS = 5                  # Webex: a card may include up to five buttons
MAX_CARD_BYTES = 16 * 1024       # our ceiling for the card's JSON, well under the ~28 KB a message may carry

Element = dict[str, Any]

_MARKDOWN_CHARS = re.compile(r"([\\*_\[\]`])")
_CODE_SPAN = re.compile(r"`([^`\n]*)`")
_HEADING = re.compile(r"^#{1,6}\s+(.*)$", re.MULTILINE)


def escape(text: str) -> str:
    """Text shown as written: the characters card markdown would read as emphasis, links or escapes."""
    return _MARKDOWN_CHARS.sub(r"\\\1", text)


def card_markdown(markdown: str) -> str:
    """Reply markdown as a card text block shows it: code spans as their (escaped) text, headings in bold."""
    return _HEADING.sub(r"**\1**", _CODE_SPAN.sub(lambda m: escape(m.group(1)), markdown))


def cut(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a line or a word, with an ellipsis."""
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    for sep in ("\n", " "):
        if sep in head[limit // 2:]:
            head = head.rsplit(sep, 1)[0]
            break
    return head + " …"


def text(value: str, *, size: str = "", weight: str = "", subtle: bool = False, mono: bool = False,
         spacing: str = "") -> Element:
    block: Element = {"type": "TextBlock", "text": value, "wrap": True}
    for key, val in (("size", size), ("weight", weight), ("spacing", spacing)):
        if val:
            block[key] = val
    if subtle:
        block["isSubtle"] = True
    if mono:
        block["fontType"] = "Monospace"
    return block


def heading(value: str) -> Element:
    return text(value, weight="Bolder", spacing="Medium")


def facts(pairs: Sequence[tuple[str, str]]) -> Element:
    return {"type": "FactSet", "facts": [{"title": t, "value": v} for t, v in pairs]}


def container(items: Sequence[Element], *, element_id: str = "", hidden: bool = False,
              separator: bool = False) -> Element:
    box: Element = {"type": "Container", "items": list(items)}
    if element_id:
        box["id"] = element_id
    if hidden:
        box["isVisible"] = False
    if separator:
        box["separator"] = True
    return box


def submit(title: str, data: dict[str, str]) -> Element:
    return {"type": "Action.Submit", "title": title, "data": data}


def toggle(title: str, targets: Sequence[str]) -> Element:
    return {"type": "Action.ToggleVisibility", "title": title, "targetElements": list(targets)}


def adaptive_card(body: Sequence[Element], actions: Sequence[Element] = ()) -> Element:
    if len(actions) > MAX_ACTIONS:
        raise ValueError(f"{len(actions)} actions; Webex shows at most {MAX_ACTIONS}")
    card: Element = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": list(body)}
    if actions:
        card["actions"] = list(actions)
    return card


def attachment(card: Element) -> Element:
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def card_bytes(card: Element) -> int:
    """The card's size as posted (compact JSON, UTF-8)."""
    return len(json.dumps(card, ensure_ascii=False, separators=(",", ":")).encode())


_FENCE = re.compile(r"```\n(.*?)\n```", re.DOTALL)


def markdown_blocks(markdown: str, limit: int) -> list[Element]:
    """A block of reply markdown (what was read from a certificate, a capture, a screenshot) as text blocks,
    fenced code in monospace, at most `limit` characters in all."""
    out: list[Element] = []
    left = limit
    pos = 0
    for m in [*_FENCE.finditer(markdown), None]:
        prose = markdown[pos: m.start() if m else len(markdown)].strip()
        if prose and left > 0:
            out.append(text(cut(card_markdown(prose), left)))
            left -= len(prose)
        if m is None:
            break
        if left > 0:
            out.append(text(cut(escape(m.group(1)), left), mono=True, size="Small"))
            left -= len(m.group(1))
        pos = m.end()
    return out
