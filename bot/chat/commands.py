"""The few commands the bot understands. Anything else is evidence or a question for the engine: a command
is a whole, short, single-line message, so a pasted log that contains "help" is still evidence.

>>> parse("help")
Command(name='help', arg='')
>>> parse("/explain 603")
Command(name='explain', arg='603')
>>> parse("calls")
Command(name='calls', arg='')
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


@dataclass(frozen=True)
class CommandSpec:
    name: str
    usage: str          # as shown in `help`
    help: str


# The one list of commands: parsing, dispatch (Responder.COMMAND_HANDLERS) and the help text come from it.
COMMANDS: tuple[CommandSpec, ...] = (
    CommandSpec("help", "`help`", "this text"),
    CommandSpec("topics", "`topics`", "every problem and how-to I know"),
    CommandSpec("explain", "`explain <id>` or `explain <SIP code>`",
                "one entry in full, or the problems a SIP response code appears in"),
    CommandSpec("case", "`case <number>`", "what has been diagnosed for a TAC case"),
    CommandSpec("calls", "`calls`", "the calls in the last evidence of this thread: time, from, to, final "
                "response, diagnosis"),
)
_COMMAND = re.compile(r"^/?(" + "|".join(c.name for c in COMMANDS) + r")\b[\s:]*(.*)$", re.IGNORECASE)

HELP = """### Hybrid Call Service Connect diagnosis
Paste what you have from the failing deployment, or attach it, and I answer in this thread with the documented \
diagnosis, the evidence I matched and the resolution steps:
- Expressway-C/E diagnostic logs, SIP messages, `xConfiguration` output, Unified CM SDL traces;
- Wireshark or tcpdump lines, Control Hub test output, `netstat`/`nslookup`/`dig` output, OCR'd screenshot text;
- certificates (PEM pasted or attached), screenshots (read with OCR) and packet captures on port 5062/5061;
- files: {files}
- or a question in words, such as "calls from Webex to our desk phones never ring" (English or 中文).

Commands (the whole message):
{commands}

Mention a TAC case number (`SR 694123456`) in a message, or earlier in its thread, and I record the diagnosis \
in that case's history. Evidence kept for case history is encrypted at rest."""


def help_text(files: str) -> str:
    """The `help` reply: what can be sent (`files`: the file kinds the intake reads) and every command."""
    commands = "\n".join(f"- {c.usage}: {c.help}" for c in COMMANDS)
    return HELP.format(files=files, commands=commands)


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
    if name in {"help", "topics", "calls"}:
        return Command(name, "") if not arg else None
    if name == "explain":
        return Command(name, arg) if arg and " " not in arg else None
    number = CASE_COMMAND_NUMBER.match(arg)
    if number:
        return Command(name, number.group(1))
    if not arg or re.fullmatch(r"(?:sr|tac)?\s*#?\s*\d{1,15}", arg, re.IGNORECASE):
        return Command(name, "invalid")
    return None
