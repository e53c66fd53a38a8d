"""The signal kinds of the knowledge base, one row each: how a signal is built from its YAML (after the schema has
checked its shape), which prefilter keys can make it fire, and how it is evaluated on one input.

A new kind is one row here and one `oneOf` branch in the schema (`kb_schema.json`).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import re2

from .context import Context
from .evidence.registry import FACT_NAMES
from .evidence.text.expressway_log import parse_record
from .model import Evidence, Signal, SignalKind, XconfigSpec
from .normalize import skeleton

MIN_LITERAL_SKELETON = 6
MAX_EVIDENCE_LINES = 3
QUOTE_CHARS = 240
RECORD_KEYS = ("event", "detail", "reason", "src-ip", "src-port", "dst-ip", "dst-port", "module",
               "response-code", "common-name")
_LOOKAROUND = re.compile(r"\(\?<?[=!]|\\[1-9]|\\k<")

Report = Callable[[str, str], None]   # (message, key under the signal) -> records a file:line error


def _as_tuple(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _text(value: Any) -> str:
    return " ".join(str(value).split())


def _skeletons(values: tuple[Any, ...], field: str, error: Report) -> tuple[str, ...]:
    out = []
    for v in values:
        sk = skeleton(str(v)).replace("\n", "")
        if len(skeleton(str(v), pairs=False).replace("\n", "")) < MIN_LITERAL_SKELETON:   # letters as written
            error(f"{field} {str(v)!r} is too short to match reliably (needs {MIN_LITERAL_SKELETON}+ letters or "
                  "digits)", field)
            continue
        out.append(sk)
    return tuple(out)


# ------------------------------------------------------------------ building (spec: the signal's YAML mapping)
def _build_literal(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    values = _as_tuple(spec["literal"])
    return {"literals": tuple(map(str, values)), "skeletons": _skeletons(values, "literal", error)}


def compile_pattern(text: str) -> Any:
    return re2.compile(text)


def _build_pattern(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    raw = spec["pattern"]
    anchors = _as_tuple(spec.get("anchor"))
    if not anchors:
        error("a pattern needs an 'anchor' literal that must be on the same line (it feeds the prefilter)", "pattern")
    if _LOOKAROUND.search(raw):
        error("pattern uses look-around or a back-reference, which RE2 cannot run in linear time; rewrite it",
              "pattern")
        return {}
    try:
        compiled = compile_pattern(raw)
    except re2.error as exc:
        error(f"pattern does not compile in RE2: {exc}", "pattern")
        return {}
    return {"pattern": compiled, "pattern_text": raw, "skeletons": _skeletons(anchors, "anchor", error),
            "literals": tuple(map(str, anchors))}


def _build_phrase(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    return {"phrases": tuple(_text(p).lower() for p in _as_tuple(spec["phrase"]) if _text(p))}


def _build_fact(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    name = spec["fact"]
    if name not in FACT_NAMES:
        error(f"unknown fact '{name}' (known: {', '.join(sorted(FACT_NAMES))})", "fact")
    return {"fact": name, "fact_values": tuple(str(v).lower() for v in _as_tuple(spec.get("value")))}


def _build_xconfig(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    raw = spec["xconfig"]
    return {"xconfig": XconfigSpec(
        setting=" ".join(str(raw["setting"]).lower().split()),
        values=tuple(str(v).lower() for v in _as_tuple(raw.get("value"))),
        expect=tuple(str(v).lower() for v in _as_tuple(raw.get("expect"))),
        zone_types=tuple(str(v).lower() for v in _as_tuple(raw.get("zone_type"))),
    )}


def _build_sip_code(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    return {"sip_codes": tuple(_as_tuple(spec["sip_code"]))}


def _build_record(spec: dict[str, Any], error: Report) -> dict[str, Any]:
    raw = spec["record"]
    pairs = tuple((skeleton(str(k)), skeleton(str(v))) for k, v in raw.items())
    anchors = tuple(v for _, v in pairs if len(v) >= MIN_LITERAL_SKELETON)
    if not anchors:
        error(f"record needs at least one value of {MIN_LITERAL_SKELETON}+ characters to anchor the prefilter",
              "record")
    longest = max(anchors, key=len) if anchors else ""
    return {"record": pairs, "skeletons": (longest,) if longest else (),
            "literals": tuple(f'{k}="{v}"' for k, v in raw.items())}


# ------------------------------------------------------------------ prefilter keys
def _skeleton_keys(sig: Signal) -> list[str]:
    return list(sig.skeletons)


def _phrase_keys(sig: Signal) -> list[str]:
    return list(sig.phrases)


def _fact_keys(sig: Signal) -> list[str]:
    return [f"{sig.fact}={v}" for v in sig.fact_values] if sig.fact_values else [sig.fact]


def _sip_keys(sig: Signal) -> list[str]:
    return [f"sip:{code}" for code in sig.sip_codes]


def _xconfig_keys(sig: Signal) -> list[str]:
    assert sig.xconfig is not None
    return ["xconfig:" + skeleton(sig.xconfig.setting)]


# ------------------------------------------------------------------ evaluation on one input
def quote(ctx: Context, index: int) -> str:
    line = ctx.doc.lines[index].strip()
    return line if len(line) <= QUOTE_CHARS else line[: QUOTE_CHARS - 1] + "…"


def line_evidence(sig: Signal, ctx: Context, index: int, values: dict[str, str] | None = None) -> Evidence:
    if values is None:
        values = ctx.record_values.get(index)
        if values is None:
            record = parse_record(ctx.doc.lines[index]) if "=" in ctx.doc.lines[index] else {}
            values = ctx.record_values[index] = {k: v for k, v in record.items() if k in RECORD_KEYS and v}
        values = dict(values)
    return Evidence(signal=sig.name, kind=str(sig.kind), line=ctx.doc.line_number(index), quote=quote(ctx, index),
                    values=values)


def _lines_with(sig: Signal, ctx: Context) -> list[int]:
    lines: set[int] = set()
    for key in sig.skeletons:
        lines.update(ctx.hits.get(key, ()))
    return sorted(lines)


def _lines_where(sig: Signal, ctx: Context, holds: Callable[[int], bool], limit: int) -> list[Evidence]:
    """Evidence for the first prefiltered lines on which `holds` is true."""
    out = []
    for i in _lines_with(sig, ctx):
        if holds(i):
            out.append(line_evidence(sig, ctx, i))
            if len(out) >= limit:
                break
    return out


def _eval_literal(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    literals = [literal.lower() for literal in sig.literals]
    lines = [i for i in _lines_with(sig, ctx)   # a log string quoted in a denial is not said there
             if not ctx.denies(i, lambda text: any(literal in text for literal in literals))]
    return [line_evidence(sig, ctx, i) for i in lines[:limit]]


def _eval_pattern(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    def holds(i: int) -> bool:
        if sig.pattern.search(ctx.doc.clean(i)):
            return not ctx.denies(i, lambda text: bool(sig.pattern.search(text)))
        joined = ctx.doc.clean_continued(i)   # a record wrapped onto the next line (OCR, narrow terminals)
        return joined is not None and bool(sig.pattern.search(joined))

    return _lines_where(sig, ctx, holds, limit)


def _eval_record(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    return _lines_where(sig, ctx, lambda i: _record_holds(sig.record, ctx, i), limit)


def _record_holds(spec: tuple[tuple[str, str], ...], ctx: Context, index: int) -> bool:
    """A record signal on one line (or the line joined with its wrapped tail). Look-alike entries share record
    specs, so results are kept per (spec, line), and each line is parsed and folded once."""
    key = (spec, index)
    held = ctx.record_results.get(key)
    if held is None:
        plain = _folded_record(ctx, index, joined=False)
        held = plain is not None and _record_matches(spec, *plain)
        if not held:
            folded = _folded_record(ctx, index, joined=True)
            held = folded is not None and _record_matches(spec, *folded)
        ctx.record_results[key] = held
    return held


def _folded_record(ctx: Context, index: int, joined: bool) -> tuple[dict[str, str], str] | None:
    """The line's key="value" fields and the line itself, folded to skeletons (None: no wrapped tail)."""
    key = (index, joined)
    if key not in ctx.folded_records:
        raw = ctx.doc.with_continuation(index) if joined else ctx.doc.lines[index]
        ctx.folded_records[key] = None if raw is None else (
            {skeleton(k): skeleton(v) for k, v in parse_record(raw).items()}, skeleton(raw))
    return ctx.folded_records[key]


