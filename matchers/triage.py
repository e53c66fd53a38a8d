"""A differential for a message that names a symptom area but decides nothing: the documented problems that fit,
best first, each with what would confirm it.

Nothing here is a second list of causes. Which problems fit comes from the knowledge base itself: how close the
message reads to each problem's own questions and symptoms, and which of its signals the evidence already fired
(a bare `404`, an `sslv3 alert certificate unknown`) without its condition holding. What separates two candidates
is their `distinguish` text; what to collect is the first symptom that quotes a log, page or capture.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, KeysView, Sequence, Set

from .evidence.model import Fact
from .model import Candidate, Diagnosis, Entry, EntryKind, Section, Stage, Status
from .phrases import ABBREVIATIONS, STOPWORDS, phrase_words, stem

MIN_SCORE = 0.22        # weaker than this, the message is not about this problem at all
MIN_CANDIDATES = 2      # one candidate is a guess, not a differential
MAX_CANDIDATES = 4
MAX_LINE = 240          # characters of a `why` or `check` line
STAGE_WEIGHT = 0.25     # a problem of the stage (and of the direction) the message names fits that much before any
                        # wording
DIRECTION_LEAD = 1.25   # without a direction in words, one direction must fit this much better to win
STAGE_BYPASS = 0.6      # a problem of another stage that the message reads this much like stays in the list
STAGE_FILL = 3          # a short differential of a named stage is filled from that stage's problems, up to this
PARTIAL_WEIGHT = 0.8    # fired signals of an entry whose condition did not hold count at this share
GUIDE_WEIGHT = 0.1      # a problem of the troubleshooting guide itself fits that much before any wording


TIE_MARGIN = 0.05       # two answers this close ...
TIE_BELOW = 0.6         # ... and both this weak: the evidence fits both and decides neither
KNOWN_SHARE = 0.5       # of a message's words the knowledge base must know before its wording ranks problems
# the words of the product itself (the chat abbreviations' expansions and the few nouns of a call): a message
# without one ("thanks, works now", "reset my printer") names no symptom area, whatever its cosine
DOMAIN_WORDS = frozenset(stem(w) for words in ABBREVIATIONS.values() for w in words) - {"you", "please", "not",
                                                                                       "two", "three", "with"} | {
    stem(w) for w in ("hybrid", "call", "calls", "zone", "trunk", "port", "search", "rule", "dns", "tls", "sip",
                      "handshake", "ring", "toast", "decline", "expressway", "certificate")} | {
    "呼叫", "来电", "通话", "通知", "证书", "区域", "搜索", "规则", "端口", "双向", "防火", "火墙", "域名", "中继",
    "接通", "座机", "振铃", "音频", "掉线"}


def undecided(diagnoses: list[Diagnosis], ruled_out: Set[str] = frozenset()) -> bool:
    """Two weak problems that tie: the evidence fits both and decides neither, so a triage, not a guess. One the
    writer rules out ranks second and ties with nothing."""
    if len(diagnoses) < 2 or diagnoses[0].confidence >= TIE_BELOW or diagnoses[1].entry.id in ruled_out:
        return False
    both_problems = diagnoses[0].entry.kind is diagnoses[1].entry.kind is EntryKind.PROBLEM
    return both_problems and diagnoses[0].confidence - diagnoses[1].confidence <= TIE_MARGIN


STANDS_ASKED = 0.7      # an answer this sure stands even when the message asks for the possible causes


def asks_for_differential(diagnoses: Sequence[Diagnosis], asks_causes: bool, said: set[int]) -> bool:
    """The message asks for the possible causes ("what could it be?", "where do I start?") and the best answer rests
    on its words alone, no pasted line, and is a how-to or below STANDS_ASKED: the differential answers what was
    asked, and one guess would not."""
    if not (diagnoses and asks_causes):
        return False
    top = diagnoses[0]
    if any(e.line is not None and e.line not in said for e in top.evidence):
        return False
    return top.entry.kind is not EntryKind.PROBLEM or top.confidence < STANDS_ASKED or bool(top.ambiguous_with) or (
        len(diagnoses) > 1 and _rests_on_the_same_lines(top, diagnoses[1], said))


def _rests_on_the_same_lines(top: Diagnosis, other: Diagnosis, said: set[int]) -> bool:
    """The other problem fires on every line the top one's log or config evidence stands on (on a chat line, a log
    string quoted there): that evidence fits both, so asked for the causes, the answer is the two of them and what
    separates them."""
    if other.entry.kind is not EntryKind.PROBLEM or {top.entry.section, other.entry.section} == {
            Section.INBOUND, Section.OUTBOUND}:
        return False   # the two directions' problems are told apart by the call's direction, not by that line
    def lines(d: Diagnosis) -> set[int]:
        return {e.line for e in d.evidence if e.line is not None and e.kind not in ("phrase", "similarity")
                and (e.line not in said or e.kind == "literal")}

    pasted = lines(top)
    return bool(pasted) and pasted <= lines(other)


# the sides and nouns of any call, and chat's own words: with a stage's `fails` words they say where a call
# fails, not why
_ANY_CALL = ("after", "few", "second", "call", "phone", "desk", "app", "user", "fail", "work", "broken", "just",
             "quick", "instant", "immediate", "hybrid", "both", "way", "direction", "side", "end", "webex", "spark",
             "cloud", "expressway", "expressway-e", "expressway-c", "cucm", "unified", "control", "hub", "on-prem",
             "premise", "not", "never", "no", "problem", "issue", "error", "wrong", "all", "every", "always",
             "anything", "nothing", "since", "today", "yesterday", "monday", "weekend", "morning", "suddenly", "now",
             "still", "any", "idea", "ideas", "help", "please", "thanks", "hi", "hello", "team", "guys", "what",
             "why", "how", "where", "which", "who", "start", "look", "check", "usually", "reason", "cause", "could",
             "can", "do", "does", "did", "have", "has", "had", "get", "gets", "got", "see", "sees", "there", "here",
             "they", "them", "their", "someone", "colleague", "people", "everyone", "same", "fine", "ok", "like",
             "seem", "seems", "i'm", "we're", "keep", "keeps", "happen", "happens", "happening", "behind", "mean",
             "so", "but", "and", "or", "if", "then", "when", "only", "also", "some", "kind", "think", "sure")
AREA_SHARE = 0.8        # of a message's words this share only place the failure: it names an area, not a cause


def area_words(stages: Sequence[Stage]) -> frozenset[str]:
    """The words that only place a failure: how each stage shows failing (knowledge/stages.yaml `fails`), and the
    sides and nouns of any call, and chat's own words."""
    return frozenset(w for s in stages for phrase in s.fails for w in phrase_words(phrase)) | {
        w for word in _ANY_CALL for w in phrase_words(word)}


