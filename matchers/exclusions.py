"""Why an entry does not apply although its condition held: a look-alike's evidence near the lines it rests on (a
B2B port, a healthy handshake, the other direction's log), or the writer ruling its part out in words."""
from __future__ import annotations

from .call_marks import call_marks, near, other_call
from .context import Context
from .model import Diagnosis, Entry, EntryKind, Evidence
from .signals import evaluate
from .statements import ruled_out_by_writer

EXCLUSION_REACH = 150   # lines: about one call's records and messages
EXCLUSION_LINES = 200   # exclusion lines looked at for one near the evidence
QUESTION_REACH = 30     # lines around the question that belong with it
RULED_BY_WRITER = "you rule it out"   # the reason of an exclusion the writer's words make, not a look-alike's


def exclusion(entry: Entry, ctx: Context, fired: dict[str, list[Evidence]]) -> str | None:
    """The reason of the first exclusion whose evidence rules this entry out, else None.

    A look-alike's line counts only near the lines this entry rests on: in a long log, a healthy handshake
    or another call's Webex alias hundreds of lines away says nothing about the failure quoted here."""
    prose = ctx.said_lines()
    anchors = sorted({e.line for ev in fired.values() for e in ev if e.line is not None and e.line not in prose})
    reach = EXCLUSION_REACH
    if not anchors:   # an entry resting on the question alone: what is pasted right with the question counts
        # the writer's words rule out a problem in a message of words alone, never one with anything pasted
        words_only = not (ctx.facts.kinds or ctx.pasted()) and all(e.line in prose for ev in fired.values()
                                                                     for e in ev)
        ruled = ruled_out_by_writer(entry, ctx.prose) if (
            words_only and entry.kind is EntryKind.PROBLEM) else None
        if ruled is not None:
            return f"{RULED_BY_WRITER}: “{ctx.doc.lines[ruled].strip()[:160]}”"
        anchors, reach = sorted(prose), QUESTION_REACH
    marks = set().union(*(call_marks(ctx, n) for n in anchors)) if reach == EXCLUSION_REACH else set()
    for name, sig in entry.exclusions.items():
        found = evaluate(sig, ctx, limit=EXCLUSION_LINES)
        for e in found:
            if e.line is None or not anchors:
                return sig.reason or name
            if near(e.line, anchors, reach) and not other_call(call_marks(ctx, e.line), marks):
                return sig.reason or name
    return None


BELOW = 0.01   # a ruled-out problem ranks this much below the best problem the writer leaves standing


def rank_ruled_out_last(diagnoses: list[Diagnosis], ctx: Context,
                        below_bar: list[Diagnosis] | None = None) -> set[str]:
    """Pasted evidence fits a problem the writer rules out in words ("it's NOT the firewall", "the subject name is
    correct", "the webex rule matches") and another problem too: the other one leads, even from below the bar when
    it rests on the same pasted lines (a bare shared log line). Evidence that fits only the ruled-out problem still
    names it; the writer may be wrong. Returns the problems ranked last."""
    ruled = {d.entry.id for d in diagnoses
             if d.entry.kind is EntryKind.PROBLEM and ruled_out_by_writer(d.entry, ctx.prose) is not None}
    standing = [d.confidence for d in diagnoses if d.entry.kind is EntryKind.PROBLEM and d.entry.id not in ruled]
    if ruled and not standing and below_bar:
        stand_in = _same_evidence(diagnoses, ruled, below_bar, ctx)
        if stand_in is not None:
            stand_in.confidence = max(d.confidence for d in diagnoses if d.entry.id in ruled)
            below_bar.remove(stand_in)
            diagnoses.append(stand_in)
            standing = [stand_in.confidence]
    if ruled and standing:
        for d in diagnoses:
            if d.entry.id in ruled:
                d.confidence = min(d.confidence, round(max(standing) - BELOW, 3))
        return ruled
    return set()


def _pasted_lines(d: Diagnosis) -> set[int]:
    return {e.line for e in d.evidence if e.line is not None and e.kind not in ("phrase", "similarity")}


def _same_evidence(diagnoses: list[Diagnosis], ruled: set[str], below_bar: list[Diagnosis],
                   ctx: Context) -> Diagnosis | None:
    """The problem below the bar, not ruled out, whose pasted evidence covers every line the ruled-out answers'
    pasted evidence stands on."""
    lines = set().union(*(_pasted_lines(d) for d in diagnoses if d.entry.id in ruled))
    alike = [d for d in below_bar if d.entry.kind is EntryKind.PROBLEM and lines and lines <= _pasted_lines(d)
             and ruled_out_by_writer(d.entry, ctx.prose) is None]
    return max(alike, key=lambda d: d.confidence, default=None)
