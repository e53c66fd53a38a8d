"""Score the engine on a file of labelled pastes (the format of ../shared/examples/cases.yaml).

A case passes when the top match is one of `expect` and every id in `also` is in the top three, or when
`expect` is empty and nothing matched - the same rule as the shared example checker.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from matchers import Engine


@dataclass
class Score:
    passed: int = 0
    total: int = 0
    by_kind: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    wrong: list[tuple[str, list[str], list[str]]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def summary(self) -> str:
        kinds = "  ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(self.by_kind.items()))
        return f"{kinds}\n{self.passed}/{self.total} answered as expected ({self.accuracy:.1%})"


def load_cases(path: Path | str) -> list[dict]:
    return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []


def score_cases(engine: Engine, cases: list[dict]) -> Score:
    score = Score()
    for case in cases:
        ranked = [d.entry.id for d in engine.diagnose(case["text"]).diagnoses]
        expect, also = case.get("expect") or [], case.get("also") or []
        ok = (bool(ranked) and ranked[0] in expect and all(x in ranked[:3] for x in also)) if expect else not ranked
        score.passed += ok
        score.total += 1
        score.by_kind[case.get("kind", "?")][0] += ok
        score.by_kind[case.get("kind", "?")][1] += 1
        if not ok:
            score.wrong.append((case.get("id", "?"), expect, ranked[:3]))
    return score
