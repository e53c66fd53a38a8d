"""Knowledge-base quality: every problem should ship a negative example for its nearest look-alike (the first
entry its `distinguish` names), one that the engine answers with the look-alike, so the test suite proves the two
are told apart."""
from __future__ import annotations

from .engine import Engine
from .model import EntryKind


def untested_lookalikes(engine: Engine) -> list[tuple[str, str]]:
    """(entry id, nearest look-alike id) for every problem none of whose negative examples the engine answers with
    that look-alike (as its diagnosis or in its differential)."""
    missing: list[tuple[str, str]] = []
    for entry in engine.kb:
        if entry.kind is not EntryKind.PROBLEM or not entry.distinguish:
            continue
        other = entry.distinguish[0].other_id
        for text in entry.negative_examples:
            report = engine.diagnose(text)
            if other in {d.entry.id for d in report.diagnoses} | {c.id for c in report.candidates}:
                break
        else:
            missing.append((entry.id, other))
    return missing
