"""What ties a log line to one call (Call-ID, serial number, tag, the parties), so a look-alike's line from another
call rules nothing out; and whether a line is near the lines an answer rests on."""
from __future__ import annotations

import re
from bisect import bisect_left

from .context import Context

_CALL_MARK = re.compile(r"(?:call-serial-number|tag|call-id)\W{1,3}([0-9a-f][\w.@-]{7,})|"
                        r"\bsips?:([\w.+%-]+@[\w.-]+\.[a-z]{2,})|alias '(?:sips?:)?([\w.+%-]+@[\w.-]+)'", re.IGNORECASE)


def call_marks(ctx: Context, number: int) -> set[str]:
    """What ties a log line to one call: its Call-ID, serial number or tag, and the parties' addresses."""
    index = number - 1 if ctx.doc.numbers is None else next(
        (i for i, n in enumerate(ctx.doc.numbers) if n == number), number - 1)
    if not 0 <= index < len(ctx.doc.lines):
        return set()
    return {g.lower() for m in _CALL_MARK.finditer(ctx.doc.lines[index]) for g in m.groups() if g}


def other_call(line_marks: set[str], anchor_marks: set[str]) -> bool:
    """Both sides name their call and share nothing: the look-alike's line belongs to another call."""
    return bool(line_marks) and bool(anchor_marks) and not line_marks & anchor_marks


def near(line: int, anchors: list[int], reach: int) -> bool:
    i = bisect_left(anchors, line)
    return any(abs(anchors[j] - line) <= reach for j in (i - 1, i) if 0 <= j < len(anchors))
