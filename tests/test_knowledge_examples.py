"""Every knowledge-base entry's own examples, through the whole pipeline (prefilter included)."""
from __future__ import annotations

import pytest

from matchers import load_knowledge_base

KB = load_knowledge_base(strict=False)
POSITIVES = [(e.id, i, text) for e in KB for i, text in enumerate(e.positive_examples)]
NEGATIVES = [(e.id, i, text) for e in KB for i, text in enumerate(e.negative_examples)]
TIE = 0.02


@pytest.mark.parametrize(("entry_id", "index", "text"), POSITIVES, ids=[f"{e}-pos{i}" for e, i, _ in POSITIVES])
def test_positive_example_ranks_its_entry_first(engine, entry_id, index, text):
    report = engine.diagnose(text)
    ranked = [(d.entry.id, round(d.confidence, 3)) for d in report.diagnoses]
    if str(report.outcome) == "triage":   # evidence the entry shares with look-alikes: it heads or joins the list
        listed = [c.id for c in report.candidates]
        assert entry_id in listed, f"{entry_id} positive #{index} got a triage without it: {listed}"
        return
    assert ranked, f"{entry_id} positive #{index} matched nothing"
    top = report.diagnoses[0].confidence
    leaders = [d.entry.id for d in report.diagnoses if top - d.confidence <= TIE]
    assert entry_id in leaders, f"{entry_id} positive #{index} ranked {ranked}"


@pytest.mark.parametrize(("entry_id", "index", "text"), NEGATIVES, ids=[f"{e}-neg{i}" for e, i, _ in NEGATIVES])
def test_negative_example_does_not_match_its_entry(engine, entry_id, index, text):
    report = engine.diagnose(text)
    ids = [d.entry.id for d in report.diagnoses]
    assert entry_id not in ids, f"{entry_id} negative #{index} matched: {ids}"
