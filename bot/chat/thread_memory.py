"""What a thread remembers between messages: the text of its evidence (messages, logs, certificates, text read
from screenshots), so the xConfiguration the bot asked for is diagnosed together with the log that came first.

A thread keeps at most MAX_THREAD_CHARS, the newest pieces first. A piece too big for what is left keeps the
lines its report quoted as evidence, with a few lines around them, then its last lines: a bundle's decisive
lines survive even when the bundle does not. Packet captures are not kept (their summary is not their
evidence); commands, greetings and thanks never reach here.
"""
from __future__ import annotations

from collections.abc import Sequence

from matchers import EvidencePiece, Report
from matchers.evidence.intake import MESSAGE, from_text

MAX_THREAD_CHARS = 200 * 1024
EARLIER_MESSAGE = "earlier-message"   # one word: quotes keep it as their label
KEPT_KINDS = ("text", "certificate", "image")
CONTEXT_LINES = 3

Stored = tuple[str, str, str]   # (message id, name, text): a retried message finds and replaces its own


def earlier(stored: Sequence[Stored], message_id: str) -> list[Stored]:
    """What the thread holds from before this message."""
    return [s for s in stored if s[0] != message_id]


def earlier_pieces(stored: Sequence[Stored]) -> list[EvidencePiece]:
    """The thread's kept evidence as pieces the engine reads again (certificates re-checked from their PEM)."""
    return [from_text(name, text) for _, name, text in stored if text.strip()]


def _evidence_lines(report: Report, names: Sequence[str]) -> dict[str, set[int]]:
    """Per piece name, the 1-based lines the report quoted: diagnose_pieces puts a file's name in front of its
    quotes and leaves the message's bare."""
    out: dict[str, set[int]] = {}
    files = [n for n in names if n != MESSAGE]
    for d in report.diagnoses:
        for ev in d.evidence:
            if ev.line is not None:
                owner = next((n for n in files if ev.quote.startswith(f"{n} · ")), MESSAGE)
                out.setdefault(owner, set()).add(ev.line)
    return out


def excerpt(text: str, keep: set[int], limit: int) -> str:
    """At most `limit` characters of `text`: the lines in `keep` (1-based), then the lines around them nearest
    first, then the last lines, in their original order.

    >>> excerpt("a\\nb\\nc\\nd\\ne\\nf\\ng\\nh\\ni\\nj", {2}, 12)
    'a\\nb\\nc\\nd\\ne\\nj'
    """
    lines = text.splitlines()
    near = [n - 1 + step * sign for step in range(CONTEXT_LINES + 1) for n in sorted(keep) for sign in (-1, 1)]
    order = [i for i in near if 0 <= i < len(lines)] + list(range(len(lines) - 1, -1, -1))
    chosen: set[int] = set()
    size = 0
    for rank, i in enumerate(order):
        if i in chosen:
            continue
        if size + len(lines[i]) + 1 > limit:
            if rank < len(near):
                continue   # a line too long for what is left: the next ones near the evidence may fit
            break
        chosen.add(i)
        size += len(lines[i]) + 1
    return "\n".join(lines[i] for i in sorted(chosen))


def remembered(stored: Sequence[Stored], message_id: str, new: Sequence[EvidencePiece], report: Report,
               limit: int = MAX_THREAD_CHARS) -> list[Stored]:
    """The thread's evidence after message `message_id`: what came before it and its own pieces, the newest
    kept first. `report` is the diagnosis of them together (its quotes say which lines matter)."""
    before = earlier(stored, message_id)
    kept = [p for p in new if p.kind in KEPT_KINDS and p.text.strip()]
    quoted = _evidence_lines(report, [*(name for _, name, _ in before), *(p.name for p in new)])
    pieces = [(m, name, text, set[int]()) for m, name, text in before] + [
        (message_id, EARLIER_MESSAGE if p.name == MESSAGE else p.name, p.text, quoted.get(p.name, set()))
        for p in kept]
    out: list[Stored] = []
    left = limit
    for m, name, text, lines in reversed(pieces):
        if left <= 0:
            break
        body = text if len(text) <= left else excerpt(text, lines, left)
        if body.strip():
            out.append((m, name, body))
            left -= len(body)
    return out[::-1]
