"""The calls of a piece of evidence, for every front end: found once per input, each tied to the diagnosis whose
evidence lies in it, listed one line each, and the failing ones drawn as ladders.

Text pieces are read as one text, in the order the engine joins them (so the logs of several Expressways in a
bundle join into one call, and a message's line is a line of the text the engine diagnosed); a packet capture
sent as a file is read from its bytes (`files`). Nothing here raises on bad input: what cannot be read has no
calls.
"""
from __future__ import annotations

import io
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from matchers import EvidencePiece, Report
from matchers.calls import Call, calls_from_capture, find_calls

from .ladder import pick_calls, render_ladder

log = logging.getLogger(__name__)

MESSAGE_SPAN = 40          # lines after a message's first line that may still be that message (headers, SDP)
MAX_PICTURES = 3


@dataclass
class CallView:
    """A call and what the engine said about it."""

    call: Call
    diagnosis_id: str | None = None
    reason: str | None = None          # the documented cause, written under the failing message
    lines: tuple[int, int] = (0, -1)   # 1-based lines of the diagnosed text it spans (captures: the summary)
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out = self.call.as_dict()
        out["failed"] = self.call.failed
        out["diagnosis"] = self.diagnosis_id
        return out


def _split(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _kept(pieces: Sequence[EvidencePiece]) -> list[EvidencePiece]:
    return [p for p in pieces if p.text.strip()]     # as `intake.combine` keeps them


def find_views(pieces: Sequence[EvidencePiece], files: Sequence[tuple[str, bytes]] = ()) -> list[CallView]:
    """Every call in the pieces: the text pieces' calls in the order they start, then each capture's."""
    kept = _kept(pieces)
    lines: list[str] = []
    capture_spans: list[tuple[EvidencePiece, int, int]] = []
    for piece in kept:
        own = _split(piece.text)
        if piece.kind == "capture":
            capture_spans.append((piece, len(lines) + 1, len(lines) + len(own)))
            lines.extend([""] * len(own))     # keeps the numbering; a capture is read from its bytes
        else:
            lines.extend(own)
    views: list[CallView] = []
    try:
        for call in find_calls(lines):
            starts = [m.line for m in call.messages] or [0]
            views.append(CallView(call, lines=(min(starts) + 1, max(starts) + 1 + MESSAGE_SPAN)))
    except Exception:      # the call view is an extra: a reader's bug must not cost the diagnosis
        log.exception("calls: the text could not be grouped into calls")
    spanned = {id(piece) for piece, _, _ in capture_spans}
    capture_spans += [(p, 0, -1) for p in pieces if p.kind == "capture" and id(p) not in spanned]
    data = dict(files) | {os.path.basename(name): blob for name, blob in files}   # intake names a file by its base
    for piece, first, last in capture_spans:
        blob = data.get(piece.name)
        if blob is None:
            continue
        try:
            views.extend(CallView(call, lines=(first, last)) for call in calls_from_capture(blob))
        except Exception:
            log.info("calls: no calls read from the capture %s", piece.name)
    return views


def _combined_line(line: int, quote: str, names: list[str], starts: list[int]) -> int:
    """An evidence line as a line of the whole text: a report on several pieces numbers lines per piece and
    puts the piece's name in front of the quote."""
    for name, start in zip(names, starts, strict=True):
        if quote.startswith(f"{name} · "):
            return start + line - 1
    return line


def attach_diagnoses(views: list[CallView], pieces: Sequence[EvidencePiece], report: Report | None) -> None:
    """Tie each failing call to the first (best) diagnosis with evidence on the call's lines (a call that went
    through is not what a diagnosis explains, even when its lines sit among the failing call's)."""
    if report is None or not report.diagnoses:
        return
    names, starts, line = [], [], 1
    for piece in _kept(pieces):
        names.append(piece.name)
        starts.append(line)
        line += len(_split(piece.text))
    placed: list[tuple[str, str, list[int]]] = []
    for d in report.diagnoses:
        at = [_combined_line(ev.line, ev.quote, names, starts) for ev in d.evidence if ev.line is not None]
        placed.append((d.entry.id, d.entry.title, at))
    for view in views:
        if not view.call.failed:
            continue
        first, last = view.lines
        for entry_id, title, at in placed:
            if any(first <= n <= last for n in at):
                view.diagnosis_id, view.reason = entry_id, title
                break


def call_views(pieces: Sequence[EvidencePiece], report: Report | None = None,
               files: Sequence[tuple[str, bytes]] = ()) -> list[CallView]:
    views = find_views(pieces, files)
    attach_diagnoses(views, pieces, report)
    return views


def drawn(views: Sequence[CallView], limit: int = MAX_PICTURES) -> list[CallView]:
    """The calls drawn by default: the failing ones, at most `limit`."""
    failing = [v for v in views if v.call.failed]
    by_call = {id(v.call): v for v in failing}
    return [by_call[id(c)] for c in pick_calls([v.call for v in failing], limit)]


def ladder_png(view: CallView) -> bytes:
    out = io.BytesIO()
    render_ladder(view.call, view.reason, out)
    return out.getvalue()


def picture_name(view: CallView, n: int, prefix: str = "call") -> str:
    cid = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in view.call.call_id)[:40].strip("._")
    return f"{prefix}-{n}" + (f"-{cid}" if cid else "") + ".png"


def write_pictures(views: Sequence[CallView], directory: str, prefix: str = "call") -> list[str]:
    """The failing calls' ladders as PNG files in `directory` (created if need be); their paths."""
    os.makedirs(directory, exist_ok=True)
    paths = []
    for n, view in enumerate(drawn(views), 1):
        path = os.path.join(directory, picture_name(view, n, prefix))
        with open(path, "wb") as fh:
            fh.write(ladder_png(view))
        paths.append(path)
    return paths


def call_line(view: CallView) -> str:
    """One call on one line: time, from, to, final response, diagnosis."""
    call = view.call
    first = call.messages[0].time if call.messages and call.messages[0].time else "--:--:--"
    final = call.final_response or f"no final response ({call.ended_at})"
    line = f"{first}  {call.parties.get('from') or '?'} → {call.parties.get('to') or '?'}  {final}"
    return line + (f"  [{view.diagnosis_id}]" if view.diagnosis_id else "")


def calls_text(views: Sequence[CallView]) -> str:
    if not views:
        return "no calls found"
    failing = sum(v.call.failed for v in views)
    head = f"{len(views)} call(s), {failing} failing"
    return "\n".join([head, *(call_line(v) for v in views)])
