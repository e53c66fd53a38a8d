"""Changes of layout only: the characters of the paste survive, the way they reach the bot does not."""
from __future__ import annotations

import random

# Neutral chat: nothing here names a symptom, a code or a component that could be evidence by itself.
OPENERS = (
    "hi all, seeing this on our expe:",
    "hey team, pasting what I have from the Expressway:",
    "morning! this is from our side, see below",
    "Hi, here is the output you asked for.",
    "from the Expressway this morning:",
    "posting this for a colleague, they are off today:",
    "ok here goes:",
)
CLOSERS = (
    "any idea?",
    "thanks in advance",
    "let me know if you need more",
    "cheers",
    "can someone take a look when you have a minute?",
    "thx",
)
FENCE_TAGS = ("", "", "text", "log")


def hard_wrap(text: str, rng: random.Random) -> str:
    """Wrap every line longer than W (76-100) at W columns, mid-token, as a narrow terminal or a mail client
    does. The continuation lines start at column 0, or for some texts after two spaces.

    >>> line = "x" * 150
    >>> wrapped = hard_wrap(line, random.Random(3))
    >>> [len(part) for part in wrapped.split("\\n")][0] in range(76, 101)
    True
    """
    return wrap_at(text, rng.randint(76, 100), "  " if rng.random() < 0.3 else "")


def wrap_at(text: str, width: int, indent: str = "") -> str:
    """`hard_wrap` with its width and continuation indent given; continuation lines fit the width too.

    >>> wrap_at("abcdefghij", 4, "  ")
    'abcd\\n  ef\\n  gh\\n  ij'
    """
    out: list[str] = []
    step = width - len(indent)
    for line in text.split("\n"):
        out.append(line[:width])
        rest = line[width:]
        while rest:
            out.append(indent + rest[:step])
            rest = rest[step:]
    return "\n".join(out)


def crlf(text: str, rng: random.Random) -> str:
    r"""CRLF line ends, and blanks or tabs left at the end of some lines (a copy from a Windows terminal).

    >>> crlf("a\nb\n", random.Random(0)).count("\r\n")
    2
    """
    rate = rng.uniform(0.1, 0.5)
    lines = text.split("\n")
    last = len(lines) - 1
    out = []
    for i, line in enumerate(lines):
        if i < last and rng.random() < rate:
            line += "".join(rng.choice(" \t") for _ in range(rng.randint(1, 4)))
        out.append(line)
    return "\r\n".join(out)


def chat_framing(text: str, rng: random.Random) -> str:
    """The paste as a chat message frames it: in a markdown code fence, quoted line by line ("> "), or between
    a neutral sentence before and one after. Which one is drawn from `rng`.

    >>> framed = chat_framing("line one\\nline two", random.Random(2))
    >>> "line one" in framed and "line two" in framed
    True
    """
    body = text.rstrip("\n")
    mode = rng.choice(("fence", "quote", "sentences"))
    if mode == "fence":
        opener = rng.choice(OPENERS) + "\n" if rng.random() < 0.4 else ""
        return f"{opener}```{rng.choice(FENCE_TAGS)}\n{body}\n```\n"
    if mode == "quote":
        return "\n".join("> " + line if line.strip() else ">" for line in body.split("\n")) + "\n"
    before = rng.choice(OPENERS)
    after = rng.choice(CLOSERS) if rng.random() < 0.7 else ""
    gap = "\n" if rng.random() < 0.5 else ""
    return f"{before}\n{gap}{body}\n" + (f"{gap}{after}\n" if after else "")
