"""Read and validate the knowledge base: one YAML file per entry under `knowledge/`.

Every problem is reported as `file:line: message`; all problems of a run are collected and raised
together as KnowledgeBaseErrors, so an author fixes them in one pass.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import re2
import yaml

from .conditions import ConditionSyntaxError, parse_condition
from .errors import KnowledgeBaseError, KnowledgeBaseErrors
from .fact_names import FACT_NAMES
from .model import Distinction, Entry, Reference, Signal, SignalKind, Step, XconfigSpec
from .normalize import skeleton
from .yaml_lines import DuplicateKeyError, load_with_lines

DEFAULT_KB_DIR = Path(__file__).resolve().parent.parent / "knowledge"
CATALOGUE_FILE = "catalogue.yaml"

SECTIONS = {"tls", "inbound", "outbound", "bidirectional", "tools"}
STATUSES = {"experimental", "test", "stable", "deprecated"}
EVIDENCE_KINDS = {
    "expressway-log", "sip", "xconfig", "wireshark", "tcpdump", "netstat", "dns", "controlhub",
    "cucm-trace", "certificate", "openssl", "question", "firewall", "webui",
}
COMMON_FIELDS = {
    "id", "kind", "status", "title", "section", "summary", "applies_to", "signals", "condition",
    "exclusions", "references", "examples", "prior", "distinguish", "related", "source",
}
PROBLEM_FIELDS = COMMON_FIELDS | {"cause", "symptoms", "resolution", "verify"}
HOWTO_FIELDS = COMMON_FIELDS | {"questions", "steps", "cause", "symptoms", "verify"}
SIGNAL_KEYS = {k.value for k in SignalKind}
SIGNAL_EXTRA = {"weight", "anchor", "value", "reason", "note", "min_score"}
MIN_LITERAL_SKELETON = 6
_LOOKAROUND = re.compile(r"\(\?<?[=!]|\\[1-9]|\\k<")


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry]
    directory: Path

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)


class _FileChecker:
    """Collects the problems of one file, with the line each one is on."""

    def __init__(self, path: str, lines: dict[tuple[Any, ...], int]) -> None:
        self.path = path
        self.lines = lines
        self.errors: list[KnowledgeBaseError] = []

    def line(self, *key_path: Any) -> int | None:
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return 1

    def error(self, message: str, *key_path: Any) -> None:
        self.errors.append(KnowledgeBaseError(self.path, self.line(*key_path), message))


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _build_signal(chk: _FileChecker, group: str, name: str, spec: Any, need_weight: bool) -> Signal | None:
    where = (group, name)
    if not isinstance(spec, dict):
        chk.error(f"signal '{name}' must be a mapping", *where)
        return None
    kinds = [k for k in spec if k in SIGNAL_KEYS]
    unknown = [k for k in spec if k not in SIGNAL_KEYS and k not in SIGNAL_EXTRA]
    for key in unknown:
        chk.error(f"signal '{name}': unknown field '{key}' (expected one of "
                  f"{', '.join(sorted(SIGNAL_KEYS | SIGNAL_EXTRA))})", group, name, key)
    if len(kinds) != 1:
        chk.error(f"signal '{name}' needs exactly one of {', '.join(sorted(SIGNAL_KEYS))}, found "
                  f"{', '.join(kinds) or 'none'}", *where)
        return None
    kind = SignalKind(kinds[0])
    raw = spec[kind.value]
    weight = spec.get("weight", 1.0 if not need_weight else None)
    if weight is None:
        chk.error(f"signal '{name}' needs a weight in (0, 1]", *where)
        weight = 0.5
    if not isinstance(weight, int | float) or not 0 <= float(weight) <= 1:
        chk.error(f"signal '{name}': weight must be a number in [0, 1], got {weight!r}", group, name, "weight")
        weight = 0.5
    common: dict[str, Any] = {
        "name": name, "kind": kind, "weight": float(weight), "source_line": chk.line(*where),
        "reason": _text(spec.get("reason", "")),
    }

    def literal_skeletons(values: tuple[Any, ...], field: str) -> tuple[str, ...]:
        out = []
        for v in values:
            if not isinstance(v, str | int | float) or isinstance(v, bool):
                chk.error(f"signal '{name}': {field} values must be strings", group, name, field)
                continue
            sk = skeleton(str(v)).replace("\n", "")
            if len(sk) < MIN_LITERAL_SKELETON:
                chk.error(f"signal '{name}': {field} {str(v)!r} is too short to match reliably "
                          f"(needs {MIN_LITERAL_SKELETON}+ letters or digits)", group, name, field)
                continue
            out.append(sk)
        return tuple(out)

    if kind is SignalKind.LITERAL:
        values = _as_tuple(raw)
        return Signal(**common, literals=tuple(str(v) for v in values),
                      skeletons=literal_skeletons(values, "literal"))
    if kind is SignalKind.PATTERN:
        if not isinstance(raw, str) or not raw:
            chk.error(f"signal '{name}': pattern must be a non-empty string", group, name, "pattern")
            return None
        if _LOOKAROUND.search(raw):
            chk.error(f"signal '{name}': pattern uses look-around or a back-reference, which RE2 "
                      "cannot run in linear time; rewrite it", group, name, "pattern")
            return None
        try:
            compiled = re2.compile(raw)
        except re2.error as exc:  # type: ignore[attr-defined]
            chk.error(f"signal '{name}': pattern does not compile in RE2: {exc}", group, name, "pattern")
            return None
        anchors = _as_tuple(spec.get("anchor"))
        if not anchors:
            chk.error(f"signal '{name}': a pattern needs an 'anchor' literal that must be on the same "
                      "line (it feeds the prefilter)", group, name)
        return Signal(**common, pattern=compiled, pattern_text=raw,
                      skeletons=literal_skeletons(anchors, "anchor"), literals=tuple(map(str, anchors)))
    if kind is SignalKind.PHRASE:
        phrases = tuple(_text(p).lower() for p in _as_tuple(raw) if _text(p))
        if not phrases:
            chk.error(f"signal '{name}': phrase must be a string or a list of strings", group, name)
        return Signal(**common, phrases=phrases)
    if kind is SignalKind.FACT:
        if raw not in FACT_NAMES:
            chk.error(f"signal '{name}': unknown fact '{raw}' (known: {', '.join(sorted(FACT_NAMES))})",
                      group, name, "fact")
        return Signal(**common, fact=str(raw), fact_values=tuple(str(v).lower() for v in _as_tuple(spec.get("value"))))
    if kind is SignalKind.XCONFIG:
        if not isinstance(raw, dict) or "setting" not in raw:
            chk.error(f"signal '{name}': xconfig needs a mapping with 'setting' and 'value' or 'expect'",
                      group, name, "xconfig")
            return None
        bad = set(raw) - {"setting", "value", "expect", "zone_type"}
        if bad:
            chk.error(f"signal '{name}': unknown xconfig field(s) {', '.join(sorted(bad))}", group, name, "xconfig")
        if ("value" in raw) == ("expect" in raw):
            chk.error(f"signal '{name}': xconfig needs exactly one of 'value' or 'expect'", group, name, "xconfig")
        xspec = XconfigSpec(
            setting=" ".join(str(raw["setting"]).lower().split()),
            values=tuple(str(v).lower() for v in _as_tuple(raw.get("value"))),
            expect=tuple(str(v).lower() for v in _as_tuple(raw.get("expect"))),
            zone_types=tuple(str(v).lower() for v in _as_tuple(raw.get("zone_type"))),
        )
        return Signal(**common, xconfig=xspec)
    if kind is SignalKind.SIP_CODE:
        codes = _as_tuple(raw)
        if not codes or not all(isinstance(c, int) and 100 <= c <= 699 for c in codes):
            chk.error(f"signal '{name}': sip_code must be a SIP status code or a list of them", group, name)
            return None
        return Signal(**common, sip_codes=tuple(codes))
    # RECORD
    if not isinstance(raw, dict) or not raw:
        chk.error(f"signal '{name}': record needs a mapping of log keys to values", group, name, "record")
        return None
    pairs = tuple((skeleton(str(k)), skeleton(str(v))) for k, v in raw.items())
    anchors = tuple(v for _, v in pairs if len(v) >= MIN_LITERAL_SKELETON)
    if not anchors:
        chk.error(f"signal '{name}': record needs at least one value of {MIN_LITERAL_SKELETON}+ characters "
                  "to anchor the prefilter", group, name, "record")
    longest = max(anchors, key=len) if anchors else ""
    return Signal(**common, record=pairs, skeletons=(longest,) if longest else (),
                  literals=tuple(f'{k}="{v}"' for k, v in raw.items()))


def _steps(chk: _FileChecker, data: Any, field: str) -> tuple[Step, ...]:
    if not isinstance(data, list) or not data:
        chk.error(f"'{field}' must be a non-empty list of steps", field)
        return ()
    out = []
    for i, item in enumerate(data):
        if isinstance(item, str):
            out.append(Step(_text(item)))
        elif isinstance(item, dict) and "step" in item:
            extra = set(item) - {"step", "inferred"}
            if extra:
                chk.error(f"step {i + 1}: unknown field(s) {', '.join(sorted(extra))}", field, i)
            out.append(Step(_text(item["step"]), bool(item.get("inferred", False))))
        else:
            chk.error(f"step {i + 1} must be text or a mapping with 'step'", field, i)
    return tuple(out)


def _references(chk: _FileChecker, data: Any) -> tuple[Reference, ...]:
    out = []
    for i, item in enumerate(data or []):
        if isinstance(item, str):
            out.append(Reference(title=item))
        elif isinstance(item, dict) and "title" in item:
            out.append(Reference(title=_text(item["title"]), url=str(item.get("url", "")),
                                 seed_lines=str(item.get("seed_lines", ""))))
        else:
            chk.error(f"reference {i + 1} must be text or a mapping with 'title'", "references", i)
    return tuple(out)


def _build_entry(path: Path, text: str, rel: str) -> tuple[Entry | None, list[KnowledgeBaseError]]:
    try:
        data, lines = load_with_lines(text)
    except DuplicateKeyError as exc:
        return None, [KnowledgeBaseError(rel, exc.line, str(exc))]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [KnowledgeBaseError(rel, line, f"invalid YAML: {problem}")]
    chk = _FileChecker(rel, lines)
    if not isinstance(data, dict):
        chk.error("an entry must be a YAML mapping")
        return None, chk.errors
    kind = data.get("kind")
    if kind not in {"problem", "howto"}:
        chk.error(f"'kind' must be 'problem' or 'howto', got {kind!r}", "kind")
        return None, chk.errors
    allowed = PROBLEM_FIELDS if kind == "problem" else HOWTO_FIELDS
    for key in data:
        if key not in allowed:
            chk.error(f"unknown field '{key}' (allowed for a {kind}: {', '.join(sorted(allowed))})", key)
    for key in ("id", "title", "section", "summary", "signals", "condition", "examples"):
        if key not in data:
            chk.error(f"missing required field '{key}'")
    entry_id = str(data.get("id", ""))
    if entry_id and entry_id != path.stem:
        chk.error(f"id '{entry_id}' does not match the file name '{path.stem}'", "id")
    section = data.get("section")
    if section is not None and section not in SECTIONS:
        chk.error(f"section must be one of {', '.join(sorted(SECTIONS))}, got {section!r}", "section")
    status = data.get("status", "stable")
    if status not in STATUSES:
        chk.error(f"status must be one of {', '.join(sorted(STATUSES))}, got {status!r}", "status")
    applies = _as_tuple(data.get("applies_to"))
    for i, a in enumerate(applies):
        if a not in EVIDENCE_KINDS:
            chk.error(f"applies_to: unknown evidence kind {a!r} (known: {', '.join(sorted(EVIDENCE_KINDS))})",
                      "applies_to", i)
    signals: dict[str, Signal] = {}
    raw_signals = data.get("signals") or {}
    if not isinstance(raw_signals, dict):
        chk.error("'signals' must be a mapping of signal names to signals", "signals")
        raw_signals = {}
    for name, spec in raw_signals.items():
        sig = _build_signal(chk, "signals", str(name), spec, need_weight=True)
        if sig:
            signals[str(name)] = sig
    exclusions: dict[str, Signal] = {}
    for name, spec in (data.get("exclusions") or {}).items():
        sig = _build_signal(chk, "exclusions", str(name), spec, need_weight=False)
        if sig:
            exclusions[str(name)] = sig
    condition = None
    if "condition" in data:
        try:
            condition = parse_condition(str(data["condition"]))
            for missing in sorted(condition.names() - set(raw_signals)):
                chk.error(f"condition names '{missing}', which is not a signal of this entry", "condition")
        except ConditionSyntaxError as exc:
            chk.error(f"condition: {exc}", "condition")
    step_field = "resolution" if kind == "problem" else "steps"
    steps = _steps(chk, data.get(step_field), step_field)
    examples = data.get("examples") or {}
    positives = tuple(str(x) for x in (examples.get("positive") or []) if str(x).strip())
    negatives = tuple(str(x) for x in (examples.get("negative") or []) if str(x).strip())
    if not positives:
        chk.error("examples.positive needs at least one example", "examples")
    if not negatives:
        chk.error("examples.negative needs at least one example", "examples")
    distinguish = []
    for i, d in enumerate(data.get("distinguish") or []):
        if not isinstance(d, dict) or "from" not in d or "by" not in d:
            chk.error("each distinguish item needs 'from' (an entry id) and 'by' (what decides)", "distinguish", i)
            continue
        distinguish.append(Distinction(str(d["from"]), _text(d["by"])))
    prior = data.get("prior", 0.0)
    if not isinstance(prior, int | float) or not 0 <= prior <= 0.05:
        chk.error(f"prior must be a number in [0, 0.05], got {prior!r}", "prior")
        prior = 0.0
    entry = Entry(
        id=entry_id, kind=str(kind), title=_text(data.get("title")), section=str(section),
        summary=_text(data.get("summary")), path=rel, status=str(status), applies_to=applies,
        cause=_text(data.get("cause")), symptoms=tuple(_text(s) for s in _as_tuple(data.get("symptoms"))),
        questions=tuple(_text(q) for q in _as_tuple(data.get("questions"))),
        signals=signals, condition=condition, exclusions=exclusions, distinguish=tuple(distinguish),
        steps=steps, verify=tuple(_text(v) for v in _as_tuple(data.get("verify"))),
        related=dict(data.get("related") or {}), references=_references(chk, data.get("references")),
        prior=float(prior), positive_examples=positives, negative_examples=negatives,
    )
    return entry, chk.errors


def catalogue_ids(directory: Path) -> list[str]:
    path = directory / CATALOGUE_FILE
    if not path.exists():
        return []
    return re.findall(r"id:\s*([a-z0-9-]+)", path.read_text(encoding="utf-8"))


def load_knowledge_base(directory: Path | str | None = None, *, strict: bool = True) -> KnowledgeBase:
    """Load every entry; with `strict`, raise KnowledgeBaseErrors listing every problem found."""
    root = Path(directory) if directory else DEFAULT_KB_DIR
    errors: list[KnowledgeBaseError] = []
    entries: dict[str, Entry] = {}
    if not root.is_dir():
        raise KnowledgeBaseErrors([KnowledgeBaseError(str(root), None, "knowledge-base directory not found")])
    for path in sorted(root.rglob("*.y*ml")):
        if path.name == CATALOGUE_FILE:
            continue
        rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(KnowledgeBaseError(rel, None, f"cannot read file: {exc}"))
            continue
        entry, problems = _build_entry(path, text, rel)
        errors.extend(problems)
        if entry is None or not entry.id:
            continue
        if entry.id in entries:
            errors.append(KnowledgeBaseError(rel, 1, f"duplicate id '{entry.id}' (also in {entries[entry.id].path})"))
            continue
        entries[entry.id] = entry
    for entry in entries.values():
        for d in entry.distinguish:
            if d.other_id not in entries:
                errors.append(KnowledgeBaseError(entry.path, None, f"distinguish: unknown entry id '{d.other_id}'"))
    for wanted in catalogue_ids(root):
        if wanted not in entries:
            errors.append(KnowledgeBaseError(f"{root.name}/{CATALOGUE_FILE}", None,
                                             f"catalogue id '{wanted}' has no knowledge-base entry"))
    if errors and strict:
        raise KnowledgeBaseErrors(errors)
    return KnowledgeBase(entries=entries, directory=root)
