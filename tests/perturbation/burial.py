"""`buried`: the paste is one excerpt inside a long healthy log, as when someone attaches a whole log."""
from __future__ import annotations

import random
import re
from datetime import datetime, timedelta

from .noise import healthy_blocks

MIN_LINES, MAX_LINES = 200, 5000
_HEADERS = (
    "via|from|to|call-id|cseq|contact|route|record-route|max-forwards|user-agent|server|allow|supported|accept|"
    "content-type|content-length|session-expires|p-asserted-identity|remote-party-id|warning|reason|require|"
    "expires|locus|locus-type|date|min-se|allow-events|call-info|x-cisco-[a-z-]+|sipmsg|details?|issued (?:to|by)"
)
# Lines a product or a shell printed: time stamps, numbers, SIP, xConfiguration, headers, prompts.
_PRINTED = re.compile(
    rf"^\s*(\||\*c\s|xconfig|\d|(?:{_HEADERS})\s*:|[\w.-]+=|sip/2\.0|[A-Z]+ sips?:|v\s|no\.\s|~|#|\$|;|c:\\)",
    re.I,
)
_PLAIN_WORD = re.compile(r"[(\"']?[A-Za-z][A-Za-z'’-]*[)\"'.,;:!?]*")
_ISO = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)")


def is_prose(line: str) -> bool:
    """A line a person wrote (a greeting, a question, a remark), not one a product printed.

    >>> is_prose("Umbrella here - calls from the Webex app never ring our desk phones:")
    True
    >>> is_prose('2023-02-07T10:14:07.388+01:00 umb-expe01 tvcs: Event="Call Attempted"')
    False
    """
    tokens = line.split()
    words = sum(1 for t in tokens if _PLAIN_WORD.fullmatch(t))
    if not tokens or "   " in line.strip() or line.count('="') >= 2 or _PRINTED.match(line):
        return False
    if words == len(tokens) and (tokens[0][0].islower() or tokens[-1][-1] in "?!.:,"):
        return True   # a short remark ("thanks", "any idea?"); a capitalised bare heading is a UI label
    return words >= 4 and 2 * words >= len(tokens)   # sentences are mostly plain words, records are not


def split_chat(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """The paste as (prose it starts with, the evidence, prose it ends with); blank lines go with the prose."""
    first = 0
    while first < len(lines) and (not lines[first].strip() or is_prose(lines[first])):
        first += 1
    last = len(lines)
    while last > first and (not lines[last - 1].strip() or is_prose(lines[last - 1])):
        last -= 1
    return lines[:first], lines[first:last], lines[last:]


def _start_near(text: str, rng: random.Random) -> datetime | None:
    """The noise starts a little before the paste's own first time stamp, so the log reads as one log."""
    m = _ISO.search(text)
    if not m:
        return None
    try:
        t = datetime.strptime(f"{m.group(1)} {m.group(2)}", "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None
    return t - timedelta(seconds=rng.randint(60, 3600))


def buried(text: str, rng: random.Random) -> str:
    """The paste's evidence at a random place among 200-5,000 lines of healthy log. Prose it starts or ends with
    stays at the top or the bottom, where a person writes it; a paste that is all prose is followed by the log.

    >>> out = buried("hi all, see the log below\\nSIP/2.0 200 OK\\nthanks\\n", random.Random(4))
    >>> lines = out.split("\\n")
    >>> lines[0], "SIP/2.0 200 OK" in lines, lines[-2], len(lines) > 200
    ('hi all, see the log below', True, 'thanks', True)
    """
    trailing_newline = text.endswith("\n")
    head, body, tail = split_chat(text.rstrip("\n").split("\n"))
    blocks = healthy_blocks(rng, rng.randint(MIN_LINES, MAX_LINES), _start_near(text, rng))
    at = rng.randint(0, len(blocks)) if body else 0
    before = [line for block in blocks[:at] for line in block]
    after = [line for block in blocks[at:] for line in block]
    if not body:   # all prose: the message, then the log it came with
        return "\n".join([*head, *after, *tail]) + "\n"
    out = "\n".join([*head, *before, *body, *after, *tail])
    return out + "\n" if trailing_newline else out
