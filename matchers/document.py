"""The pasted input as the engine sees it: raw lines for quoting, a skeleton for matching."""
from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from functools import cached_property

from .errors import InputError
from .normalize import clean_line, skeleton

MAX_INPUT_BYTES = 100 * 1024 * 1024
MAX_LINE_CHARS = 8192  # longer lines are hard-wrapped so per-line work stays bounded
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


def _split_lines(text: str) -> tuple[str, list[str]]:
    """Normalised text and its lines; over-long lines are hard-wrapped (the text then follows suit)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if max(map(len, lines)) > MAX_LINE_CHARS:
        wrapped: list[str] = []
        for line in lines:
            for start in range(0, max(len(line), 1), MAX_LINE_CHARS):
                wrapped.append(line[start : start + MAX_LINE_CHARS])
        lines = wrapped
        text = "\n".join(lines)
    return text, lines


@dataclass
class Document:
    """Lines of the input with their skeleton; line numbers are 1-based for users."""

    lines: list[str]
    skeleton: str
    _clean: dict[int, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_text(cls, text: str) -> Document:
        text, lines = _split_lines(text)
        return cls(lines=lines, skeleton=skeleton(text))

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