def names_only_an_area(top: Diagnosis, said: set[int], tokens: set[str], area: frozenset[str]) -> bool:
    """The answer rests on the message's own words, and they say only where the call fails ("no audio on hybrid
    calls", "desk phone -> webex app gets a 404", "drops after answer"), not what causes it: the stage's
    differential answers that, and one problem of the stage would be a guess."""
    if top.entry.kind is not EntryKind.PROBLEM or any(e.line is not None and e.line not in said for e in top.evidence):
        return False   # a pasted line decides, not the words
    content = [t for t in tokens if t not in STOPWORDS]
    return bool(content) and sum(t in area for t in content) >= AREA_SHARE * len(content)


def alternatives_in_area(top: Entry, candidates: Sequence[Candidate], entries: Iterable[Entry]) -> bool:
    """Another candidate fails at a stage of `top`: the area holds alternatives, so the differential answers it."""
    stages = {e.id: set(e.stages) for e in entries}
    return any(c.id != top.id and stages.get(c.id, set()) & set(top.stages) for c in candidates)


# the product's own names, as `phrases.token_forms` reads them (expe, vcs-c, callmanager, spark, l2sip ...)
_PRODUCT = frozenset(stem(w) for w in ("webex", "hybrid", "expressway", "cucm", "hub", "callservice", "ciscospark",
                                       "l2sip", "wbx2", "squared", "5062", "desk"))


def names_the_product(tokens: set[str]) -> bool:
    """The words place the message in Webex Hybrid Call: a differential is only given there ("TLS fails on our SBC"
    names no part of it)."""
    return bool(tokens & _PRODUCT)


def names_symptom_area(words: set[str], known: KeysView[str], sip_code: bool) -> bool:
    """Whether a message's wording may rank problems: a product word or a SIP code, and mostly words the
    knowledge base uses ("webex meetings scheduling from outlook" has one product word among strangers)."""
    if not (sip_code or words & DOMAIN_WORDS):
        return False
    hits = len(words & known)
    return hits >= 2 and hits >= KNOWN_SHARE * len(words)



