"""What every evidence parser returns: facts with the line they came from."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fact:
    name: str
    value: str = ""
    line: int | None = None          # 0-based line index in the document
    values: dict[str, str] = field(default_factory=dict)
    note: str = ""                   # short description when there is no single line to quote
