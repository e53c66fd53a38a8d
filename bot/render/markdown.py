"""Engine reports and knowledge-base entries as Webex markdown, split into messages Webex accepts."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from matchers import Diagnosis, Entry, Evidence, KnowledgeBase, Outcome, Report

from . import steps

WEBEX_MESSAGE_LIMIT = 7439  # bytes of markdown Webex accepts in one message

NO_MATCH_HELP = (
    "What would help:\n"
    "- the Expressway-E (and -C) diagnostic log of one failed call: **Maintenance > Diagnostics > "
    "Diagnostic logging**, with `developer.ssl` and `developer.zone.zonemgr` at DEBUG for TLS problems;\n"
    "- the `xConfiguration` of the Webex/Hybrid DNS zone, the traversal zones and the search rules;\n"
    "- the Control Hub SIP destination test result, or a capture on port 5062 (`tcp.port==5062`);\n"
    "- for dropped or unanswered calls, the Unified CM SDL trace of the same call."
)


def _pct(confidence: float) -> str:
    return f"{round(confidence * 100)}%"


# confidence bands shown in words, set on the calibration set (held-out 3, 5 and 6; docs/accuracy.md): scores of
# 0.7-0.8 were right 16 times in 27 there, scores of 0.8-0.9 63 times in 67
CERTAIN, LIKELY = 0.9, 0.8


def confidence_words(confidence: float) -> str:
    """The confidence in words, backed by the number: "likely (84%)"."""
    word = "certain" if confidence >= CERTAIN else "likely" if confidence >= LIKELY else "possible"
    return f"{word} ({_pct(confidence)})"


def step_lines(entry: Entry, values: Mapping[str, str] | None = None, fired: Iterable[str] = ()) -> list[str]:
    """The numbered steps with the paste's values filled in, done ones marked, options grouped (render/steps.py)."""
    return steps.steps_markdown(entry.steps, values, fired)


def references_markdown(entry: Entry) -> str:
    parts = []
    for ref in entry.references:
        if ref.url:
            parts.append(f"[{ref.title}]({ref.url})")
        elif not ref.seed_lines:   # seed line ranges are the maintainers' provenance, never shown to users
            parts.append(ref.title)
    return "; ".join(parts)


def _inline_code(text: str) -> str:
    return "`" + text.replace("`", "'") + "`"


QUOTE_CHARS = 200
_DECISIVE = ("Detail=", "Reason=", "Event=", "Module=")   # where the part that matters starts in a log record


def quote_window(quote: str, limit: int = QUOTE_CHARS) -> str:
    """A long log line quoted from where it matters: the timestamp, host and CodeLocation before `Detail=` (or
    `Reason=`, `Event=`) elided, and the tail cut at a word.

    >>> quote_window('2024-01-01T10:00:00.000+00:00 expe tvcs: UTCTime="2024-01-01 10:00:00,000" ' * 2
    ...              + 'Detail="sslv3 alert certificate unknown"', 80)
    '… Detail="sslv3 alert certificate unknown"'
    """
    if len(quote) <= limit:
        return quote
    label, sep, rest = quote.partition(" · ")   # "expe.log · …": the file a bundle's line came from stays
    if sep and len(label) < 120 and " " not in label.strip():
        return f"{label} · {quote_window(rest, limit)}"
    for key in _DECISIVE:
        at = quote.find(key)
        if at > 20:
            quote = "… " + quote[at:]
            break
    return quote if len(quote) <= limit else quote[: limit - 1].rsplit(" ", 1)[0] + " …"


def distinct_evidence(d: Diagnosis) -> list[Evidence]:
    """Evidence in weight order, each input line (or quote) once: several signals often fire on one line."""
    seen: set[object] = set()
    out = []
    for ev in d.evidence:
        key = ev.line if ev.line is not None else ev.quote
        if key in seen:
            continue
        seen.add(key)
        out.append(ev)
    return out


FIRST_STEPS = 3   # steps in the first reply; `explain <id>` gives them all
FIRST_QUOTES = 3  # evidence lines quoted in the first reply
FULL_QUOTES = 6


@dataclass(frozen=True)
class ShownEvidence:
    """One evidence line as the user sees it, in the markdown reply and in the card."""

    where: str            # "line 5", or "" when the evidence has no line
    quote: str
    wrote: bool = False   # the user's own words (a question, a description), not a log line
    found: str = ""
    expected: str | None = None   # a configuration check: what the value should have been
    matched: tuple[int, int] | None = None   # where in `quote` the signal's own string stands (shown marked)


