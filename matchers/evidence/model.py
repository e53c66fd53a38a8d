"""What evidence extraction produces and how an extractor declares itself.

An extractor names the trigger literals of the lines it reads (compared on the OCR skeleton, like knowledge-base
literals; only lines holding one are ever parsed) and the facts it can establish, next to the code that
establishes them. The registry (`matchers.evidence.registry`) derives the prefilter keys, the fact vocabulary the
knowledge-base validator checks and the docs table from these declarations.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..document import Document
    from .text.xconfig import Setting


@dataclass(frozen=True)
class Fact:
    """One thing the evidence establishes, with the line it came from."""

    name: str
    value: str = ""
    line: int | None = None          # 0-based line index in the document
    values: dict[str, str] = field(default_factory=dict)
    note: str = ""                   # short description when there is no single line to quote


@dataclass
class FactSet:
    facts: list[Fact] = field(default_factory=list)
    settings: list[Setting] = field(default_factory=list)
    sip_codes: list[tuple[int, int | None]] = field(default_factory=list)   # (code, line index)
    kinds: set[str] = field(default_factory=set)                              # evidence kinds seen

    def named(self, name: str) -> list[Fact]:
        return [f for f in self.facts if f.name == name]

    def add(self, fact: Fact) -> None:
        self.facts.append(fact)


Hits = Mapping[str, Sequence[int]]   # trigger group -> 0-based indexes of the lines holding one of its literals


@dataclass(frozen=True)
class Extractor:
    """One source of evidence in pasted text: its trigger groups, the facts it establishes, how it reads them.

    `extract(doc, hits, out)` is called with the hits of this extractor's own groups (at least one non-empty).
    Extractors that establish no fact of their own (the Webex marker, read by a derived fact) set no `extract`.
    """

    name: str
    triggers: Mapping[str, tuple[str, ...]]
    facts: Mapping[str, str] = field(default_factory=dict)    # fact name -> meaning (value: what it holds)
    kinds: tuple[str, ...] = ()                                # evidence kinds it reports in `Report.evidence_kinds`
    extract: Callable[[Document, Hits, FactSet], None] | None = None
