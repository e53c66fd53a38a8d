"""How often each confidence band is right: the top answer's band (certain / likely / possible, as the reply
shows it) against the labelled answer, over case files with `expect` ids.

    .venv/bin/python benchmarks/calibration.py tests/heldout/cases.yaml benchmarks/heldout2/cases.yaml

A case counts when the engine answers (a diagnosis); it is right when the top id is one of `expect`.
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml

from bot.render.markdown import confidence_words
from matchers import Engine, load_knowledge_base


def main(paths: list[str]) -> int:
    engine = Engine(load_knowledge_base())
    bands: dict[str, list[int]] = {"certain": [0, 0], "likely": [0, 0], "possible": [0, 0]}
    for path in paths:
        for case in yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []:
            report = engine.diagnose(case["text"])
            if not report.diagnoses:
                continue
            top = report.diagnoses[0]
            band = confidence_words(top.confidence).split()[0]
            bands[band][1] += 1
            bands[band][0] += top.entry.id in (case.get("expect") or [])
    print(f"{'band':10} {'right':>6} / {'answered':<8} share")
    for band, (right, total) in bands.items():
        share = f"{100 * right / total:.1f} %" if total else "-"
        print(f"{band:10} {right:>6} / {total:<8} {share}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["tests/heldout/cases.yaml", "benchmarks/heldout2/cases.yaml"]))