def _record_matches(spec: tuple[tuple[str, str], ...], record: dict[str, str], skeleton_line: str) -> bool:
    for key, value in spec:
        if value in record.get(key, ""):
            continue
        if key + value in skeleton_line:
            continue
        return False
    return True


def _eval_fact(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    out = []
    for fact in ctx.facts.named(sig.fact):
        if sig.fact_values and fact.value.lower() not in sig.fact_values:
            continue
        if fact.line is not None:
            out.append(line_evidence(sig, ctx, fact.line, dict(fact.values)))
        else:
            out.append(Evidence(sig.name, str(sig.kind), None, fact.note or sig.fact, dict(fact.values)))
        if len(out) >= limit:
            break
    return out


def _eval_sip_code(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    out = []
    for code, index in ctx.sip_codes:
        if code in sig.sip_codes:
            values = {"sip_code": str(code)}
            if index is None:
                out.append(Evidence(sig.name, str(sig.kind), None, f"SIP {code}", values))
            else:
                out.append(line_evidence(sig, ctx, index, values))
            if len(out) >= limit:
                break
    return out


def _eval_phrase(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    for phrase in sig.phrases:
        index = ctx.prose.line_for(phrase)
        if index is not None:
            return [line_evidence(sig, ctx, index, {"phrase": phrase})]
    return []


def _eval_xconfig(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    spec = sig.xconfig
    assert spec is not None
    tail, wanted, expected = _xconfig_skeletons(spec)
    out = []
    for s in ctx.facts.settings:
        if not s.path_skeleton.endswith(tail):
            continue
        if spec.zone_types and s.zone_type is not None and s.zone_type not in spec.zone_types:
            continue
        value = skeleton(s.value)
        values = {"setting": s.path, "value": s.value}
        if s.zone:
            values["zone"] = s.zone
        if s.zone_type:
            values["zone_type"] = s.zone_type
        if wanted and value in wanted:
            pass
        elif expected and value and value not in expected:
            values["expected"] = " or ".join(spec.expect)
        else:
            continue
        if s.line is not None:
            out.append(line_evidence(sig, ctx, s.line, values))
        if len(out) >= limit:
            break
    return out


@lru_cache(maxsize=4096)
def _xconfig_skeletons(spec: XconfigSpec) -> tuple[str, frozenset[str], frozenset[str]]:
    return (skeleton(spec.setting), frozenset(skeleton(v) for v in spec.values),
            frozenset(skeleton(v) for v in spec.expect))


# ------------------------------------------------------------------ the table
@dataclass(frozen=True)
class KindSpec:
    build: Callable[[dict[str, Any], Report], dict[str, Any]]
    trigger_keys: Callable[[Signal], list[str]]
    evaluate: Callable[[Signal, Context, int], list[Evidence]]


SIGNAL_KINDS: dict[SignalKind, KindSpec] = {
    SignalKind.LITERAL: KindSpec(_build_literal, _skeleton_keys, _eval_literal),
    SignalKind.PATTERN: KindSpec(_build_pattern, _skeleton_keys, _eval_pattern),
    SignalKind.PHRASE: KindSpec(_build_phrase, _phrase_keys, _eval_phrase),
    SignalKind.FACT: KindSpec(_build_fact, _fact_keys, _eval_fact),
    SignalKind.XCONFIG: KindSpec(_build_xconfig, _xconfig_keys, _eval_xconfig),
    SignalKind.SIP_CODE: KindSpec(_build_sip_code, _sip_keys, _eval_sip_code),
    SignalKind.RECORD: KindSpec(_build_record, _skeleton_keys, _eval_record),
}


def build_signal(name: str, spec: dict[str, Any], error: Report) -> Signal | None:
    """A signal from its (schema-valid) YAML mapping; None when a semantic check failed."""
    kind = next(k for k in SignalKind if k.value in spec)
    before = [0]

    def counted(message: str, key: str) -> None:
        before[0] += 1
        error(message, key)

    fields = SIGNAL_KINDS[kind].build(spec, counted)
    if before[0] and kind is SignalKind.PATTERN and "pattern" not in fields:
        return None
    return Signal(name=name, kind=kind, weight=float(spec.get("weight", 1.0)), reason=_text(spec.get("reason", "")),
                  shared_with=tuple(spec.get("shared_with") or ()), **fields)


def evaluate(sig: Signal, ctx: Context, limit: int = MAX_EVIDENCE_LINES) -> list[Evidence]:
    """The evidence `sig` finds in the input: at most `limit` lines (a reply quotes a few; exclusions look wider)."""
    return SIGNAL_KINDS[sig.kind].evaluate(sig, ctx, limit)


def trigger_keys(sig: Signal) -> list[str]:
    """Keys whose presence in an input can make `sig` fire (see Engine._candidates)."""
    return SIGNAL_KINDS[sig.kind].trigger_keys(sig)
