"""The pasted input as the engine sees it: raw lines for quoting, a skeleton for matching."""
from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, overload

from . import layout
from .errors import InputError
from .layout import RECORD_START
from .normalize import (
    ASCII_SKELETON_DELETE,
    ASCII_SKELETON_TABLE,
    SKELETON_DELETE,
    clean_line,
    fold_pair_bytes,
    skeleton,
)

if TYPE_CHECKING:
    from .vocabulary import Vocabulary

MAX_INPUT_BYTES = 100 * 1024 * 1024
MAX_LINE_CHARS = 8192  # longer lines are hard-wrapped so per-line work stays bounded
MAX_JOIN_CHARS = 5_000_000  # wrapped quoted values are a paste problem; big log files are left as they are
MAX_JOINED = 2
MAX_REPAIR_CHARS = 500_000   # pastes this long or shorter are read for words a wrap cut and words OCR misread
CHUNK_CHARS = 65536  # big logs are skeletonised and split per chunk: cache-sized, and only where a hit needs it
_ARCHIVES = (
    (b"\x1f\x8b", "gzip file"), (b"PK\x03\x04", "zip archive"), (b"BZh", "bzip2 file"),
    (b"\xfd7zXZ", "xz file"), (b"\x89PNG", "PNG image"), (b"\xff\xd8\xff", "JPEG image"),
    (b"%PDF", "PDF document"), (b"\xd4\xc3\xb2\xa1", "packet capture"), (b"\xa1\xb2\xc3\xd4", "packet capture"),
    (b"\x0a\x0d\x0d\x0a", "packet capture (pcapng)"),
)
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


