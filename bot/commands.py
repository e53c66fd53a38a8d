"""The few commands the bot understands. Anything else is evidence or a question for the engine: a command
is a whole, short, single-line message, so a pasted log that contains "help" is still evidence.

>>> parse("help")
Command(name='help', arg='')
>>> parse("/explain 603")
Command(name='explain', arg='603')
>>> parse("case SR 694123456")
Command(name='case', arg='694123456')
>>> parse("help me, calls fail with 603 decline") is None
True
>>> parse("Level=DEBUG help\\nsecond line") is None
True
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .cases import CASE_COMMAND_NUMBER

_COMMAND = re.compile(r"^/?(help|topics|explain|case)\b[\s:]*(.*)$", re.IGNORECASE)


@dataclass(frozen=True)
class Command:
    name: str
    arg: str


def parse(text: str) -> Command | None:
    t = text.strip()
    if not t or "\n" in t or len(t) > 100:
        return None
    m = _COMMAND.match(t)
    if not m:
        return None
    name, arg = m.group(1).lower(), m.group(2).strip().rstrip("?").strip()
    if name in {"help", "topics"}:
        return Command(name, "") if not arg else None
    if name == "explain":
        return Command(name, arg) if arg and " " not in arg else None
    number = CASE_COMMAND_NUMBER.match(arg)
    if number:
        return Command(name, number.group(1))
    if not arg or re.fullmatch(r"(?:sr|tac)?\s*#?\s*\d{1,15}", arg, re.IGNORECASE):
        return Command(name, "invalid")
    return None
