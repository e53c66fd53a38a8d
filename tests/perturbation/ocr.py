"""`ocr`: text read back from a screenshot. One screenshot has one font, so each text gets one damage profile
(which characters the font confuses, how often, what happens to quotes and spaces) and the same confusions
recur through it, at a rate a person can still read through."""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

# (what the screenshot showed, what OCR read). The l/1/I family is the one every font suffers from.
L_FAMILY = (("l", "1"), ("l", "I"), ("l", "|"), ("I", "l"), ("i", "l"), ("1", "l"))
OTHERS = (("O", "0"), ("0", "O"), ("o", "0"), ("S", "5"), ("5", "S"), ("m", "rn"), ("rn", "m"),
          ("d", "cl"), ("cl", "d"), (".com", ".corn"))
QUOTE_DAMAGE = ("curly", "single", "doubled", "dropped")
_WRAPPABLE = re.compile(r'="([^"]{12,})"')


@dataclass(frozen=True)
class Profile:
    confusions: tuple[tuple[str, str, float], ...]   # (shown, read, chance per occurrence)
    quotes: str | None
    quote_rate: float
    space_drop: float
    space_double: float
    splits: int                                      # long quoted values that OCR breaks onto a second line

    @classmethod
    def draw(cls, rng: random.Random) -> Profile:
        chosen = rng.sample(L_FAMILY, rng.randint(1, 2)) + rng.sample(OTHERS, rng.randint(1, 3))
        confusions = tuple((a, b, rng.uniform(0.1, 0.3) if len(a) == 1 else rng.uniform(0.3, 0.7))
                           for a, b in chosen)
        quotes = rng.choice((None, *QUOTE_DAMAGE))
        return cls(confusions=confusions, quotes=quotes, quote_rate=rng.uniform(0.03, 0.1),
                   space_drop=rng.uniform(0.0, 0.04), space_double=rng.uniform(0.0, 0.04),
                   splits=rng.choice((0, 0, 1, 2)))


def _damage_quote(kind: str, rng: random.Random) -> str:
    if kind == "curly":
        return rng.choice("“”")
    if kind == "single":
        return "'"
    return '""' if kind == "doubled" else ""


def ocr(text: str, rng: random.Random) -> str:
    """The text with one screenshot font's confusions (l/1/I/|, O/0, S/5, rn/m, cl/d, .com/.corn), damaged
    quotes, dropped or doubled spaces, and a long value broken over two lines. PEM blocks are left alone.

    >>> damaged = ocr('Event="Inbound TLS Negotiation Error" Dst-port="5062" Detail="self signed certificate"',
    ...               random.Random(7))
    >>> damaged != 'Event="Inbound TLS Negotiation Error" Dst-port="5062" Detail="self signed certificate"'
    True
    """
    p = Profile.draw(rng)
    rates = {a: (b, rate) for a, b, rate in p.confusions}
    sources = sorted(rates, key=len, reverse=True)   # "rn" before "r", ".com" before "o"
    pattern = re.compile("|".join([*map(re.escape, sources), '"', " "]))

    def swap(m: re.Match[str]) -> str:
        s = m.group(0)
        if s == '"':
            return _damage_quote(p.quotes, rng) if p.quotes and rng.random() < p.quote_rate else s
        if s == " ":
            r = rng.random()
            return "" if r < p.space_drop else "  " if r < p.space_drop + p.space_double else s
        read, rate = rates[s]
        return read if rng.random() < rate else s

    lines = text.split("\n")
    for _ in range(p.splits):   # before the character damage, which may break the quotes it looks for
        candidates = [i for i, line in enumerate(lines) if _WRAPPABLE.search(line)]
        if not candidates:
            break
        i = rng.choice(candidates)
        m = rng.choice(list(_WRAPPABLE.finditer(lines[i])))
        cut = rng.randint(m.start(1) + 4, m.end(1) - 4)
        lines[i:i + 1] = [lines[i][:cut], lines[i][cut:]]
    out, in_pem = [], False
    for line in lines:
        # a PEM block is pasted as text, never read off a screenshot; damaged base64 is lost to anyone
        in_pem = in_pem or line.startswith("-----BEGIN")
        out.append(line if in_pem else pattern.sub(swap, line))
        in_pem = in_pem and not line.startswith("-----END")
    return "\n".join(out)