def decode_bytes(data: bytes) -> str:
    """Decode pasted or uploaded bytes as text, or raise InputError saying why not.

    >>> decode_bytes(b"caf\\xc3\\xa9")
    'café'
    >>> decode_bytes(b"caf\\xe9 latin-1")
    'café latin-1'
    """
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(
            f"input is {len(data) / 1e6:.0f} MB; the limit is {MAX_INPUT_BYTES // 2**20} MB. "
            "Cut the log to the minutes around one failed call."
        )
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace")
    for magic, what in _ARCHIVES:
        if data.startswith(magic):
            raise InputError(f"input is a {what}, not text; unpack it and give the log files inside")
    sample = data[:65536]
    controls = sum(sample.count(bytes([b])) for b in _CONTROL_BYTES)
    if sample.count(b"\x00") > 8 or controls > max(8, len(sample) // 20):
        raise InputError("input looks binary, not text; paste or attach a text log")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # cp1252 covers Windows copies of logs; it maps every byte but a few, which become U+FFFD.
        return data.decode("cp1252", errors="replace")


def _split_lines(text: str, vocabulary: Vocabulary | None = None) -> tuple[str, list[str], list[int] | None]:
    """Normalised text, its lines, and each line's 1-based number in the input (None: identity).

    Over-long lines are hard-wrapped; in pastes (not big logs), a line whose quoted value is left open
    is joined with the next one, as OCR and narrow terminals split `Detail="... certificate` / `chain"`.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    numbers: list[int] | None = None
    if max(map(len, lines)) > MAX_LINE_CHARS:
        wrapped: list[str] = []
        numbers = []
        for number, line in enumerate(lines, 1):
            for start in range(0, max(len(line), 1), MAX_LINE_CHARS):
                wrapped.append(line[start : start + MAX_LINE_CHARS])
                numbers.append(number)
        lines = wrapped
    if len(text) <= MAX_JOIN_CHARS:
        lines = layout.unquote(lines)
        width = layout.wrap_width(lines)
        if width:
            lines, numbers = layout.unwrap(lines, numbers or list(range(1, len(lines) + 1)), width)
        # what a person's copy did to it (a cut word, OCR): pastes; a log file is what its program wrote
        if vocabulary is not None and len(text) <= MAX_REPAIR_CHARS:
            joined, joined_numbers = layout.rejoin_cut_words(lines, numbers or list(range(1, len(lines) + 1)),
                                                             vocabulary)
            if len(joined) != len(lines):
                lines, numbers = joined, joined_numbers
            whole = "\n".join(lines)
            repaired = vocabulary.repair_words(whole)
            if repaired is not whole:
                lines, numbers = repaired.split("\n"), numbers or list(range(1, len(lines) + 1))
    if len(text) <= MAX_JOIN_CHARS and '"' in text:
        joined, joined_numbers = _join_open_quotes(lines, numbers or list(range(1, len(lines) + 1)), vocabulary)
        if len(joined) != len(lines):
            lines, numbers = joined, joined_numbers
    if numbers is not None:
        text = "\n".join(lines)
    return text, lines, numbers


def _join_open_quotes(lines: list[str], numbers: list[int],
                      vocabulary: Vocabulary | None = None) -> tuple[list[str], list[int]]:
    out: list[str] = []
    out_numbers: list[int] = []
    i = 0
    while i < len(lines):
        line, number = lines[i], numbers[i]
        joins = 0
        while (line.count('"') % 2 == 1 and joins < MAX_JOINED and i + 1 < len(lines)
               and lines[i + 1].strip() and not RECORD_START.match(lines[i + 1])):
            i += 1
            joins += 1
            tail = lines[i].strip()
            # a value cut inside a word ("netw" / "ork.search") is one word again; else the cut was a blank
            line = f"{line}{tail}" if vocabulary is not None and vocabulary.joins(line, tail) else f"{line} {tail}"
        out.append(line)
        out_numbers.append(number)
        i += 1
    return out, out_numbers


class ChunkedLines(Sequence[str]):
    """The lines of a big log, split a chunk at a time when a line in that chunk is first read.

    Splitting 20 MB into 140,000 strings costs more than everything else the engine does with it; only the
    lines around prefilter hits, the head and the tail are ever read. Lines are counted per chunk by the scan
    of the chunks' skeletons (in cache, once), or on first use.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.bounds: list[tuple[int, int]] = []   # [start, end) of each chunk; each but the last ends after "\n"
        position, n = 0, len(text)
        while position < n:
            end = text.find("\n", position + CHUNK_CHARS)
            end = n if end < 0 else end + 1
            self.bounds.append((position, end))
            position = end
        self._first: list[int] | None = None      # index of each chunk's first line, once counted
        self._length = 0
        self._split: dict[int, list[str]] = {}

    def _set_counts(self, counts: list[int]) -> None:
        first, line = [], 0
        for count in counts:
            first.append(line)
            line += count
        self._first = first
        self._length = line + 1  # like str.split: the text after the last newline is a line, even if empty

    def _index(self) -> list[int]:
        if self._first is None:
            self._set_counts([self.text.count("\n", start, end) for start, end in self.bounds])
        assert self._first is not None
        return self._first

    def __len__(self) -> int:
        self._index()
        return self._length

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        first = self._index()
        if isinstance(index, slice):
            start, stop, step = index.indices(self._length)
            if step != 1:
                return [self[i] for i in range(start, stop, step)]
            out: list[str] = []
            while start < stop:   # whole runs of each chunk's lines at a time
                chunk = bisect_right(first, start) - 1
                lines = self._chunk_lines(chunk)
                run = lines[start - first[chunk]: stop - first[chunk]]
                out.extend(run)
                start += len(run)
            return out
        if index < 0:
            index += self._length
        if not 0 <= index < self._length:
            raise IndexError("line index out of range")
        chunk = bisect_right(first, index) - 1
        return self._chunk_lines(chunk)[index - first[chunk]]

    def _chunk_lines(self, chunk: int) -> list[str]:
        lines = self._split.get(chunk)
        if lines is None:
            start, end = self.bounds[chunk]
            text = self.text[start:end]
            lines = text.split("\n")
            if chunk < len(self.bounds) - 1:
                lines.pop()   # the "" after the chunk's final newline; the next chunk starts there
            if "\r" in text:   # CRLF line ends (the skeleton drops CR anyway)
                lines = [line[:-1] if line.endswith("\r") else line for line in lines]
            self._split[chunk] = lines
        return lines

    def skeleton_pieces(self) -> Iterator[str | bytes]:
        """Each chunk's skeleton; ASCII chunks as bytes, folded by a byte table (the same folds as `skeleton`,
        several times faster than on str)."""
        for start, end in self.bounds:
            chunk = self.text[start:end]
            if chunk.isascii():
                yield fold_pair_bytes(chunk.encode("ascii").translate(ASCII_SKELETON_TABLE, ASCII_SKELETON_DELETE))
            else:
                yield skeleton(chunk)

    def set_line_counts(self, counts: list[int]) -> None:
        """Newlines in each chunk, as counted by whoever scanned the skeleton pieces (saves a second count)."""
        if self._first is None and len(counts) == len(self.bounds):
            self._set_counts(counts)


def _has_long_line(text: str) -> bool:
    """True if some line is longer than MAX_LINE_CHARS, probing one short window per half line limit.

    A line of 2 x probe characters fills at least one aligned window, and a window without a newline lies in
    a line of at least probe characters, so only those windows need their line measured.
    """
    probe = MAX_LINE_CHARS // 2
    for position in range(0, len(text), probe):
        if text.find("\n", position, position + probe) < 0:
            start = text.rfind("\n", 0, position) + 1
            end = text.find("\n", position)
            if (len(text) if end < 0 else end) - start > MAX_LINE_CHARS:
                return True
    return False


_NOT_SKELETON_BLANK = re.compile("[^\\s" + re.escape(SKELETON_DELETE) + "]")


@dataclass
class Document:
    """Lines of the input with their skeleton; `line_number(i)` is the 1-based line in the input.

    Pastes are split and folded whole (so wrapped values can be re-joined); a log over MAX_JOIN_CHARS is
    held as it is and folded and split per chunk (`ChunkedLines`).
    """

    lines: Sequence[str]
    skeleton: str
    numbers: list[int] | None = None
    chunked: ChunkedLines | None = None
    _clean: dict[int, str] = field(default_factory=dict, repr=False)
    _continued: dict[int, str | None] = field(default_factory=dict, repr=False)
    _clean_continued: dict[int, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(cls, text: str, vocabulary: Vocabulary | None = None) -> Document:
        """`vocabulary`: the field's words, to rejoin words a wrap cut and read words OCR misread (pastes only)."""
        if len(text) > MAX_JOIN_CHARS:
            # a big log is split on LF only (CRLF ends lose their CR when a chunk is split); a bare CR inside
            # a line stays a character, where a paste treats it as a line end
            if not _has_long_line(text):
                chunked = ChunkedLines(text)
                return cls(lines=chunked, skeleton="", chunked=chunked)
        text, lines, numbers = _split_lines(text, vocabulary)
        return cls(lines=lines, skeleton=skeleton(text), numbers=numbers)

    def skeleton_pieces(self) -> Iterator[str | bytes]:
        """The skeleton in pieces that end at line ends (a big log's chunks; a paste's whole skeleton)."""
        if self.chunked is not None:
            yield from self.chunked.skeleton_pieces()
        else:
            yield self.skeleton

    @property
    def needs_line_counts(self) -> bool:
        """A big log's lines are numbered by the newlines the scan of its pieces counts."""
        return self.chunked is not None

    def set_line_counts(self, counts: list[int]) -> None:
        """The scan of `skeleton_pieces` counted each piece's newlines; a big log keeps them as its line index."""
        if self.chunked is not None:
            self.chunked.set_line_counts(counts)

    def line_number(self, index: int) -> int:
        return self.numbers[index] if self.numbers is not None else index + 1

    def with_continuation(self, index: int) -> str | None:
        r"""The line joined with the next one when that looks like its wrapped tail (else None).

        >>> doc = Document.from_text('Event="Search Completed" Reason="Forbidden" Dst-\nalias="sip:a@b.example"')
        >>> doc.with_continuation(0)
        'Event="Search Completed" Reason="Forbidden" Dst-alias="sip:a@b.example"'
        """
        if index in self._continued:
            return self._continued[index]
        joined = None
        if index + 1 < len(self.lines):
            line, tail = self.lines[index].rstrip(), self.lines[index + 1].strip()
            # only log records wrap mid-value; prose, SIP headers and tables are left alone
            if line.count("=") >= 2 and tail and not RECORD_START.match(self.lines[index + 1]):
                glue = "" if line.endswith(("-", "=", "/", ".")) else " "
                joined = f"{line}{glue}{tail}"
        self._continued[index] = joined
        return joined

    def clean_continued(self, index: int) -> str | None:
        joined = self.with_continuation(index)
        if joined is None:
            return None
        cached = self._clean_continued.get(index)
        if cached is None:
            cached = self._clean_continued[index] = clean_line(joined)
        return cached

    def skeleton_line(self, index: int) -> str:
        return skeleton(self.lines[index])

    def clean(self, index: int) -> str:
        cached = self._clean.get(index)
        if cached is None:
            cached = self._clean[index] = clean_line(self.lines[index])
        return cached

    @cached_property
    def is_blank(self) -> bool:
        if self.chunked is not None:
            return _NOT_SKELETON_BLANK.search(self.chunked.text) is None
        return not self.skeleton or self.skeleton.isspace()

