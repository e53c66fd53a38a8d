"""The markdown of an answer posted as a card: what notifications and clients without cards show.

The card holds the answer; this text only has to say what it is and where the rest is, so it stays short
(FALLBACK_LIMIT bytes): sections are kept by priority (the verdict first, then the first steps, the others, the
notes), each cut to its own length, and shown in reading order.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from matchers import Report

from .markdown import confidence_words, diagnosis_steps, heading_label

FALLBACK_LIMIT = 1500   # bytes
NOTE_CHARS, SUMMARY_CHARS, STEP_CHARS, WHY_CHARS, LINKS_CHARS = 300, 400, 240, 160, 400


@dataclass(frozen=True)
class Section:
    text: str
    priority: int      # lower is kept first


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters, cut at a word with an ellipsis.

    >>> cut("calls from Webex never ring", 18)
    'calls from Webex …'
    """
    text = " ".join(text.split()) if "\n" not in text else text
    if len(text) <= limit:
        return text
    head = text[: limit - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head) + " …"


def fit(sections: Sequence[Section], limit: int = FALLBACK_LIMIT) -> str:
    """The sections that fit in `limit` bytes, most important first, joined in their original order."""
    kept: set[int] = set()
    size = 0
    for i in sorted(range(len(sections)), key=lambda i: sections[i].priority):
        extra = len(sections[i].text.encode()) + (2 if kept else 0)
        if size + extra <= limit:
            kept.add(i)
            size += extra
    return "\n\n".join(s.text for i, s in enumerate(sections) if i in kept)


def _pointer(entry_id: str) -> str:
    return (f"_The card holds the evidence, every step, the verification and the references; where cards do not "
            f"show, type_ `explain {entry_id}`.")


def diagnosis_fallback(report: Report, notes: Sequence[str] = (), links: str = "",
                       limit: int = FALLBACK_LIMIT) -> str:
    top, others = report.diagnoses[0], report.diagnoses[1:]
    e = top.entry
    steps = [cut(s, STEP_CHARS) for s in diagnosis_steps(top, report.values)[0]]
    sections = [Section(cut(" ".join(notes), NOTE_CHARS), 5) if notes else None,
                Section(f"### {heading_label(e, 1, len(report.diagnoses))}: {e.title}\n"
                        f"Confidence {confidence_words(top.confidence)} · `{e.id}`", 0),
                Section(cut(e.summary, SUMMARY_CHARS), 2),
                Section("\n".join(["**Resolution:**" if e.kind == "problem" else "**Steps:**", *steps]), 3)
                if steps else None,
                Section("Also possible: " + ", ".join(f"`{d.entry.id}` ({confidence_words(d.confidence)})"
                                                      for d in others), 4) if others else None,
                Section(cut(links, LINKS_CHARS), 4) if links else None,
                Section(_pointer(e.id), 1)]
    return fit([s for s in sections if s is not None], limit)


def triage_fallback(report: Report, notes: Sequence[str] = (), links: str = "", limit: int = FALLBACK_LIMIT) -> str:
    sections = [Section(cut(" ".join(notes), NOTE_CHARS), 5) if notes else None,
                Section("This fits more than one documented problem, and nothing here decides between them yet. "
                        "Most likely first:", 0)]
    for i, c in enumerate(report.candidates, 1):
        line = f"{i}. **{c.title}** (`{c.id}`): {cut(c.why, WHY_CHARS)}"
        sections.append(Section(line, 1))
        if c.check:
            sections.append(Section(f"   - *To confirm:* {cut(c.check, WHY_CHARS)}", 3))
    if links:
        sections.append(Section(cut(links, LINKS_CHARS), 4))
    sections.append(Section("_The card has a button per problem that posts it in full; where cards do not show, "
                            "type_ `explain <id>`.", 2))
    return fit([s for s in sections if s is not None], limit)
