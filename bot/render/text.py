"""Engine reports as plain text, for a terminal."""
from __future__ import annotations

from matchers import Outcome, Report

from .markdown import NO_MATCH_HELP, confidence_words, distinct_evidence, triage_markdown
from .steps import DONE, INFERRED, steps_markdown


def report_text(report: Report) -> str:
    if report.outcome in (Outcome.EMPTY, Outcome.UNREADABLE):
        return f"not diagnosed: {report.message}"
    if report.outcome is Outcome.TRIAGE and report.candidates:
        return triage_markdown(report).replace("**", "").replace("`", "").replace("*To confirm:*", "to confirm:")
    if not report.diagnoses:
        why = f": {report.message}" if report.message else ""
        return f"no documented problem found{why}\n\n" + NO_MATCH_HELP.replace("**", "").replace("`", "")
    out = []
    for i, d in enumerate(report.diagnoses, 1):
        e = d.entry
        out.append(f"[{i}] {e.title}  ({e.id}, confidence {confidence_words(d.confidence)})")
        out.append(f"    {e.summary}")
        for ev in [ev for ev in distinct_evidence(d) if ev.kind != "similarity"][:6]:   # KB wording is not evidence
            where = f"line {ev.line}" if ev.line else "message"
            out.append(f"    evidence ({ev.signal}, {where}): {ev.quote}")
        fired = {ev.signal for ev in d.evidence}
        for line in steps_markdown(e.steps, report.values, fired):
            out.append("    " + line.replace("**", "").replace(INFERRED, " [inferred]").replace(DONE, "[done] "))
        for other, by in d.ambiguous_with:
            out.append(f"    fits {other} as well; what tells them apart: {by}")
        out.append("")
    return "\n".join(out).rstrip()
