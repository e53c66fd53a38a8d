"""Score the engine on a file of labelled pastes (`id, kind, expect, also, text`, as in the public example set).

A case passes when the top match is one of `expect` and every id in `also` is in the top three, or when
`expect` is empty and nothing matched - the same rule as the shared example checker. A case with
`outcome: triage` passes when the answer is a triage (no diagnosis) listing every id in `candidates`; one with
`outcome: no_match` when there is neither a diagnosis nor a triage.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from matchers import Engine, Report


@dataclass
class Score:
    passed: int = 0
    total: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    wrong: list[tuple[str, list[str], list[str]]] = field(default_factory=list)
    # triage cases, scored more gently than pass/fail: answered as a triage at all, and candidates found of wanted
    triage: list[int] = field(default_factory=lambda: [0, 0, 0, 0])   # as triage, cases, found, wanted

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def summary(self) -> str:
        kinds = "  ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(self.by_kind.items()))
        line = f"{kinds}\n{self.passed}/{self.total} answered as expected ({self.accuracy:.1%})"
        as_triage, cases, found, wanted = self.triage
        if cases:
            line += (f"\ntriage cases: {as_triage}/{cases} answered as a triage, {found}/{wanted} wanted candidates "
                     "listed")
        return line


def load_cases(path: Path | str) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []


def case_passes(report: Report, case: dict) -> tuple[bool, list[str]]:
    """Whether the report answers the case as labelled, and what it answered (ids, for the list of misses)."""
    ranked = [d.entry.id for d in report.diagnoses]
    candidates = [c.id for c in getattr(report, "candidates", ())]
    expect, also = case.get("expect") or [], case.get("also") or []
    wanted = case.get("outcome")
    if wanted == "triage":
        listed = all(c in candidates for c in case.get("candidates") or ())
        ok = not ranked and str(report.outcome) == "triage" and listed
        return ok, ranked[:3] or [f"triage:{c}" for c in candidates]
    if wanted == "no_match":
        return not ranked and not candidates, ranked[:3] or [f"triage:{c}" for c in candidates]
    ok = (bool(ranked) and ranked[0] in expect and all(x in ranked[:3] for x in also)) if expect else not ranked
    return ok, ranked[:3]


def score_cases(engine: Engine, cases: list[dict]) -> Score:
    score = Score()
    for case in cases:
        report = engine.diagnose(case["text"])
        ok, got = case_passes(report, case)
        if case.get("outcome") == "triage":
            listed = {c.id for c in report.candidates} if not report.diagnoses else set()
            wanted = case.get("candidates") or []
            score.triage[0] += bool(listed)
            score.triage[1] += 1
            score.triage[2] += sum(c in listed for c in wanted)
            score.triage[3] += len(wanted)
        score.passed += ok
        score.total += 1
        score.by_kind[case.get("kind", "?")][0] += ok
        score.by_kind[case.get("kind", "?")][1] += 1
        if not ok:
            score.wrong.append((case.get("id", "?"), case.get("expect") or case.get("candidates") or [], got))
    return score
