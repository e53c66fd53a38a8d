"""Several pieces of evidence (the message, the files in a bundle) diagnosed as one text, with evidence
line numbers mapped back to the piece they came from.

>>> combined = Combined.of([("message", "why 603"), ("a.log", "x\\ny\\nz")])
>>> combined.text
'why 603\\nx\\ny\\nz'
>>> combined.locate(3)
('a.log', 2)
"""
from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from matchers import Report

MESSAGE = "message"


def _line_count(text: str) -> int:
    """Input lines as the engine numbers evidence (CR, LF and CRLF end a line)."""
    return text.replace("\r\n", "\n").count("\n") + text.count("\r") - text.count("\r\n") + 1


@dataclass
class Combined:
    text: str
    names: list[str]
    starts: list[int]          # 1-based first line of each piece in `text`

    @classmethod
    def of(cls, pieces: Sequence[tuple[str, str]]) -> Combined:
        names: list[str] = []
        starts: list[int] = []
        texts: list[str] = []
        line = 1
        for name, text in pieces:
            if not text.strip():
                continue
            names.append(name)
            starts.append(line)
            texts.append(text)
            line += _line_count(text)
        return cls(text="\n".join(texts), names=names, starts=starts)

    def locate(self, line: int) -> tuple[str, int]:
        i = max(0, bisect.bisect_right(self.starts, line) - 1)
        return self.names[i], line - self.starts[i] + 1

    def relabel(self, report: Report) -> Report:
        """Evidence lines of a report on `text`, renumbered within their piece; the piece's name goes in
        front of the quote when there is more than one piece, or the only one is a file."""
        if not self.names or (len(self.names) == 1 and self.names[0] == MESSAGE):
            return report
        for d in report.diagnoses:
            relabelled = []
            for ev in d.evidence:
                if ev.line is None:
                    relabelled.append(ev)
                    continue
                name, local = self.locate(ev.line)
                quote = ev.quote if name == MESSAGE else f"{name} · {ev.quote}"
                relabelled.append(dataclasses.replace(ev, line=local, quote=quote))
            d.evidence = relabelled
        return report
