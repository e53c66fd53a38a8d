"""Verbatim OCR-damaged excerpts of the source guide resolve to the entry the guide documents there."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

EXCERPTS = yaml.safe_load((Path(__file__).parent / "data" / "seed_excerpts.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("excerpt", EXCERPTS, ids=[f"{e['expect']}@{e['seed_lines']}" for e in EXCERPTS])
def test_seed_excerpt_is_diagnosed_as_documented(engine, excerpt):
    report = engine.diagnose(excerpt["text"])
    ranked = [(d.entry.id, round(d.confidence, 2)) for d in report.diagnoses]
    assert ranked and ranked[0][0] == excerpt["expect"], ranked


def test_every_problem_has_a_seed_excerpt(kb):
    """Every problem the guide documents (the catalogue's); entries beyond the guide name their own source."""
    from matchers.knowledge_base import catalogue_ids

    covered = {e["expect"] for e in EXCERPTS}
    guide = set(catalogue_ids(kb.directory))
    problems = {e.id for e in kb if e.kind == "problem" and e.id in guide}
    assert problems <= covered, sorted(problems - covered)
