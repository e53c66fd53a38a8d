"""Undo the layout a paste picked up on its way: `> ` chat quotes, and a terminal's or mail client's hard wrap.

A wrapped paste is read as the lines it was before the wrap, so a record cut at column 80 is one record again.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

_QUOTE = re.compile(r"^[ \t]*> ?")


def unquote(lines: list[str]) -> list[str]:
    """A paste quoted as a chat or mail reply (`> ` before every line) read without the marks.

    >>> unquote(["> Detail=x", ">", "> second"])
    ['Detail=x', '', 'second']
    """
    filled = [line for line in lines if line.strip()]
    quoted = sum(1 for line in filled if _QUOTE.match(line))
    if not filled or quoted < 2 or quoted < 0.8 * len(filled):
        return lines
    return [_QUOTE.sub("", line, count=1) for line in lines]


MIN_WRAP_WIDTH = 72   # narrower than any terminal or mail client wraps: a table, not a wrap
MAX_WRAP_WIDTH = 200
CONTINUATION_INDENT = "  "


def wrap_width(lines: list[str]) -> int:
    """The column a terminal or mail client hard-wrapped this paste at, or 0.

    A hard wrap leaves a spike of lines exactly as long as the widest one: natural line lengths spread out, so
    more lines of exactly that length than of the two lengths below it is the mark of a wrap.

    >>> wrap_width(["a" * 80, "b" * 20, "c" * 80, "d" * 5])
    80
    >>> wrap_width(["a" * 80, "b" * 79, "c" * 78, "d" * 80])
    0
    """
    lengths: dict[int, int] = {}
    for line in lines:
        lengths[len(line)] = lengths.get(len(line), 0) + 1
    widest = max(lengths)
    if not MIN_WRAP_WIDTH <= widest <= MAX_WRAP_WIDTH or lengths[widest] < 2:
        return 0
    at_width = [line for line in lines if len(line) == widest]
    if lengths[widest] == 2 and all(line[:1].isspace() for line in at_width):
        return 0   # two indented rows of a table (a capture listing) that happen to be as long
    if len({_DIGITS.sub("9", line[-6:]) for line in at_width}) == 1:
        return 0   # rows of one format (the same deny or SYN line) end alike; a cut falls anywhere in a token
    return widest if lengths[widest] > lengths.get(widest - 1, 0) + lengths.get(widest - 2, 0) else 0


def unwrap(lines: list[str], numbers: list[int], width: int) -> tuple[list[str], list[int]]:
    """Join each line cut at `width` with its continuation (mid-token, so with no space); continuations that all
    start with the same two-space indent lose it."""
    follows = [lines[i + 1] for i in range(len(lines) - 1) if len(lines[i]) == width and lines[i + 1].strip()]
    # every continuation indented alike; one whose cut fell before a blank has a third blank, not all of them
    indented = (bool(follows) and all(f.startswith(CONTINUATION_INDENT) for f in follows)
                and not all(f.startswith(CONTINUATION_INDENT + " ") for f in follows))
    out: list[str] = []
    out_numbers: list[int] = []
    i = 0
    while i < len(lines):
        line, number = lines[i], numbers[i]
        while (len(lines[i]) == width and i + 1 < len(lines) and lines[i + 1].strip()
               and not RECORD_START.match(lines[i + 1]) and not _same_start(lines[i], lines[i + 1])
               and not (_COLUMN_GAP.search(lines[i]) and _COLUMN_GAP.search(lines[i + 1]))   # two table rows
               and (indented or not lines[i + 1][:2].isspace())):   # an indented row is a row, not a tail
            i += 1
            tail = lines[i][len(CONTINUATION_INDENT):] if indented else lines[i]
            line += tail
            if len(lines[i]) != width:
                break
        out.append(line)
        out_numbers.append(number)
        i += 1
    return out, out_numbers


_DIGITS = re.compile(r"\d")
_COLUMN_GAP = re.compile(r"\S {3,}\S")


def _same_start(line: str, following: str) -> bool:
    """Rows of a table (netstat, tcpdump, a packet list) start with a word of the same shape; a wrapped tail
    starts mid-token."""
    first, second = line.split(None, 1), following.split(None, 1)
    return bool(first and second) and _DIGITS.sub("9", first[0]) == _DIGITS.sub("9", second[0])


RECORD_START = re.compile(r"^\s*(\d{4}-\d\d-\d\d|\*c\s|x\s*configuration|\d+\s+[\d.]+\s)", re.IGNORECASE)


MAX_CUT_WORD = 48   # characters of the next line that can finish a cut word
_PUNCTUATION_ONLY = re.compile(r"^[\s]*[?!.,;:)\]}\"'>]+\s*$")
_PUNCTUATION_LED = re.compile(r"^[,;:)\]}](?:\s|$)")
_DOT_LED = re.compile(r"^\.[A-Za-z_]")                      # "Name=\"_sips._tcp" / ".callservice.webex.com"
_APOSTROPHE_CUT = re.compile(r"[A-Za-z]['’]$")              # "user'" / "s Webex app"
_CLITIC = re.compile(r"^(?:s|t|re|ll|ve|d|m)\b")
_HOST_CUT = re.compile(r"[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.$")   # "_sips._tcp.example.calls.webex." / "com"


def rejoin_cut_words(lines: list[str], numbers: list[int], vocabulary: Vocabulary) -> tuple[list[str], list[int]]:
    """Join a long line with the next when a wrap cut a word or a host name in two ("Unkno" / "  wn CA)",
    "calls.webex." / "com"), or left only its closing punctuation on the next line. This finds the single wrapped
    line that `wrap_width` cannot (one line at the width is no spike)."""
    out: list[str] = []
    out_numbers: list[int] = []
    for line, number in zip(lines, numbers, strict=True):
        if out and _continues(out[-1], line, vocabulary):
            tail = line[len(CONTINUATION_INDENT):] if line.startswith(CONTINUATION_INDENT) else line
            out[-1] += tail
            continue
        out.append(line)
        out_numbers.append(number)
    return out, out_numbers


def _continues(line: str, following: str, vocabulary: Vocabulary) -> bool:
    if len(line) < MIN_WRAP_WIDTH or not following or line[-1].isspace():
        return False
    tail = following[len(CONTINUATION_INDENT):] if following.startswith(CONTINUATION_INDENT) else following
    if not tail or tail[0].isspace():
        return False
    if not tail[0].isalnum():   # only its closing punctuation, or ", Description: ..." (no line starts so)
        return bool(_PUNCTUATION_ONLY.match(tail) or _PUNCTUATION_LED.match(tail)
                    or (line[-1].isalnum() and _DOT_LED.match(tail)))
    end = line[-1]
    if not (end.isalnum() or end in ".'’") or RECORD_START.match(following):
        return False   # most log lines end with a quote, and the next one starts a record
    last = line[line.rfind(" ") + 1:]
    if last.endswith(".") and tail[0].islower() and _HOST_CUT.search(last):
        return True
    if last.endswith(("'", "’")):
        return bool(_APOSTROPHE_CUT.search(last) and _CLITIC.match(tail))
    return last[-1:].isalnum() and vocabulary.joins(last, tail[:MAX_CUT_WORD])
