"""The skeleton's fast paths fold exactly as the character table says, whatever the text holds."""
from __future__ import annotations

import random

import pytest

from matchers.normalize import SKELETON_TABLE, skeleton, to_nfkc

ALPHABET = (
    "abcXYZ iIl1|!0oO5sS=:\"'`\t\n-.é£ƒ€–—‐‑“”‘’„«»\u00a0\u200bíìÍÌøØóÓ→中文证书ｘＣｏｎｆ😀\ud800"
)


@pytest.mark.parametrize("seed", range(20))
def test_skeleton_equals_the_table_applied_character_by_character(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 400)))
    assert skeleton(text) == to_nfkc(text).translate(SKELETON_TABLE)


def test_one_non_ascii_character_does_not_change_the_fold_of_the_rest():
    line = 'Detail="TCP Connectlon Failed" Dst-port="5O62"'
    assert skeleton(line + " →") == skeleton(line) + "→"
