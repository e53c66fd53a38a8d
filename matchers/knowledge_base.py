"""Read and validate the knowledge base: one YAML file per entry under `knowledge/`.

Two passes per file: the JSON Schema (`kb_schema.json`) checks the shape of the entry, then the semantic checks
(RE2 patterns, literal lengths, fact names, condition names) run while it is built. Every problem is reported as
`file:line: message`; all problems of a run are collected and raised together as KnowledgeBaseErrors, so an
author fixes them in one pass. Checks across entries (duplicate ids, `distinguish` targets, the catalogue, a
`source` for every entry beyond the guide) come last.

A validated knowledge base is kept in a cache (`kb_cache`), so start-up does not parse YAML again until a file
changes.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .conditions import ConditionSyntaxError, parse_condition
from .errors import KnowledgeBaseError, KnowledgeBaseErrors
from .model import Distinction, Entry, EntryKind, Reference, Section, Signal, Stage, Status, Step
from .signals import build_signal, compile_pattern
from .yaml_lines import DuplicateKeyError, KeyPath, load_with_lines

if TYPE_CHECKING:   # jsonschema is imported when YAML is validated, not when the cache serves the base
    from jsonschema import Draft202012Validator, ValidationError

DEFAULT_KB_DIR = Path(__file__).resolve().parent.parent / "knowledge"
SCHEMA_FILE = Path(__file__).resolve().parent / "kb_schema.json"
CATALOGUE_FILE = "catalogue.yaml"
STAGES_FILE = "stages.yaml"


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry]
    directory: Path
    stages: tuple[Stage, ...] = ()

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    return loaded


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema())


def enum_values(definition: str) -> dict[str, str]:
    """An enum of the schema, value -> description (`evidence_kind`, `zone_type`, or an entry property)."""
    node = schema()["$defs"].get(definition) or schema()["properties"][definition]
    return {branch["const"]: branch.get("description", "") for branch in node["oneOf"]}


class _FileChecker:
    """Collects the problems of one file, with the line each one is on."""

    def __init__(self, path: str, lines: dict[KeyPath, int]) -> None:
        self.path = path
        self.lines = lines
        self.errors: list[KnowledgeBaseError] = []

    def line(self, *key_path: Any) -> int:
        while key_path:
            if key_path in self.lines:
                return self.lines[key_path]
            key_path = key_path[:-1]
        return 1

    def error(self, message: str, *key_path: Any) -> None:
        self.errors.append(KnowledgeBaseError(self.path, self.line(*key_path), message))


# ------------------------------------------------------------------ schema errors, said plainly
SIGNAL_KEYS = ("literal", "pattern", "phrase", "fact", "xconfig", "sip_code", "record")


def _where(path: tuple[Any, ...]) -> str:
    return ".".join(str(p) for p in path) if path else "the entry"


def _signal_message(error: ValidationError) -> tuple[str, tuple[Any, ...]] | None:
    """One clear message (and the key it is about) for a signal that matches no kind: jsonschema reports only that
    every branch of the `oneOf` failed."""
    path = tuple(error.absolute_path)
    if len(path) != 2 or path[0] not in ("signals", "exclusions") or error.validator != "oneOf":
        return None
    spec = error.instance
    name = path[1]
    if not isinstance(spec, dict):
        return f"signal '{name}' must be a mapping", ()
    kinds = [k for k in spec if k in SIGNAL_KEYS]
    if len(kinds) != 1:
        return (f"signal '{name}' needs exactly one of {', '.join(SIGNAL_KEYS)}, found "
                f"{', '.join(kinds) or 'none'}"), ()
    branch = next(b for b in schema()["$defs"]["signal"]["oneOf"] if kinds[0] in b["required"])
    sub = _validator().evolve(schema=branch)   # keeps the root schema, so its $defs references resolve
    for inner in sorted(sub.iter_errors(spec), key=lambda e: list(map(str, e.absolute_path))):
        if inner.validator == "additionalProperties":
            extra = sorted(set(spec) - set(branch["properties"]))
            return (f"signal '{name}': unknown field '{extra[0]}' for a {kinds[0]} signal (allowed: "
                    f"{', '.join(sorted(branch['properties']))})"), (extra[0],)
        inner_path = tuple(inner.absolute_path)
        return f"signal '{name}': {_where(inner_path)}: {inner.message}", inner_path
    return None


def _schema_message(error: ValidationError) -> tuple[str, tuple[Any, ...]]:
    """The message for one schema error, and the key path below the error's own that it points at."""
    special = _signal_message(error)
    if special:
        return special
    return _plain_message(error), ()


