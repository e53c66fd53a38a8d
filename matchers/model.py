"""The data model: knowledge-base entries, their signals, and what a diagnosis returns."""
from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .conditions import Condition


class SignalKind(StrEnum):
    LITERAL = "literal"
    PATTERN = "pattern"
    PHRASE = "phrase"
    FACT = "fact"
    XCONFIG = "xconfig"
    SIP_CODE = "sip_code"
    RECORD = "record"


@dataclass(frozen=True)
class XconfigSpec:
    setting: str                      # matched against the end of the setting path, case-insensitive
    values: tuple[str, ...] = ()      # fires when the value is one of these
    expect: tuple[str, ...] = ()      # fires when the value is none of these
    zone_types: tuple[str, ...] = ()  # restrict to zones of these types


@dataclass(frozen=True)
class Signal:
    name: str
    kind: SignalKind
    weight: float
    literals: tuple[str, ...] = ()    # as written, for display
    skeletons: tuple[str, ...] = ()   # literal or anchor skeletons, for the prefilter
    pattern: Any = None               # compiled RE2 pattern
    pattern_text: str = ""            # as written
    phrases: tuple[str, ...] = ()
    fact: str = ""
    fact_values: tuple[str, ...] = ()
    xconfig: XconfigSpec | None = None
    sip_codes: tuple[int, ...] = ()
    record: tuple[tuple[str, str], ...] = ()  # (key skeleton, value skeleton)
    reason: str = ""                  # exclusions: why the look-alike evidence rules the entry out (shown)
    shared_with: tuple[str, ...] = ()  # entries this evidence fits just as well (the guide cannot tell them apart)


@dataclass(frozen=True)
class Step:
    text: str                        # may name paste values: {{subdomain|your Webex subdomain}} (paste_values.py)
    inferred: bool = False
    option: str = ""                 # alternatives: steps of one option share its label ("A - public CA")
    done_when: tuple[str, ...] = ()  # signals of the entry whose evidence shows this step's result already


@dataclass(frozen=True)
class Reference:
    title: str
    url: str = ""
    section: str = ""                # the part of the document that says it
    seed_lines: str = ""             # maintainers' provenance in the OCR'd seed; never shown to users


@dataclass(frozen=True)
class Stage:
    """A stage of the call (DNS, the 5062 connection, TLS, routing, ringing, after answer, media) and the words
    people use for it, in English and in Chinese."""

    id: str
    title: str
    words: tuple[str, ...] = ()
    zh: tuple[str, ...] = ()
    fails: tuple[str, ...] = ()   # how the stage shows failing, in words that name no cause ("no audio", "404")
    within: str = ""              # a part of another stage (which side checks a certificate, within the handshake)
    says: tuple[str, ...] = ()    # patterns (RE2, on the lower-cased message) that name it where word order matters
    began: tuple[str, ...] = ()   # patterns that say it began ("mid-handshake"): the stages before it were passed


@dataclass(frozen=True)
class Distinction:
    other_id: str
    by: str


class EntryKind(StrEnum):
    PROBLEM = "problem"
    HOWTO = "howto"


class Status(StrEnum):
    STABLE = "stable"
    TEST = "test"
    EXPERIMENTAL = "experimental"    # reported, and the reply says so
    DEPRECATED = "deprecated"        # never reported


class Section(StrEnum):
    TLS = "tls"
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    BIDIRECTIONAL = "bidirectional"
    TOOLS = "tools"


@dataclass
class Entry:
    id: str
    kind: EntryKind
    title: str
    section: Section
    summary: str
    path: str
    stages: tuple[str, ...] = ()         # where in the call it shows (knowledge/stages.yaml)
    part: tuple[str, ...] = ()           # the part at fault, as a writer names it when saying it is fine
    switch: str = ""                     # "on"/"off": the part is a setting, fine in that state
    status: Status = Status.STABLE
    applies_to: tuple[str, ...] = ()
    cause: str = ""
    symptoms: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    zh_title: str = ""                   # Simplified Chinese wordings (the Chinese guide's vocabulary)
    zh_questions: tuple[str, ...] = ()
    zh_symptoms: tuple[str, ...] = ()
    signals: dict[str, Signal] = field(default_factory=dict)
    condition: Condition | None = None
    exclusions: dict[str, Signal] = field(default_factory=dict)
    distinguish: tuple[Distinction, ...] = ()
    steps: tuple[Step, ...] = ()     # resolution steps (problem) or how-to steps
    verify: tuple[str, ...] = ()
    related: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    references: tuple[Reference, ...] = ()
    source: tuple[Reference, ...] = ()   # the Cisco documents an entry beyond the guide rests on
    prior: float = 0.0
    positive_examples: tuple[str, ...] = ()
    negative_examples: tuple[str, ...] = ()


@dataclass(frozen=True)
class Evidence:
    """One reason an entry was chosen: which signal fired, on which line, with what values."""

    signal: str
    kind: str
    line: int | None                 # 1-based line number in the input, None for whole-message facts
    quote: str                       # the raw line (trimmed) or a short description
    values: dict[str, str] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"signal": self.signal, "kind": self.kind, "line": self.line, "quote": self.quote}
        if self.values:
            out["values"] = dict(self.values)
        return out


@dataclass
class Diagnosis:
    entry: Entry
    confidence: float
    evidence: list[Evidence]
    ambiguous_with: list[tuple[str, str]] = field(default_factory=list)  # (other id, what would decide)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.entry.id,
            "title": self.entry.title,
            "kind": self.entry.kind,
            "section": self.entry.section,
            "confidence": round(self.confidence, 3),
            "evidence": [e.as_dict() for e in self.evidence],
            "ambiguous_with": [{"id": i, "decided_by": by} for i, by in self.ambiguous_with],
        }


@dataclass(frozen=True)
class Candidate:
    """One documented problem a vague message or partial evidence fits (see matchers/triage.py)."""

    id: str
    title: str
    why: str        # what the problem is, in one line
    check: str      # what confirms it, or separates it from the other candidates
    score: float

    def as_dict(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "why": self.why, "check": self.check}


class Outcome(StrEnum):
    MATCH = "match"            # at least one diagnosis
    TRIAGE = "triage"          # no diagnosis, but a short list of documented problems that fit
    NO_MATCH = "no_match"      # read fine, nothing documented found
    EMPTY = "empty"            # nothing to read
    UNREADABLE = "unreadable"  # could not be read as text


@dataclass
class Report:
    outcome: Outcome
    diagnoses: list[Diagnosis]
    message: str = ""                # for EMPTY / UNREADABLE, what was wrong
    line_count: int = 0
    evidence_kinds: tuple[str, ...] = ()   # what the parsers recognised in the input
    candidates: list[Candidate] = field(default_factory=list)   # TRIAGE: best first
    values: dict[str, str] = field(default_factory=dict)   # the customer's values the paste shows (paste_values.py)

    def as_dict(self) -> dict[str, Any]:
        out = {
            "outcome": str(self.outcome),
            "message": self.message,
            "evidence_kinds": list(self.evidence_kinds),
            "matches": [d.as_dict() for d in self.diagnoses],
        }
        if self.candidates:
            out["candidates"] = [c.as_dict() for c in self.candidates]
        return out
