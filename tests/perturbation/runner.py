"""Re-diagnose every source in changed forms and count how often the answer is kept."""
from __future__ import annotations

import difflib
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .noise import healthy_noise

Change = Callable[[str, random.Random], str]
Answer = str | None                       # the top diagnosis' entry id, None when the engine abstains
CASES = Path("/work/shared/examples/cases.yaml")
NOISE_SIZES = (20, 200, 1000, 5000)


@dataclass(frozen=True)
class Source:
    id: str
    text: str
    origin: str       # kb-positive, kb-negative or case


@dataclass(frozen=True)
class Trial:
    source: Source
    change: str
    seed: int
    original: Answer
    new: Answer
    changed: bool     # False when the change had nothing to act on (a short line for hard_wrap, no values)

    @property
    def kept(self) -> bool:
        return self.original == self.new


def rng_for(change: str, source_id: str, seed: int) -> random.Random:
    """One generator per (change, source, seed); a string seed is hashed the same way in every process."""
    return random.Random(f"{change}/{source_id}/{seed}")


def answer(engine: Any, text: str) -> Answer:
    report = engine.diagnose(text)
    return report.diagnoses[0].entry.id if report.diagnoses else None


def kb_sources(kb: Any) -> list[Source]:
    out = []
    for entry in kb:
        out += [Source(f"{entry.id}/pos{i}", t, "kb-positive") for i, t in enumerate(entry.positive_examples, 1)]
        out += [Source(f"{entry.id}/neg{i}", t, "kb-negative") for i, t in enumerate(entry.negative_examples, 1)]
    return out


def case_sources(path: Path = CASES) -> list[Source]:
    """The public examples, when this machine has them (other machines may not)."""
    if not path.is_file():
        return []
    return [Source(str(c["id"]), c["text"], "case") for c in yaml.safe_load(path.read_text()) or []]


def all_sources(kb: Any, cases: Path = CASES) -> list[Source]:
    return kb_sources(kb) + case_sources(cases)


@dataclass
class Results:
    trials: list[Trial]
    changes: Mapping[str, Change]
    seeds: tuple[int, ...] = ()

    @staticmethod
    def share(kept: int, total: int) -> float:
        return 100.0 * kept / total if total else 100.0

    def _count(self, key: Callable[[Trial], str]) -> dict[str, tuple[int, int]]:
        kept: Counter[str] = Counter()
        total: Counter[str] = Counter()
        for t in self.trials:
            total[key(t)] += 1
            kept[key(t)] += t.kept
        return {k: (kept[k], total[k]) for k in total}

    def overall(self) -> tuple[int, int]:
        return sum(t.kept for t in self.trials), len(self.trials)

    def by_change(self) -> dict[str, tuple[int, int]]:
        return self._count(lambda t: t.change)

    def by_change_changed(self) -> dict[str, tuple[int, int]]:
        """As by_change, over the trials whose text the change did alter."""
        return Results([t for t in self.trials if t.changed], self.changes, self.seeds).by_change()

    def by_entry(self) -> dict[str, tuple[int, int]]:
        """Keyed by the original answer: which diagnoses (or abstentions) are fragile."""
        return self._count(lambda t: t.original or "(no diagnosis)")

    def lost_by_entry(self) -> dict[str, Counter[str]]:
        out: dict[str, Counter[str]] = defaultdict(Counter)
        for t in self.lost():
            out[t.original or "(no diagnosis)"][t.change] += 1
        return out

    def lost(self) -> list[Trial]:
        return [t for t in self.trials if not t.kept]

    def perturbed(self, trial: Trial) -> str:
        """The changed text, made again (the changes are deterministic, so nothing big is kept in memory)."""
        return self.changes[trial.change](trial.source.text, rng_for(trial.change, trial.source.id, trial.seed))


def run(engine: Any, sources: Sequence[Source], changes: Mapping[str, Change], seeds: Iterable[int]) -> Results:
    """Diagnose each source as it is and after each change with each seed; a trial is kept when the top answer
    (entry id, or no diagnosis) is the same."""
    seeds = list(seeds)
    trials = []
    for source in sources:
        original = answer(engine, source.text)
        for name, change in changes.items():
            for seed in seeds:
                text = change(source.text, rng_for(name, source.id, seed))
                new = original if text == source.text else answer(engine, text)
                trials.append(Trial(source, name, seed, original, new, text != source.text))
    return Results(trials, changes, tuple(seeds))


@dataclass(frozen=True)
class NoiseResult:
    name: str
    lines: int
    answer: Answer


def noise_alone(engine: Any, sizes: Sequence[int] = NOISE_SIZES, seeds: Iterable[int] = range(5)) -> list[NoiseResult]:
    """The noise generator's output by itself, which must get no diagnosis at all."""
    out = []
    for seed in seeds:
        for size in sizes:
            text = healthy_noise(rng_for("healthy_noise_alone", str(size), seed), size)
            out.append(NoiseResult(f"noise/{size}/{seed}", text.count("\n"), answer(engine, text)))
    return out


def short_diff(old: str, new: str, max_lines: int = 6, width: int = 110) -> list[str]:
    """A few lines saying what a change did: a replaced line cut around its first difference, a long run of
    inserted lines counted and placed rather than shown."""
    a, b = old.rstrip("\n").split("\n"), new.rstrip("\n").split("\n")   # a final "" matches any blank line
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        if op == "insert" and j2 - j1 > 3:
            where = f"before original line {i1 + 1}" if i1 < len(a) else "at the end"
            out.append(f"+ [{j2 - j1} lines inserted {where}]")
        elif op == "replace" and i2 - i1 == 1 and j2 - j1 == 1:
            col = next((k for k, (x, y) in enumerate(zip(a[i1], b[j1], strict=False)) if x != y),
                       min(len(a[i1]), len(b[j1])))
            start = max(0, col - 30)
            out += [f"- {_cut(a[i1][start:], width)}", f"+ {_cut(b[j1][start:], width)}"]
        else:
            out += [f"- {_cut(x, width)}" for x in a[i1:min(i2, i1 + 2)]]
            if i2 - i1 > 2:
                out.append(f"- ... ({i2 - i1 - 2} more lines)")
            out += [f"+ {_cut(x, width)}" for x in b[j1:min(j2, j1 + 2)]]
            if j2 - j1 > 2:
                out.append(f"+ ... ({j2 - j1 - 2} more lines)")
        if len(out) >= max_lines:
            return [*out[:max_lines], "  ..."]
    return out


def _cut(s: str, width: int) -> str:
    s = s.replace("\r", "\\r").replace("\t", "\\t")
    return s if len(s) <= width else s[: width - 3] + "..."