def differential(entries: Iterable[Entry], similar: dict[str, float], partial: dict[str, float],
                 excluded: set[str], direction: Section | None = None,
                 evidenced: frozenset[str] | set[str] = frozenset(),
                 stages: frozenset[str] | set[str] = frozenset(),
                 parts: frozenset[str] | set[str] = frozenset(),
                 coded: frozenset[str] | set[str] = frozenset(), either: bool = False) -> list[Candidate]:
    """The candidates, best first, or [] when the message does not narrow the field to a few problems.

    `similar`: entry id -> how close the message reads to the entry's questions and symptoms (cosine);
    `partial`: entry id -> the combined weight of its signals that fired; `excluded`: entries the evidence rules
    out (a look-alike's reason); `stages`: the stages of the call the message names (DNS, the 5062 connection,
    TLS ...): their problems fit, and the problems of other stages leave unless the evidence partly shows them;
    `parts`: the named stages that are part of another (which side rejects a certificate): their problems fit more;
    `coded`: the problems documented with a SIP code the message names (a 404 is inbound's and outbound's);
    `either`: the writer does not know the direction, so both directions' problems stay.
    Only problems are candidates: a how-to is an answer, not a cause.
    """
    problems = {e.id: e for e in entries if e.kind is EntryKind.PROBLEM and e.status is not Status.DEPRECATED
                and e.id not in excluded}
    scored: list[Scored] = []
    for entry_id, entry in problems.items():
        sim = similar.get(entry_id, 0.0)
        part = PARTIAL_WEIGHT * partial.get(entry_id, 0.0)
        in_stage = bool(stages.intersection(entry.stages))
        shown = entry_id in evidenced or entry_id in coded
        if stages and not in_stage and not shown and sim < STAGE_BYPASS:
            continue   # another stage's problem stays only when the message reads very much like it
        toward = _toward(entry, direction)
        # the areas named that it belongs to: its stage, its direction, what the evidence shows, a part of the stage
        fit = in_stage + toward + shown + bool(parts.intersection(entry.stages))
        score = 1.0 - (1.0 - sim) * (1.0 - part) * (1.0 - STAGE_WEIGHT) ** (in_stage + (toward >= 1))
        if score < MIN_SCORE:
            continue
        if not entry.source:   # the troubleshooting guide's own problems come before those from other documents
            score = 1.0 - (1.0 - score) * (1.0 - GUIDE_WEIGHT)
        scored.append((fit, score, entry_id))
    if not scored:
        return []
    scored.sort(key=lambda s: (-s[0], -s[1], -problems[s[2]].prior, s[2]))
    if not either:
        scored = _one_direction(scored, problems, direction, set(evidenced) | set(coded))
    if not scored:
        return []
    if scored[0][0] < 1:
        return []   # no stage, direction or evidence named: however it reads, the message names no area
    # the area named holds its problems, however each is worded: the best fitting level first
    levels = sorted({f for f, _, _ in scored if f >= 1}, reverse=True)
    level = next((x for x in levels if sum(f >= x for f, _, _ in scored) >= MIN_CANDIDATES), levels[-1])
    kept = [(s, i) for f, s, i in scored if f >= level][:MAX_CANDIDATES]
    if len(kept) < MIN_CANDIDATES and stages:   # the stage named holds the other causes, however worded
        kept = [(s, i) for _, s, i in scored[:STAGE_FILL]]
    if len(kept) < MIN_CANDIDATES:
        return []
    chosen = [problems[i] for _, i in kept]
    said: list[str] = []
    for e in chosen:
        said.append(check_against(e, chosen, said))
    return [Candidate(e.id, e.title, _why(e), check, round(score, 3))
            for (score, _), e, check in zip(kept, chosen, said, strict=True)]


def _toward(entry: Entry, direction: Section | None) -> float:
    """How well the problem fits the direction the message names: its own direction 1, a TLS or both-way problem
    half (it fails either way), the other direction 0; what fails both ways is what both directions share."""
    shared = entry.section in (Section.TLS, Section.BIDIRECTIONAL)
    if direction is Section.BIDIRECTIONAL:
        return 1.0 if shared else 0.5
    if direction is None:
        return 0.0
    return 1.0 if entry.section is direction else 0.5 if shared else 0.0


Scored = tuple[float, float, str]   # (fit: how many named areas it belongs to, score, entry id)


