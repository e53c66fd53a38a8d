"""The pasted input as the engine sees it: raw lines for quoting, a skeleton for matching."""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import cached_property

from .errors import InputError
from .normalize import clean_line, skeleton

MAX_INPUT_BYTES = 100 * 1024 * 1024
MAX_LINE_CHARS = 8192  # longer lines are hard-wrapped so per-line work stays bounded
MAX_JOIN_CHARS = 5_000_000  # wrapped quoted values are a paste problem; big log files are left as they are
MAX_JOINED = 2
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


def _split_lines(text: str) -> tuple[str, list[str], list[int] | None]:
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
    if len(text) <= MAX_JOIN_CHARS and '"' in text:
        joined, joined_numbers = _join_open_quotes(lines, numbers or list(range(1, len(lines) + 1)))
        if len(joined) != len(lines):
            lines, numbers = joined, joined_numbers
    if numbers is not None:
        text = "\n".join(lines)
    return text, lines, numbers


_RECORD_START = re.compile(r"^\s*(\d{4}-\d\d-\d\d|\*c\s|x\s*configuration|\d+\s+[\d.]+\s)", re.IGNORECASE)


def _join_open_quotes(lines: list[str], numbers: list[int]) -> tuple[list[str], list[int]]:
    out: list[str] = []
    out_numbers: list[int] = []
    i = 0
    while i < len(lines):
        line, number = lines[i], numbers[i]
        joins = 0
        while (line.count('"') % 2 == 1 and joins < MAX_JOINED and i + 1 < len(lines)
               and lines[i + 1].strip() and not _RECORD_START.match(lines[i + 1])):
            i += 1
            joins += 1
            line = f"{line} {lines[i].strip()}"
        out.append(line)
        out_numbers.append(number)
        i += 1
    return out, out_numbers


@dataclass
class Document:
    """Lines of the input with their skeleton; `line_number(i)` is the 1-based line in the input."""

    lines: list[str]
    skeleton: str
    numbers: list[int] | None = None
    _clean: dict[int, str] = field(default_factory=dict, repr=False)
    _continued: dict[int, str | None] = field(default_factory=dict, repr=False)
    _clean_continued: dict[int, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(cls, text: str) -> Document:
        text, lines, numbers = _split_lines(text)
        return cls(lines=lines, skeleton=skeleton(text), numbers=numbers)

    def line_number(self, index: int) -> int:
        return self.numbers[index] if self.numbers is not None else index + 1

    def with_continuation(self, index: int) -> str | None:
        r"""The line joined with the next one when that looks like its wrapped tail (else None).

        >>> doc = Document.from_text('Event="Search Completed" Reason="Forbidden" Dst-\nalias="sip:a@b.example"')
        >>> doc.with_continuation(0)
        'Event="Search Completed" Reason="Forbidden" Dst-alias="sip:a@b.example"'
        """
        cached = self._continued.get(index, False)
        if cached is not False:
            return cached
        joined = None
        if index + 1 < len(self.lines):
            line, tail = self.lines[index].rstrip(), self.lines[index + 1].strip()
            # only log records wrap mid-value; prose, SIP headers and tables are left alone
            if line.count("=") >= 2 and tail and not _RECORD_START.match(self.lines[index + 1]):
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
        return not self.skeleton or self.skeleton.isspace()

