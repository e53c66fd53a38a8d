"""One Aho-Corasick pass over the skeleton finds every literal, anchor and parser trigger at once.

Its cost grows with the input, not with the number of knowledge-base entries, which is what keeps a
knowledge base ten or a hundred times larger cheap.
"""
from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from .document import Document

MAX_LINES_PER_KEY = 200  # enough to quote and decide; a literal on every line of a huge log adds nothing


class Prefilter:
    def __init__(self, keys: Iterable[str]) -> None:
        self._automaton = ahocorasick.Automaton()
        self._size = 0
        for key in set(keys):
            if key:
                self._automaton.add_word(key, key)
                self._size += 1
        if self._size:
            self._automaton.make_automaton()

    def scan(self, doc: Document) -> dict[str, list[int]]:
        """Skeleton key -> 0-based indexes of the lines holding it (first MAX_LINES_PER_KEY, in order)."""
        found: dict[str, list[int]] = {}
        if not self._size:
            return found
        line_index = doc.line_index
        for end, key in self._automaton.iter(doc.skeleton):
            lines = found.get(key)
            if lines is None:
                found[key] = [line_index(end)]
            elif len(lines) < MAX_LINES_PER_KEY:
                index = line_index(end)
                if lines[-1] != index:
                    lines.append(index)
        return found
