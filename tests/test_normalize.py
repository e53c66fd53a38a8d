"""The skeleton's fast paths fold exactly as the character table says, whatever the text holds."""
from __future__ import annotations

import random

import pytest

from matchers.normalize import SKELETON_TABLE, fold_pairs, repair_tokens, skeleton, to_nfkc

ALPHABET = (
    "abcXYZ iIl1|!0oO5sS=:\"'`\t\n-.é£ƒ€–—‐‑“”‘’„«»\u00a0\u200bíìÍÌøØóÓ→中文证书ｘＣｏｎｆ😀\ud800"
)


@pytest.mark.parametrize("seed", range(20))
def test_skeleton_equals_the_table_applied_character_by_character(seed):
    rng = random.Random(seed)
    text = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 400)))
    assert skeleton(text) == fold_pairs(to_nfkc(text).translate(SKELETON_TABLE))


def test_one_non_ascii_character_does_not_change_the_fold_of_the_rest():
    line = 'Detail="TCP Connectlon Failed" Dst-port="5O62"'
    assert skeleton(line + " →") == skeleton(line) + "→"


def reference_clean_line(line: str) -> str:
    """clean_line written plainly, with look-behinds first: the fast patterns must repair exactly the same."""
    import re

    text = to_nfkc(line).replace("£", "f")
    if re.search(r"[\d.:][lIoO|]|[lIoO|][\d.:]|[a-zA-Z][10][a-z]|T7\d|0l\b", text):
        text = re.sub(r"(\d{4}-\d\d-\d\d[Tt])7(?=\d\d:\d\d)", r"\1", text)
        text = re.sub(r"(?<=[a-z])0l\b", "01", text)
        text = re.sub(r"(?<=[a-zA-Z])1(?=[a-z])", "l", text)
        text = re.sub(r"(?<=[a-zA-Z])0(?=[a-z])", "o", text)
        text = re.sub(r"(?<=\d)[lI|](?=[\d.:])|(?<=[\d.:])[lI|](?=\d)", "1", text)
        text = re.sub(r"(?<=\d)[oO](?=\d)|(?<=[\d.:])[oO](?=\d)|(?<=\d)[oO](?=[.:]\d)", "0", text)
    text = repair_tokens(text)   # whole-token repairs: applied to every line here, behind the fast gate there
    text = re.sub(r"\.corn\b", ".com", re.sub(r"^(\W{0,2})rn=", r"\1m=", text))
    return re.sub(r"[ \t\r\f\v\u00a0]+", " ", text).strip().lower()


@pytest.mark.parametrize("seed", range(30))
def test_clean_line_repairs_exactly_what_the_plain_rules_say(seed):
    from matchers.normalize import clean_line

    rng = random.Random(seed)
    alphabet = "aZlLI|1iO0o5sSTt7 .:/-\t\u00a09x2024-"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        assert clean_line(text) == reference_clean_line(text), text


def test_sip_codes_in_prose_skip_addresses_times_and_versions():
    from matchers.evidence.text.sip import codes_in_prose

    assert codes_in_prose("603 at 10.1.1.404, 12:404, v/503, -480, 4.404.1 but calls get 404.") == [603, 404]
    assert codes_in_prose("got a 488") == [488]
