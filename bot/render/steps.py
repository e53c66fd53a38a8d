"""Resolution steps as the user reads them: filled with the values their paste shows, the steps their paste already
answers marked done, and alternatives shown as options rather than as more numbered steps.

>>> from matchers.model import Step
>>> steps = (Step("Run the Control Hub test.", done_when=("socket_failed",)),
...          Step("Open the zone {{zone|of the Webex traversal}}."),
...          Step("Get a certificate from a public CA.", option="A - public CA"),
...          Step("Upload it.", option="A - public CA"),
...          Step("Use your private CA instead.", option="B - private CA"))
>>> print("\\n".join(steps_markdown(steps, {"zone": "HybridTraversal"}, {"socket_failed"})))
1. ✅ done · your paste shows this: Run the Control Hub test.
2. Open the zone HybridTraversal.
3. **Option A - public CA:**
   1. Get a certificate from a public CA.
   2. Upload it.
4. **Option B - private CA:**
   1. Use your private CA instead.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from matchers.model import Step

INFERRED = " _(inferred: not stated in the source guide)_"
DONE = "✅ done · your paste shows this: "
_VALUE = re.compile(r"\{\{([a-z_]+)\|([^{}]*)\}\}")


def fill(text: str, values: Mapping[str, str]) -> str:
    """`{{name|default}}` becomes the paste's value, or the default when the paste does not show it.

    >>> fill("Set the pattern to .*@{{subdomain|%Webex_subdomain%}}", {}), fill("{{zone|the zone}}", {"zone": "Z1"})
    ('Set the pattern to .*@%Webex_subdomain%', 'Z1')
    """
    return _VALUE.sub(lambda m: values.get(m.group(1)) or m.group(2), text)


def _first_clause(text: str) -> str:
    """The text up to its first ": " or ". " outside `code`.

    >>> _first_clause("Find which Expressway sent the 404: the `Warning: 399 x` tells you.")
    'Find which Expressway sent the 404'
    """
    in_code = False
    for i, char in enumerate(text):
        if char == "`":
            in_code = not in_code
        elif char in ".:" and not in_code and text[i + 1:i + 2] in (" ", "\n"):
            return text[:i]
    return text.rstrip(".")


def is_done(step: Step, fired: Iterable[str]) -> bool:
    return bool(set(step.done_when) & set(fired))


def steps_markdown(steps: Sequence[Step], values: Mapping[str, str] | None = None,
                   fired: Iterable[str] = ()) -> list[str]:
    """Numbered lines; the steps of one option are one numbered item with its own sub-steps."""
    values = values or {}
    fired = set(fired)
    lines: list[str] = []
    number, sub, option = 0, 0, ""
    for step in steps:
        text = fill(step.text, values)
        if is_done(step, fired):   # said in a few words: the paste already holds its result
            text = DONE + _first_clause(text) + "."
        elif step.inferred:
            text += INFERRED
        if step.option and step.option == option:
            sub += 1
            lines.append(f"   {sub}. {text}")
            continue
        number += 1
        option, sub = step.option, 0
        if step.option:
            sub = 1
            lines += [f"{number}. **Option {step.option}:**", f"   1. {text}"]
        else:
            lines.append(f"{number}. {text}")
    return lines


def items(lines: list[str]) -> list[list[str]]:
    """The numbered items of `steps_markdown`'s lines (an option with its sub-steps is one item)."""
    out: list[list[str]] = []
    for line in lines:
        if line.startswith("   ") and out:
            out[-1].append(line)
        else:
            out.append([line])
    return out
