"""Where a phrase's words stand in a line of chat: close together, a value right after its word, and not only
where the writer denies them (the positions come from `negation.read_denials`)."""
from __future__ import annotations


def within_span(hits: list[tuple[int, str]], words_needed: int, limit: int) -> bool:
    """All words of a phrase close together (any order): a phrase scattered over a long line is not said.

    `hits` are (position, word) pairs in position order.

    >>> text = "webex calls fail and after a long story the box reject them".split()
    >>> hits = lambda *ws: sorted((i, w) for i, w in enumerate(text) if w in ws)
    >>> within_span(hits("webex", "reject"), 2, 6), within_span(hits("box", "reject"), 2, 6)
    (False, True)
    """
    last: dict[str, int] = {}   # word -> its latest position so far
    for position, word in hits:
        last[word] = position
        # the tightest window ending here that holds every word starts at the oldest of their latest positions
        if len(last) == words_needed and position - min(last.values()) < limit:
            return True
    return False


def values_follow(need: tuple[str, ...], lists: list[list[int]]) -> bool:
    """A small number in a phrase is a value of the word before it ("m=audio 0", "cause 47"): it must stand right
    after that word, or "m=audio 52118 RTP/SAVP 0" would say "m=audio 0". Ports and SIP codes stand anywhere.

    >>> need = ("audio", "0", "webex")
    >>> values_follow(need, [[3], [6], [1]]), values_follow(need, [[3], [4], [1]])
    (False, True)
    """
    for k in range(1, len(need)):
        value = need[k].isdigit() and len(need[k]) <= 2 and need[k - 1].isalpha()
        if value and not set(lists[k]) & {p + 1 for p in lists[k - 1]}:
            return False
    return True


def _window(line_marked: list[set[int]], i: int, offset: int) -> set[int]:
    """The marked positions of window i: line i, then line i + 1 (its positions after line i's `offset` words)."""
    return line_marked[i] | {p + offset for p in line_marked[i + 1]} if i + 1 < len(line_marked) else line_marked[i]


def stands_denied(lists: list[list[int]], line_denied: list[set[int]], i: int, offset: int,
                  every: bool = False) -> bool:
    """Some word of the phrase stands only where the writer denies it (window i: line i, then line i + 1); with
    `every`, each word of the phrase stands (somewhere) where the writer denies it."""
    denied = _window(line_denied, i, offset)
    if every:
        return bool(denied) and all(any(p in denied for p in at) for at in lists)
    return bool(denied) and any(all(p in denied for p in at) for at in lists)


def said_where(lists: list[list[int]], line_marked: list[set[int]], i: int, offset: int, need: tuple[str, ...],
               limit: int) -> bool:
    """The phrase's words, close together, all at positions the writer marks (rules out, says work): "it's NOT a
    firewall issue" rules the firewall out though "our firewall team" follows.

    >>> said_where([[1], [2, 9]], [{1, 2}], 0, 10, ("firewall", "issue"), 6)
    True
    """
    marked = _window(line_marked, i, offset)
    if not marked:
        return False
    kept = [[p for p in at if p in marked] for at in lists]
    return all(kept) and within_span(sorted((p, w) for w, at in zip(need, kept, strict=True) for p in at),
                                     len(need), limit)