def shown_evidence(d: Diagnosis, full: bool = False) -> list[ShownEvidence]:
    """The evidence worth quoting, best first (`quoted_evidence`), as the user sees it."""
    out = []
    for ev in quoted_evidence(d, full):
        where = f"line {ev.line}" if ev.line else ""
        if ev.kind == "phrase":
            out.append(ShownEvidence(where, ev.quote, wrote=True))
            continue
        quote = ev.quote if full else quote_window(ev.quote)
        sig = d.entry.signals.get(ev.signal)
        out.append(ShownEvidence(where, quote, found=ev.values.get("value", ""), expected=ev.values.get("expected"),
                                 matched=_span(quote, sig.literals if sig else ())))
    return out


def _span(quote: str, literals: Iterable[str]) -> tuple[int, int] | None:
    """Where the first of a signal's strings stands in the quote, ignoring case (OCR'd text may not hold it).

    >>> _span('… Detail="sslv3 alert certificate unknown"', ["error:14094416", "SSLv3 alert certificate unknown"])
    (10, 41)
    """
    lowered = quote.lower()
    for literal in literals:
        at = lowered.find(literal.lower())
        if at >= 0 and literal:
            return at, at + len(literal)
    return None


def _evidence_line(ev: ShownEvidence) -> str:
    if ev.wrote:
        return f"- you wrote ({ev.where}): “{ev.quote}”" if ev.where else f"- you wrote “{ev.quote}”"
    extra = f" (found `{ev.found}`, expected `{ev.expected}`)" if ev.expected is not None else ""
    if ev.matched:   # the part that matched in bold: `before` **`match`** `after`
        a, b = ev.matched
        parts = [_inline_code(ev.quote[:a]) if a else "", f"**{_inline_code(ev.quote[a:b])}**",
                 _inline_code(ev.quote[b:]) if b < len(ev.quote) else ""]
        return f"- {ev.where + ': ' if ev.where else ''}{' '.join(p for p in parts if p)}{extra}"
    return f"- {ev.where + ': ' if ev.where else ''}{_inline_code(ev.quote)}{extra}"


def heading_label(entry: Entry, rank: int, total: int) -> str:
    """"Diagnosis", "Diagnosis 2 of 3" or "How-to"."""
    return "How-to" if entry.kind == "howto" else ("Diagnosis" if total == 1 else f"Diagnosis {rank} of {total}")


def quoted_evidence(d: Diagnosis, full: bool = False) -> list[Evidence]:
    """The evidence the reply quotes for a problem (none for a how-to): the user's lines and words, never the
    knowledge base's wording a similarity matched. The local page marks the same lines in the paste."""
    if d.entry.kind != "problem":
        return []
    return [ev for ev in distinct_evidence(d) if ev.kind != "similarity"][:FULL_QUOTES if full else FIRST_QUOTES]


def first_steps(lines: list[str]) -> tuple[list[str], list[str]]:
    """The step lines of the first reply and the rest, one command or one toggle away. The first reply holds the
    steps the paste already answers, then up to FIRST_STEPS to do (an option's sub-steps count one each); the
    other options are named, not spelled out."""
    shown: list[str] = []
    rest: list[str] = []
    todo = 0
    for item in steps.items(lines):
        head, subs = item[0], item[1:]
        if head.split(". ", 1)[-1].startswith(steps.DONE):
            shown += item
        elif rest or todo >= FIRST_STEPS:
            rest += item
            if subs and head.endswith(":**"):   # another option: its name stays in view
                shown.append(head[:-3].replace("**Option", "**Or option", 1) + "** (in full with `explain`)")
        elif subs:
            room = max(1, FIRST_STEPS - todo)
            shown += [head, *subs[:room]]
            todo += len(subs[:room])
            if len(subs) > room:
                rest += item
        else:
            shown.append(head)
            todo += 1
    return shown, rest


def diagnosis_steps(d: Diagnosis, values: Mapping[str, str] | None = None) -> tuple[list[str], list[str]]:
    """A diagnosis's steps for the user, filled with the paste's values: (first reply, the rest)."""
    return first_steps(step_lines(d.entry, values, {ev.signal for ev in d.evidence}))


def diagnosis_markdown(d: Diagnosis, rank: int, total: int, full: bool = False,
                       values: Mapping[str, str] | None = None) -> str:
    e = d.entry
    heading = heading_label(e, rank, total)
    out = [f"### {heading}: {e.title}", f"Confidence {confidence_words(d.confidence)} · `{e.id}`", "", e.summary]
    for other, by in d.ambiguous_with:   # honest first: what else fits this evidence, and what tells them apart
        out += ["", f"**This evidence fits `{other}` as well** (`explain {other}`). What tells them apart: {by}"]
    if e.cause and full:
        out += ["", f"**Cause:** {e.cause}"]
    if d.evidence and e.kind == "problem":
        out += ["", "**Evidence matched:**", *map(_evidence_line, shown_evidence(d, full))]
    shown, rest = diagnosis_steps(d, values)
    left = len(steps.items(rest))
    if full:
        shown, left = shown + rest, 0
    elif left:   # chat first: the rest is one command away
        shown += ["", f"*{left} more steps, the cause, the verification and the references:* `explain {e.id}`"]
    out += ["", "**Resolution:**" if e.kind == "problem" else "**Steps:**", *shown]
    if e.verify and (full or not left):
        out += ["", "**Verify:**", *[f"- {v}" for v in e.verify]]
    refs = references_markdown(e)
    if refs and (full or not left):
        out += ["", f"References: {refs}"]
    return "\n".join(out)


