"""Accuracy on labelled pastes the knowledge base was not written from (a regression guard, not a target)."""
from __future__ import annotations

from pathlib import Path

import pytest

from bot.cli.evaluate import load_cases, score_cases

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "held-out set 1": (ROOT / "tests" / "heldout" / "cases.yaml", 0.9),
    "held-out set 2": (ROOT / "benchmarks" / "heldout2" / "cases.yaml", 0.9),
    "public examples": (ROOT.parent / "shared" / "examples" / "cases.yaml", 0.95),
}


@pytest.mark.parametrize("name", SETS)
def test_accuracy_does_not_regress(engine, name):
    path, floor = SETS[name]
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    score = score_cases(engine, load_cases(path))
    assert score.accuracy >= floor, f"{name}: {score.summary()}\n" + "\n".join(map(str, score.wrong))


def test_no_healthy_or_unrelated_paste_gets_a_diagnosis(engine):
    cases = [c for c in load_cases(SETS["held-out set 1"][0]) if c["kind"] == "negative"]
    assert cases
    wrong = [(c["id"], [d.entry.id for d in engine.diagnose(c["text"]).diagnoses]) for c in cases]
    assert all(not ids for _, ids in wrong), wrong