def _one_direction(scored: list[Scored], problems: dict[str, Entry], direction: Section | None,
                   evidenced: frozenset[str] | set[str]) -> list[Scored]:
    """The other direction's problems leave the list (both-way and TLS problems stay, and so do problems the
    evidence partly shows). Without a direction in words, the direction whose two best problems fit clearly better
    (by DIRECTION_LEAD) wins; when they fit alike, both directions' problems stay (a bare 404 has both)."""
    if direction is Section.BIDIRECTIONAL:
        return scored
    if direction is None:
        by_section: dict[Section, list[float]] = {Section.INBOUND: [], Section.OUTBOUND: []}
        for _, score, entry_id in scored:
            section = problems[entry_id].section
            if section in by_section:
                by_section[section].append(score)
        inbound, outbound = (sum(by_section[s][:2]) for s in (Section.INBOUND, Section.OUTBOUND))
        if min(inbound, outbound) * DIRECTION_LEAD >= max(inbound, outbound):
            return scored
        direction = Section.INBOUND if inbound > outbound else Section.OUTBOUND
    loser = Section.OUTBOUND if direction is Section.INBOUND else Section.INBOUND
    return [(f, s, i) for f, s, i in scored if problems[i].section is not loser or i in evidenced]


_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z`(])")


_HEADING = re.compile(r"(What|Which|Whether|Where|How|Who)\b[^,;]*\.$")   # "What a capture ... shows." names, not says
MIN_LINE = 60           # a first sentence shorter than this ("Call direction.") is a heading: the next one follows


def _first_sentence(text: str) -> str:
    """The opening sentence (two when the first is a heading), cut at a word near MAX_LINE characters."""
    sentences = _SENTENCE.split(" ".join(text.split()))
    line = sentences[0]
    if (len(line) < MIN_LINE or _HEADING.match(line)) and len(sentences) > 1:
        line = f"{line} {sentences[1]}"
    return line if len(line) <= MAX_LINE else line[: MAX_LINE - 1].rsplit(" ", 1)[0] + "…"


def _why(entry: Entry) -> str:
    return _first_sentence(entry.summary or entry.cause or entry.title)


_EVIDENCE_WORDS = re.compile(r"`|\b(log|capture|tcpdump|wireshark|page|test|xconfiguration|netstat|search history|"
                             r"certificate|dig|nslookup)\b", re.IGNORECASE)


def check_against(entry: Entry, others: list[Entry], said: Sequence[str] = ()) -> str:
    """What separates `entry` from the first other candidate it is documented against (one whose text is not
    already `said` for another candidate), else the first symptom that names a log, page, test or capture."""
    for other in others:
        if other.id == entry.id:
            continue
        # "this entry" in a distinguish text is the entry that holds it
        texts = [d.by.replace("this entry", "this one") for d in entry.distinguish if d.other_id == other.id]
        texts += [d.by.replace("this entry", f"`{other.id}`") for d in other.distinguish if d.other_id == entry.id]
        for text in texts:
            if _first_sentence(text) not in said:
                return _first_sentence(text)
    for symptom in entry.symptoms:
        if _EVIDENCE_WORDS.search(symptom):
            return _first_sentence(symptom)
    return _first_sentence(entry.symptoms[0]) if entry.symptoms else ""


_GENERIC_NON_WEBEX = "nothing of Webex in it"   # the entries' shared reason for the non-Webex exclusion


def why_nothing(entries: Iterable[Entry], excluded: Sequence[tuple[str, str]], other_product: Sequence[Fact]) -> str:
    """For a no-match whose evidence looked like a documented problem: the look-alike's reason, from the evidence
    itself (a B2B or MRA port, a traversal zone, a healthy handshake), so the user knows why; else ""."""
    titles = {e.id: e.title for e in entries}
    if excluded:   # the reason that rules out the most look-alikes is the one about this paste
        ruled_out = {i for i, _ in excluded}
        counts: dict[str, int] = {}
        for entry_id, reason in excluded:   # a reason pointing to a look-alike that is ruled out too is moot
            if not any(other in reason for other in ruled_out - {entry_id}):
                counts[reason] = counts.get(reason, 0) + 1
        counts = counts or {r: 1 for _, r in excluded}
        reason = max(counts, key=lambda r: counts[r])
        title = titles.get(next(i for i, r in excluded if r == reason), "")
        if other_product and _GENERIC_NON_WEBEX in reason:   # what the paste shows (the program, the port) is the why
            reason = f"{other_product[0].note}; the same error strings have other causes outside Webex Hybrid Call"
        if title:
            return f"It looks like “{title}”, but not here: {reason.rstrip('. ')}."
    if other_product:
        return (f"This does not look like Webex Hybrid Call: {other_product[0].note}. The same error strings have "
                "other causes in B2B, MRA and PSTN calls.")
    return ""
