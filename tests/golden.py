"""The full report for every example text the project has, stored so that a refactoring can prove it changed
nothing (`tests/test_golden_reports.py`) and a knowledge-base change shows exactly what it changed.

    .venv/bin/python -m tests.golden            # rewrite tests/data/golden_reports.jsonl after an intended change
    .venv/bin/python -m tests.golden --diff     # list the texts whose report differs, without writing
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import yaml

from matchers import Engine, load_knowledge_base

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "data" / "golden_reports.jsonl"
CASE_SETS = {
    "heldout1": ROOT / "tests" / "heldout" / "cases.yaml",
    "heldout2": ROOT / "benchmarks" / "heldout2" / "cases.yaml",
    "public": ROOT.parent / "shared" / "examples" / "cases.yaml",   # absent on machines without ../shared
}
EXCERPTS = ROOT / "tests" / "data" / "seed_excerpts.yaml"


def example_texts(kb_dir: Path | None = None) -> Iterator[tuple[str, str]]:
    """(key, text) for every knowledge-base example, labelled case, seed excerpt and sample, in a fixed order."""
    kb = load_knowledge_base(kb_dir, strict=False)
    for entry in sorted(kb, key=lambda e: e.id):
        for i, text in enumerate(entry.positive_examples):
            yield f"kb:{entry.id}:pos{i}", text
        for i, text in enumerate(entry.negative_examples):
            yield f"kb:{entry.id}:neg{i}", text
    for name, path in CASE_SETS.items():
        if path.exists():
            for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
                yield f"{name}:{case['id']}", case["text"]
    for i, excerpt in enumerate(yaml.safe_load(EXCERPTS.read_text(encoding="utf-8"))):
        yield f"seed:{i}", excerpt["text"]
    for path in sorted((ROOT / "samples").glob("*.txt")):
        yield f"sample:{path.name}", path.read_text(encoding="utf-8")


# values counted from today (a certificate's days left or since expiry): stored as a mark, or the file ages
RELATIVE_TO_TODAY = frozenset({"expired_days_ago", "days_left"})


def _undated(value: object) -> object:
    if isinstance(value, dict):
        return {k: "<days>" if k in RELATIVE_TO_TODAY else _undated(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_undated(v) for v in value]
    return value


def reports(engine: Engine, kb_dir: Path | None = None) -> dict[str, dict]:
    return {key: _undated(engine.diagnose(text).as_dict()) for key, text in example_texts(kb_dir)}


def load() -> dict[str, dict]:
    out: dict[str, dict] = {}
    with GOLDEN.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            out[record["key"]] = record["report"]
    return out


def differences(stored: dict[str, dict], now: dict[str, dict]) -> list[str]:
    """Keys whose report differs; keys present on one side only (a missing ../shared) are not differences."""
    return [key for key in now if key in stored and stored[key] != now[key]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--diff", action="store_true", help="only list the texts whose report changed")
    parser.add_argument("--kb", type=Path, help="knowledge-base directory (default: knowledge/)")
    args = parser.parse_args(argv)
    now = reports(Engine(load_knowledge_base(args.kb)), args.kb)
    if args.diff:
        changed = differences(load(), now)
        for key in changed:
            print(key)
        print(f"{len(changed)} of {len(now)} reports differ", file=sys.stderr)
        return 1 if changed else 0
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    with GOLDEN.open("w", encoding="utf-8") as fh:
        for key, report in now.items():
            fh.write(json.dumps({"key": key, "report": report}, ensure_ascii=False, sort_keys=True) + "\n")
    print(f"wrote {len(now)} reports to {GOLDEN.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
