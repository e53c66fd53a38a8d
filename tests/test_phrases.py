"""Phrase proximity: the fast span check agrees with trying every window."""
from __future__ import annotations

import random

import pytest

from matchers.phrase_spans import within_span


def brute_force(hits: list[tuple[int, str]], words: int, limit: int) -> bool:
    return any(len({w for p, w in hits if start <= p < start + limit}) == words for start, _ in hits)


@pytest.mark.parametrize("seed", range(200))
def test_span_check_agrees_with_every_window(seed):
    rng = random.Random(seed)
    words = rng.randint(1, 5)
    vocabulary = "abcde"[:words]
    hits = sorted({(rng.randint(0, 60), rng.choice(vocabulary)) for _ in range(rng.randint(0, 14))})
    limit = rng.randint(1, 20)
    assert within_span(hits, words, limit) == brute_force(hits, words, limit)