TRIAGE_CLOSE = ("Send the evidence named above (paste it here or attach the log, capture or screenshot) and I will "
                "tell which it is; `explain <id>` gives any of them in full.")


def triage_markdown(report: Report) -> str:
    """A differential: the documented problems that fit, best first, each with what confirms it; one message."""
    out = ["This fits more than one documented problem, and nothing here decides between them yet. "
           "Most likely first:", ""]
    for i, c in enumerate(report.candidates, 1):
        out.append(f"{i}. **{c.title}** (`{c.id}`): {c.why}")
        if c.check:
            out.append(f"   - *To confirm:* {c.check}")
    return "\n".join([*out, "", TRIAGE_CLOSE])


def report_markdown(report: Report) -> str:
    if report.outcome in (Outcome.EMPTY, Outcome.UNREADABLE):
        return f"I could not diagnose this: {report.message}."
    if report.outcome is Outcome.TRIAGE and report.candidates:
        return triage_markdown(report)
    if not report.diagnoses:
        why = f" {report.message}" if report.message else ""
        return f"No documented Hybrid Call Service Connect problem matches this.{why}\n\n" + NO_MATCH_HELP
    total = len(report.diagnoses)
    return "\n\n---\n\n".join(diagnosis_markdown(d, i, total, values=report.values)
                                for i, d in enumerate(report.diagnoses, 1))


def split_message(markdown: str, limit: int = WEBEX_MESSAGE_LIMIT) -> list[str]:
    """Split at diagnosis, then paragraph, then line boundaries so no part exceeds `limit` bytes."""
    if len(markdown.encode()) <= limit:
        return [markdown]
    parts: list[str] = []
    current = ""
    for block in _blocks(markdown, limit):
        candidate = f"{current}\n\n{block}" if current else block
        if len(candidate.encode()) <= limit:
            current = candidate
        else:
            if current:
                parts.append(current)
            current = block
    if current:
        parts.append(current)
    return parts


def _blocks(markdown: str, limit: int) -> list[str]:
    blocks: list[str] = []
    for paragraph in markdown.replace("\n\n---\n\n", "\n\n").split("\n\n"):
        if len(paragraph.encode()) <= limit:
            blocks.append(paragraph)
            continue
        chunk = ""
        for line in paragraph.split("\n"):
            while len(line.encode()) > limit:  # one enormous line: cut on a character boundary
                cut = line.encode()[:limit].decode(errors="ignore")
                blocks.append(cut)
                line = line[len(cut):]
            candidate = f"{chunk}\n{line}" if chunk else line
            if len(candidate.encode()) > limit:
                blocks.append(chunk)
                chunk = line
            else:
                chunk = candidate
        if chunk:
            blocks.append(chunk)
    return blocks


def entry_markdown(entry: Entry) -> str:
    """The full entry, for `explain`."""
    out = [f"### {entry.title}", f"`{entry.id}` · {entry.kind} · section {entry.section}", "", entry.summary]
    if entry.cause:
        out += ["", f"**Cause:** {entry.cause}"]
    if entry.symptoms:
        out += ["", "**Symptoms:**", *[f"- {s}" for s in entry.symptoms]]
    out += ["", "**Resolution:**" if entry.kind == "problem" else "**Steps:**", *step_lines(entry)]
    if entry.verify:
        out += ["", "**Verify:**", *[f"- {v}" for v in entry.verify]]
    refs = references_markdown(entry)
    if refs:
        out += ["", f"References: {refs}"]
    return "\n".join(out)


def explain_markdown(kb: KnowledgeBase, topic: str) -> tuple[str, bool]:
    """`explain <id>` (the entry in full) or `explain <SIP code>` (the problems it appears in); the bool says
    whether the topic was found."""
    topic = topic.strip()
    entry = kb.get(topic) or kb.get(topic.lower())
    if entry is not None:
        return entry_markdown(entry), True
    if topic.isdigit():
        code = int(topic)
        related = [e for e in kb if code in e.related.get("sip", ())]
        if related:
            return "\n".join([f"SIP {code} appears in these documented problems:", ""]
                             + [f"- `{e.id}`: {e.title}" for e in related]), True
        return f"SIP {code} is not part of any documented problem.", False
    return f"I have no topic `{topic.replace('`', '')}`. Type `topics` for the list.", False
