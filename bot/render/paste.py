"""The paste as the local page echoes it under the reply: numbered lines, the lines the reply quotes as evidence
marked, so the reader sees where in their own text each quote came from.

>>> from matchers import default_engine
>>> paste = "calls fail\\nDetail=\\"self signed certificate in certificate chain\\" Dst-port=\\"5062\\"\\nbye\\n"
>>> marked = quoted_lines(default_engine().diagnose(paste), paste)
>>> marked
{2}
>>> [(row.number, row.marked) for row in paste_view(paste, marked)]
[(1, False), (2, True), (3, False)]
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from matchers import Report

from .markdown import quoted_evidence

LINE_BREAK = re.compile(r"\r\n|\r|\n")   # as the engine numbers lines: CR, LF and CRLF each end one
WHOLE_UP_TO = 300   # a paste up to this many lines is shown whole; a longer one around its marked lines only
CONTEXT = 3         # lines shown either side of a marked line in a long paste


@dataclass(frozen=True)
class PasteLine:
    number: int | None   # None: a run of lines left out, `text` says how many
    text: str
    marked: bool = False


def _is_line(raw: str, quote: str) -> bool:
    """Whether an evidence quote is this message line: the quote is the line trimmed (cut at 240 characters with
    an ellipsis, a chat quote's '> ' removed), or a value the document rejoined, which starts with the line."""
    line = raw.strip()
    text = quote.removesuffix("…").strip()
    return bool(line and text) and (text in line or text.startswith(line))


def quoted_lines(report: Report, message: str) -> set[int]:
    """Line numbers of the message that the reply quotes. With files the evidence is numbered within each piece
    (a file's quote starts with its name), so a number counts only when its quote is the message's own line."""
    lines = LINE_BREAK.split(message)
    found: set[int] = set()
    for d in report.diagnoses:
        for ev in quoted_evidence(d):
            if ev.line is not None and 1 <= ev.line <= len(lines) and _is_line(lines[ev.line - 1], ev.quote):
                found.add(ev.line)
    return found


def paste_view(message: str, marked: set[int]) -> list[PasteLine]:
    lines = LINE_BREAK.split(message)
    if lines and not lines[-1]:
        lines.pop()   # the final line break ends the last line, it starts no new one
    if len(lines) <= WHOLE_UP_TO:
        return [PasteLine(n, text, n in marked) for n, text in enumerate(lines, 1)]
    shown = sorted({n for m in marked for n in range(m - CONTEXT, m + CONTEXT + 1) if 1 <= n <= len(lines)})
    rows: list[PasteLine] = []
    previous = 0
    for n in shown:
        if n > previous + 1:
            rows.append(PasteLine(None, f"{n - previous - 1} lines not shown"))
        rows.append(PasteLine(n, lines[n - 1], n in marked))
        previous = n
    if previous < len(lines):
        rows.append(PasteLine(None, f"{len(lines) - previous} lines not shown"))
    return rows
