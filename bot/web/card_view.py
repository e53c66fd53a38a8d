"""An Adaptive Card as HTML for the local page, close to how Webex shows it: text blocks through the same
markdown renderer as the messages (raw HTML escaped), hidden containers as sections their toggle opens, inputs
as form fields, and one form whose submit buttons each carry their action's data, posted to /feedback."""
from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from markupsafe import Markup, escape

from ..render.html import to_html

_ESCAPED = re.compile(r"\\([\\*_\[\]`])")


def _unescaped(value: str) -> str:
    """Text the card escaped for markdown, as a markdown renderer shows it (for blocks not rendered here)."""
    return _ESCAPED.sub(r"\1", value)


def _text(block: dict[str, Any]) -> str:
    value = str(block.get("text", ""))
    if block.get("fontType") == "Monospace":
        return f'<pre class="mono">{escape(_unescaped(value))}</pre>'
    if block.get("size") == "Medium" and block.get("weight") == "Bolder":
        return f"<h3>{escape(_unescaped(value))}</h3>"
    css = " subtle" if block.get("isSubtle") else ""
    return f'<div class="tb{css}">{to_html(value)}</div>'


def _input(element: dict[str, Any]) -> str:
    name = escape(element.get("id", ""))
    label = f'<label for="in-{name}">{escape(element.get("label", ""))}</label>' if element.get("label") else ""
    if element["type"] == "Input.ChoiceSet":
        options = "".join(f'<option value="{escape(c["value"])}">{escape(c["title"])}</option>'
                          for c in element.get("choices", ()))
        return f'{label}<select id="in-{name}" name="{name}">{options}</select>'
    size = int(element.get("maxLength", 0) or 0)
    limit = f' maxlength="{size}"' if size else ""
    return (f'{label}<input id="in-{name}" name="{name}" type="text"{limit} '
            f'placeholder="{escape(element.get("placeholder", ""))}">')


def _elements(items: Sequence[dict[str, Any]], toggles: dict[str, str]) -> str:
    out = []
    for item in items:
        kind = item.get("type")
        if kind == "TextBlock":
            out.append(_text(item))
        elif kind == "FactSet":
            rows = "".join(f"<dt>{escape(f['title'])}</dt><dd>{escape(f['value'])}</dd>" for f in item["facts"])
            out.append(f"<dl>{rows}</dl>")
        elif kind == "Container":
            inner = _elements(item.get("items", ()), toggles)
            if item.get("isVisible") is False:
                title = escape(toggles.get(item.get("id", ""), "more"))
                out.append(f'<details id="{escape(item.get("id", ""))}"><summary>{title}</summary>{inner}</details>')
            else:
                out.append(f'<div class="box">{inner}</div>')
        elif kind in ("Input.Text", "Input.ChoiceSet"):
            out.append(f'<div class="input">{_input(item)}</div>')
    return "".join(out)


def _button(action: dict[str, Any]) -> str:
    data = action.get("data") or {}
    css = f"vote-{data['vote']}" if "vote" in data else f"action-{data.get('kind', 'submit')}"
    return (f'<button class="secondary {escape(css)}" type="submit" name="action" '
            f'value="{escape(json.dumps(data))}">{escape(action.get("title", ""))}</button>')


def card_html(card: dict[str, Any] | None) -> Markup | None:
    if card is None:
        return None
    actions = card.get("actions", ())
    toggles = {target: a.get("title", "") for a in actions if a["type"] == "Action.ToggleVisibility"
               for target in a.get("targetElements", ())}
    buttons = "".join(_button(a) for a in actions if a["type"] == "Action.Submit")
    return Markup(f'<form class="card" id="card" method="post" action="/feedback">'
                  f'<div class="small">Adaptive Card {escape(card.get("version", ""))}</div>'
                  f'{_elements(card.get("body", ()), toggles)}<div class="actions">{buttons}</div></form>')


def submitted(form: dict[str, str]) -> dict[str, Any]:
    """A local card submission as Webex would deliver it: the button's data merged with the card's inputs."""
    inputs: dict[str, Any] = {k: v for k, v in form.items() if k != "action"}
    try:
        data = json.loads(form.get("action", "") or "{}")
    except ValueError:
        data = {}
    if isinstance(data, dict):
        inputs.update(data)
    return inputs
