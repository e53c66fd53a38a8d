"""One pass over the skeleton finds every literal, anchor and parser trigger at once.

Its cost grows with the input, not with the number of knowledge-base entries, which is what keeps a
knowledge base ten or a hundred times larger cheap. Hyperscan (SIMD literal matching) is used where its
wheel is available; pyahocorasick, which finds exactly the same hits more slowly, everywhere else.
"""
from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from typing import Any

import ahocorasick

from .document import Document

hyperscan: Any
try:  # Hyperscan ships x86-64 wheels only
    import hyperscan
except ImportError:  # pragma: no cover - depends on the platform
    hyperscan = None

MAX_LINES_PER_KEY = 200  # enough to quote and decide; a literal on every line of a huge log adds nothing


class Prefilter:
    def __init__(self, keys: Iterable[str], engine: str = "auto") -> None:
        self.keys = sorted({k for k in keys if k})
        self.engine = "hyperscan" if engine == "auto" and hyperscan is not None and self.keys else engine
        if self.engine == "auto":
            self.engine = "ahocorasick"
        if self.engine == "hyperscan":
            self._database = hyperscan.Database()
            self._database.compile(
                expressions=[re.escape(k).encode() for k in self.keys], ids=list(range(len(self.keys))),
                elements=len(self.keys), flags=[0] * len(self.keys),
            )
            self._scratch = hyperscan.Scratch(self._database)
            self._local = threading.local()  # a scratch space is single-threaded: one per thread
        else:
            self._automaton = ahocorasick.Automaton()
            for key in self.keys:
                self._automaton.add_word(key, key)
            if self.keys:
                self._automaton.make_automaton()

    def scan(self, doc: Document) -> dict[str, list[int]]:
        """Skeleton key -> 0-based indexes of the lines holding it (first MAX_LINES_PER_KEY, in order).

        Lines are counted on the way (each piece once, in segments between hits) and handed to the document,
        which numbers a big log's lines by them.
        """
        found: dict[str, list[int]] = {}
        if not self.keys:
            return found
        counts: list[int] = []
        first_line = 0
        whole = doc.needs_line_counts   # else lines are only counted up to the last hit
        for piece in doc.skeleton_pieces():
            if self.engine == "hyperscan":
                data = piece if isinstance(piece, bytes) else piece.encode("utf-8", errors="replace")
                count = self._collect(data, b"\n", self._hyperscan_hits(data), first_line, found, whole)
            else:
                text = piece.decode("ascii") if isinstance(piece, bytes) else piece
                hits = ((end + 1, key) for end, key in self._automaton.iter(text))  # iter gives the last index
                count = self._collect(text, "\n", hits, first_line, found, whole)
            counts.append(count)
            first_line += count
        if whole:
            doc.set_line_counts(counts)
        return found

    def _hyperscan_hits(self, data: bytes) -> list[tuple[int, str]]:
        hits: list[tuple[int, str]] = []
        keys = self.keys

        def on_match(key_id: int, _start: int, end: int, _flags: int, _context: object) -> None:
            hits.append((end, keys[key_id]))

        scratch = getattr(self._local, "scratch", None)
        if scratch is None:
            scratch = self._local.scratch = self._scratch.clone()
        self._database.scan(data, match_event_handler=on_match, scratch=scratch)
        hits.sort(key=lambda h: h[0])
        return hits

    @staticmethod
    def _collect(text: str | bytes, newline: str | bytes, hits: Iterable[tuple[int, str]], first_line: int,
                 found: dict[str, list[int]], whole: bool = False) -> int:
        """Add each hit's line (counted from `first_line`) to `found`, in text order, up to the cap per key;
        return the number of newlines in `text` (when `whole`; else those before the last hit)."""
        line = first_line
        position = 0
        for end, key in hits:  # in text order; `end` is just past the key
            lines = found.get(key)
            if lines is not None and len(lines) >= MAX_LINES_PER_KEY:
                continue
            line += text.count(newline, position, end)  # type: ignore[arg-type]
            position = end
            if lines is None:
                found[key] = [line]
            elif lines[-1] != line:
                lines.append(line)
        return line - first_line + (text.count(newline, position) if whole else 0)  # type: ignore[arg-type]
