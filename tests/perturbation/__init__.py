"""Perturbation harness: is the engine's answer robust to how evidence reaches it?

Each change is a pure function `(text, random.Random) -> text`, seeded per (change, source, seed). `run`
re-diagnoses every source after every change and counts the answers KEPT: the same top entry id, or no
diagnosis both times. `noise_alone` checks that the healthy log used for burial gets no diagnosis by itself.
`benchmarks/perturb.py` prints the figures; `tests/test_perturbation.py` checks the changes and the targets.
"""
from __future__ import annotations

from .burial import buried, is_prose, split_chat
from .layout import CLOSERS, OPENERS, chat_framing, crlf, hard_wrap, wrap_at
from .noise import healthy_blocks, healthy_noise
from .ocr import ocr
from .runner import (
    CASES,
    NOISE_SIZES,
    Answer,
    Change,
    NoiseResult,
    Results,
    Source,
    Trial,
    all_sources,
    answer,
    case_sources,
    kb_sources,
    noise_alone,
    rng_for,
    run,
    short_diff,
)
from .values import new_values

CHANGES: dict[str, Change] = {
    "new_values": new_values,
    "hard_wrap": hard_wrap,
    "crlf": crlf,
    "chat_framing": chat_framing,
    "buried": buried,
    "ocr": ocr,
}
NOISE_ALONE = "healthy_noise_alone"

__all__ = [
    "CASES", "CHANGES", "CLOSERS", "NOISE_ALONE", "NOISE_SIZES", "OPENERS", "Answer", "Change", "NoiseResult",
    "Results", "Source", "Trial", "all_sources", "answer", "buried", "case_sources", "chat_framing", "crlf",
    "hard_wrap", "healthy_blocks", "healthy_noise", "is_prose", "kb_sources", "new_values", "noise_alone", "ocr",
    "rng_for", "run", "short_diff", "split_chat", "wrap_at",
]
