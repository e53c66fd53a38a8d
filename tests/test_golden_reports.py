"""The full report (`Report.as_dict()`) of every example text equals the stored one.

A refactoring must leave it unchanged. A change meant to alter answers rewrites the file with
`python -m tests.golden`, and the diff of tests/data/golden_reports.jsonl shows what it changed.
"""
from __future__ import annotations

from tests import golden


def test_every_example_report_is_unchanged(engine):
    stored = golden.load()
    now = golden.reports(engine)
    changed = golden.differences(stored, now)
    missing = [key for key in stored if key not in now and not key.startswith("public:")]
    assert not missing, f"texts no longer examined: {missing[:10]}"
    assert not changed, f"{len(changed)} reports changed (python -m tests.golden --diff), first: {changed[:10]}"
