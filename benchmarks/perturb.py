"""Perturbation benchmark: how often the engine keeps its answer when the same evidence arrives changed.

    .venv/bin/python benchmarks/perturb.py                      # full run: every source, seeds 0-4
    .venv/bin/python benchmarks/perturb.py --quick              # every fourth source, seed 0
    .venv/bin/python benchmarks/perturb.py --show 30 --change hard_wrap

Sources: every knowledge-base positive and negative example and the public examples
(/work/shared/examples/cases.yaml, skipped when absent). A trial is kept when the changed text gets the same
top answer as the original (same entry id, or no diagnosis both times). The changes are in tests/perturbation/.
"""
from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from matchers import Engine, load_knowledge_base  # noqa: E402
from tests.perturbation import (  # noqa: E402
    CHANGES,
    NOISE_ALONE,
    Results,
    Trial,
    all_sources,
    noise_alone,
    run,
    short_diff,
)

FULL_SEEDS = (0, 1, 2, 3, 4)


def _pct(kept: int, total: int) -> str:
    return f"{kept:5d} / {total:<5d} {Results.share(kept, total):6.1f} %"


def _print_tables(results: Results) -> None:
    print(f"{'change':<16} {'kept / total':>14} {'share':>8}      {'of the texts it altered':>24}")
    altered = results.by_change_changed()
    for name, (kept, total) in results.by_change().items():
        print(f"{name:<16} {_pct(kept, total)}      {_pct(*altered.get(name, (0, 0)))}")
    all_altered = [sum(x) for x in zip(*altered.values(), strict=False)] or [0, 0]
    print(f"{'overall':<16} {_pct(*results.overall())}      {_pct(*all_altered)}")
    print("\nper entry (the original answer), lowest share first:")
    lost_by = results.lost_by_entry()
    rows = sorted(results.by_entry().items(), key=lambda kv: (Results.share(*kv[1]), kv[0]))
    for entry_id, (kept, total) in rows:
        lost = ", ".join(f"{c} {n}" for c, n in lost_by.get(entry_id, Counter()).most_common())
        print(f"  {entry_id:<40} {_pct(kept, total)}   {('lost: ' + lost) if lost else ''}")


def _distinct_lost(results: Results) -> list[tuple[Trial, int]]:
    """One lost trial per (source, change) with how many seeds lost it, taking the changes in turn so the first
    few cover every change rather than one source's five seeds."""
    seen: dict[tuple[str, str], list[Trial]] = {}
    for t in results.lost():
        seen.setdefault((t.source.id, t.change), []).append(t)
    queues = {name: [(ts[0], len(ts)) for (_, c), ts in seen.items() if c == name] for name in results.changes}
    out: list[tuple[Trial, int]] = []
    while any(queues.values()):
        for q in queues.values():
            if q:
                out.append(q.pop(0))
    return out


def _print_lost(results: Results, show: int) -> None:
    distinct = _distinct_lost(results)
    print(f"\nlost: {len(results.lost())} trials, {len(distinct)} distinct (source, change); "
          f"first {min(show, len(distinct))}:")
    for i, (t, seeds) in enumerate(distinct[:show], 1):
        print(f"[{i}] {t.source.id} ({t.source.origin})  {t.change} seed {t.seed} ({seeds}/{len(results.seeds)} seeds "
              f"lost): {t.original or '(no diagnosis)'} -> {t.new or '(no diagnosis)'}")
        for line in short_diff(t.source.text, results.perturbed(t)):
            print(f"      {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="every fourth source, one seed")
    parser.add_argument("--show", type=int, default=15, metavar="N", help="lost cases to list (default 15)")
    parser.add_argument("--change", choices=[*CHANGES, NOISE_ALONE], help="run only this change")
    args = parser.parse_args()

    started = time.perf_counter()
    engine = Engine(load_knowledge_base())
    sources = all_sources(engine.kb)
    seeds = (0,) if args.quick else FULL_SEEDS
    if args.quick:
        sources = sources[::4]
    origins = {o: sum(s.origin == o for s in sources) for o in ("kb-positive", "kb-negative", "case")}
    print(f"sources: {len(sources)} ({', '.join(f'{n} {o}' for o, n in origins.items())}); "
          f"seeds: {', '.join(map(str, seeds))}\n")

    if args.change != NOISE_ALONE:
        changes = {args.change: CHANGES[args.change]} if args.change else CHANGES
        results = run(engine, sources, changes, seeds)
        _print_tables(results)
        _print_lost(results, args.show)
    if args.change in (None, NOISE_ALONE):
        noise = noise_alone(engine, seeds=range(2 if args.quick else 5))
        silent = [n for n in noise if n.answer is None]
        print(f"\nhealthy noise alone: {len(silent)} / {len(noise)} silent")
        for n in noise:
            if n.answer is not None:
                print(f"  {n.name} ({n.lines} lines) -> {n.answer}")
    print(f"\nelapsed: {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