def _plain_message(error: ValidationError) -> str:
    path = tuple(error.absolute_path)
    if error.validator == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        where = "" if not path else f" in {_where(path)}"
        return f"unknown field '{extra[0]}'{where} (allowed: {', '.join(allowed)})"
    if error.validator == "required":
        return f"missing required field {error.message.split(' ')[0]}" + (f" in {_where(path)}" if path else "")
    if error.validator == "oneOf" and isinstance(error.schema.get("oneOf"), list) and all(
            "const" in b for b in error.schema["oneOf"]):
        values = ", ".join(str(b["const"]) for b in error.schema["oneOf"])
        return f"{_where(path)} must be one of {values}, got {error.instance!r}"
    if error.validator == "not":
        return f"{_where(path)}: a {error.instance.get('kind')} entry cannot have this field here"
    return f"{_where(path)}: {error.message}"


def _schema_errors(chk: _FileChecker, data: Any) -> bool:
    """Report every shape problem; True when there were none."""
    found = False
    for error in sorted(_validator().iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.message)):
        path = tuple(error.absolute_path)
        if error.validator == "additionalProperties":
            extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
            path = (*path, extra[0]) if extra else path
        message, below = _schema_message(error)
        chk.error(message, *path, *below)
        found = True
    return not found


# ------------------------------------------------------------------ building an entry (shape already valid)
def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _text(value: Any) -> str:
    return " ".join(str(value).split()) if value is not None else ""


def _steps(data: list[Any]) -> tuple[Step, ...]:
    return tuple(Step(_text(i)) if isinstance(i, str) else Step(
        _text(i["step"]), bool(i.get("inferred", False)), _text(i.get("option", "")), tuple(i.get("done_when") or ()))
        for i in data)


def _references(data: Any) -> tuple[Reference, ...]:
    out = []
    for item in _as_tuple(data):
        if isinstance(item, str):
            out.append(Reference(title=_text(item)))
        else:
            out.append(Reference(title=_text(item["title"]), url=str(item.get("url", "")),
                                 section=_text(item.get("section", "")), seed_lines=str(item.get("seed_lines", ""))))
    return tuple(out)


def _signals(chk: _FileChecker, data: dict[str, Any], group: str, need_weight: bool) -> dict[str, Signal]:
    out: dict[str, Signal] = {}
    for name, spec in (data.get(group) or {}).items():
        if need_weight and "weight" not in spec:
            chk.error(f"signal '{name}' needs a weight in [0, 1]", group, name)

        def error(message: str, key: str, name: str = name) -> None:
            chk.error(f"signal '{name}': {message}", group, name, key)

        sig = build_signal(name, spec, error)
        if sig is not None:
            out[name] = sig
    return out


def _build_entry(path: Path, text: str, rel: str) -> tuple[Entry | None, list[KnowledgeBaseError], dict[KeyPath, int]]:
    try:
        data, lines = load_with_lines(text)
    except DuplicateKeyError as exc:
        return None, [KnowledgeBaseError(rel, exc.line, str(exc))], {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        return None, [KnowledgeBaseError(rel, line, f"invalid YAML: {problem}")], {}
    chk = _FileChecker(rel, lines)
    if not isinstance(data, dict):
        chk.error("an entry must be a YAML mapping")
        return None, chk.errors, lines
    if not _schema_errors(chk, data):
        return None, chk.errors, lines
    entry_id = str(data["id"])
    if entry_id != path.stem:
        chk.error(f"id '{entry_id}' does not match the file name '{path.stem}'", "id")
    signals = _signals(chk, data, "signals", need_weight=True)
    exclusions = _signals(chk, data, "exclusions", need_weight=False)
    condition = None
    try:
        condition = parse_condition(str(data["condition"]))
        for missing in sorted(condition.names() - set(data["signals"])):
            chk.error(f"condition names '{missing}', which is not a signal of this entry", "condition")
    except ConditionSyntaxError as exc:
        chk.error(f"condition: {exc}", "condition")
    kind = EntryKind(data["kind"])
    examples = data["examples"]
    entry = Entry(
        id=entry_id, kind=kind, title=_text(data["title"]), section=Section(data["section"]),
        summary=_text(data["summary"]), path=rel, stages=tuple(data.get("stage") or ()),
        part=tuple(str(p) for p in data.get("part") or ()), switch=str(data.get("switch") or ""),
        status=Status(data.get("status", "stable")),
        applies_to=tuple(data.get("applies_to") or ()), cause=_text(data.get("cause")),
        symptoms=tuple(_text(s) for s in data.get("symptoms") or ()),
        questions=tuple(_text(q) for q in data.get("questions") or ()),
        zh_title=_text((data.get("zh") or {}).get("title", "")),
        zh_questions=tuple(_text(q) for q in (data.get("zh") or {}).get("questions") or ()),
        zh_symptoms=tuple(_text(q) for q in (data.get("zh") or {}).get("symptoms") or ()),
        signals=signals, condition=condition, exclusions=exclusions,
        distinguish=tuple(Distinction(str(d["from"]), _text(d["by"])) for d in data.get("distinguish") or ()),
        steps=_steps(data["resolution" if kind is EntryKind.PROBLEM else "steps"]),
        verify=tuple(_text(v) for v in data.get("verify") or ()),
        related={k: tuple(v) for k, v in (data.get("related") or {}).items()},
        references=_references(data.get("references")), source=_references(data.get("source")),
        prior=float(data.get("prior", 0.0)),
        positive_examples=tuple(x for x in examples["positive"] if x.strip()),
        negative_examples=tuple(x for x in examples["negative"] if x.strip()),
    )
    return entry, chk.errors, lines


# ------------------------------------------------------------------ the whole base
def catalogue_ids(directory: Path) -> list[str]:
    path = directory / CATALOGUE_FILE
    if not path.exists():
        return []
    return re.findall(r"id:\s*([a-z0-9-]+)", path.read_text(encoding="utf-8"))


def entry_files(root: Path) -> list[Path]:
    return [p for p in sorted(root.rglob("*.y*ml")) if p.name not in (CATALOGUE_FILE, STAGES_FILE)]


def read_stages(root: Path) -> tuple[tuple[Stage, ...], list[KnowledgeBaseError]]:
    """The call's stages (`stages.yaml`): a list of {id, title, words, fails, zh, within, says, began}."""
    path = root / STAGES_FILE
    if not path.exists():
        return (), []
    rel = f"{root.name}/{STAGES_FILE}"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        return (), [KnowledgeBaseError(rel, None, f"cannot read the stages: {exc}")]
    stages: list[Stage] = []
    for n, item in enumerate(data if isinstance(data, list) else [None]):
        ok = isinstance(item, dict) and isinstance(item.get("id"), str) and isinstance(item.get("title"), str)
        words = item.get("words", []) if isinstance(item, dict) else None
        zh = item.get("zh", []) if isinstance(item, dict) else None
        fails = item.get("fails", []) if isinstance(item, dict) else None
        says = item.get("says", []) if isinstance(item, dict) else None
        began = item.get("began", []) if isinstance(item, dict) else None
        lists = [words or [], zh or [], fails or [], says or [], began or []]
        if not ok or not all(isinstance(x, list) and all(isinstance(w, str | int) for w in x) for x in lists) or (
                not isinstance(item.get("within", ""), str)):
            return (), [KnowledgeBaseError(rel, None, f"stage #{n + 1} must be a mapping with id, title, within, "
                                                      "and lists of strings words, fails, says, began and zh")]
        for pattern in [*(says or ()), *(began or ())]:
            try:
                compile_pattern(str(pattern))
            except Exception as exc:   # re2.error: the pattern is refused at load, not at the first message
                return (), [KnowledgeBaseError(rel, None, f"stage {item['id']}: pattern does not compile: {exc}")]
        stages.append(Stage(item["id"], item["title"], tuple(map(str, words or ())), tuple(map(str, zh or ())),
                            tuple(map(str, fails or ())), str(item.get("within", "")), tuple(map(str, says or ())),
                            tuple(map(str, began or ()))))
    known = {s.id for s in stages}
    for stage in stages:
        if stage.within and stage.within not in known:
            return (), [KnowledgeBaseError(rel, None, f"stage {stage.id} is within an unknown stage {stage.within!r}")]
    return tuple(stages), []


def _cross_checks(root: Path, entries: dict[str, Entry], lines: dict[str, dict[KeyPath, int]],
                  stages: set[str] | None = None) -> list[KnowledgeBaseError]:
    errors = []
    catalogue = catalogue_ids(root)
    for entry in entries.values():
        where = lines.get(entry.id, {})
        for n, step in enumerate(entry.steps):
            for name in step.done_when:
                if name not in entry.signals:
                    errors.append(KnowledgeBaseError(entry.path, where.get(("resolution", n, "done_when"), 1),
                                                     f"step {n + 1}: done_when names '{name}', which is not a "
                                                     "signal of this entry"))
        for name, sig in entry.signals.items():
            for other in sig.shared_with:
                if other not in entries or other == entry.id:
                    errors.append(KnowledgeBaseError(entry.path, where.get(("signals", name, "shared_with"), 1),
                                                     f"signal '{name}': shared_with: unknown entry id '{other}'"))
        for i, d in enumerate(entry.distinguish):
            if d.other_id not in entries:
                errors.append(KnowledgeBaseError(entry.path, where.get(("distinguish", i, "from")),
                                                 f"distinguish: unknown entry id '{d.other_id}'"))
        for stage in entry.stages:
            if stages is not None and stage not in stages:
                errors.append(KnowledgeBaseError(entry.path, where.get(("stage",), 1),
                                                 f"stage: unknown stage '{stage}' (see {STAGES_FILE})"))
        if entry.id not in catalogue and not entry.source:
            errors.append(KnowledgeBaseError(entry.path, where.get(("id",), 1),
                                             "an entry beyond the guide's catalogue needs a 'source': the Cisco "
                                             "document or field notice it rests on"))
    for wanted in catalogue:
        if wanted not in entries:
            errors.append(KnowledgeBaseError(f"{root.name}/{CATALOGUE_FILE}", None,
                                             f"catalogue id '{wanted}' has no knowledge-base entry"))
    return errors


def read_knowledge_base(root: Path) -> tuple[KnowledgeBase, list[KnowledgeBaseError]]:
    """Parse and validate every file (no cache): the base and every problem found."""
    errors: list[KnowledgeBaseError] = []
    entries: dict[str, Entry] = {}
    lines: dict[str, dict[KeyPath, int]] = {}
    for path in entry_files(root):
        rel = str(path.relative_to(root.parent)) if root.parent in path.parents else str(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            errors.append(KnowledgeBaseError(rel, None, f"cannot read file: {exc}"))
            continue
        entry, problems, entry_lines = _build_entry(path, text, rel)
        errors.extend(problems)
        if entry is None:
            continue
        if entry.id in entries:
            errors.append(KnowledgeBaseError(rel, 1, f"duplicate id '{entry.id}' (also in {entries[entry.id].path})"))
            continue
        entries[entry.id] = entry
        lines[entry.id] = entry_lines
    stages, stage_errors = read_stages(root)
    errors.extend(stage_errors)
    errors.extend(_cross_checks(root, entries, lines, {s.id for s in stages}))
    return KnowledgeBase(entries=entries, directory=root, stages=stages), errors


def load_knowledge_base(directory: Path | str | None = None, *, strict: bool = True,
                        use_cache: bool = True) -> KnowledgeBase:
    """Load every entry; with `strict`, raise KnowledgeBaseErrors listing every problem found. A valid base is
    taken from (and stored in) the compiled cache unless `use_cache` is False."""
    from . import kb_cache

    root = Path(directory) if directory else DEFAULT_KB_DIR
    if not root.is_dir():
        raise KnowledgeBaseErrors([KnowledgeBaseError(str(root), None, "knowledge-base directory not found")])
    key = kb_cache.cache_key(root) if use_cache else None
    if key is not None:
        cached = kb_cache.load(key)
        if cached is not None:
            cached.directory = root
            return cached
    kb, errors = read_knowledge_base(root)
    if errors and strict:
        raise KnowledgeBaseErrors(errors)
    if key is not None and not errors:
        kb_cache.store(key, kb)
    return kb
