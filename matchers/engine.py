"""Score every knowledge-base entry against one input and return ranked diagnoses, or abstain."""
from __future__ import annotations

import threading
from bisect import bisect_left
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .ambiguity import drop_similarity_between_lookalikes, mark_ambiguity, name_lookalikes
from .context import Context
from .document import Document
from .evidence.certificate import expand_pem_blocks
from .evidence.derived import add_extra_facts, non_webex_context
from .evidence.model import Fact
from .evidence.registry import TRIGGER_SKELETONS, extract_facts
from .evidence.text.sip import codes_in_prose
from .exclusions import RULED_BY_WRITER, exclusion, rank_ruled_out_last
from .knowledge_base import KnowledgeBase, load_knowledge_base
from .model import Candidate, Diagnosis, Entry, EntryKind, Evidence, Outcome, Report, SignalKind, Status
from .paste_values import paste_values
from .phrases import STOPWORDS, PhraseIndex, Prose
from .prefilter import Prefilter
from .signals import evaluate, trigger_keys
from .similarity import EXTRA_STOPWORDS, QuestionIndex, sentences
from .statements import is_prose, stated_context
from .triage import (
    alternatives_in_area,
    area_words,
    asks_for_differential,
    differential,
    names_only_an_area,
    names_symptom_area,
    names_the_product,
    undecided,
    why_nothing,
)
from .vocabulary import Vocabulary
from .where_it_fails import HEALTH_FACTS, read_direction, says_calls_work, shows_failure, stages_named, stages_shown

if TYPE_CHECKING:
    from .evidence.intake import EvidencePiece

REPORT_THRESHOLD = 0.5
GATE_WEIGHT = 0.1
SIMILAR_SIGNAL = "similar_question"
SIMILAR_SUPPORT = 0.35   # cosine at which a question supports an entry whose condition holds
SIMILAR_MARGIN = 0.07    # a pure chat question alone is enough when one entry is clearly the closest
SIMILAR_MAX_WEIGHT = 0.7
CLEAR_PREFERENCE = 0.12  # a Chinese question this much closer to one entry's wordings than to any other's decides
PROSE_HEAD = 3000
PROSE_HEAD_BIG_LOG = 500   # a log over 5 MB is a file; the message that came with it is at its head
PROSE_TAIL = 300
QUESTION_WITH_LOG_LINES = 100   # a longer text is a log with chat around it
MAX_DIAGNOSES = 5
_ASKING = ("is_question", "asks_how")   # facts about the message itself, not evidence
class Engine:
    """Holds the knowledge base and its prefilter; `diagnose` is safe to call from many threads."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb if kb is not None else load_knowledge_base()
        keys: list[str] = []
        phrases: list[str] = []
        # which entries a present key (literal skeleton, fact, phrase, SIP code, "xconfig") can make fire
        self._entries_by_key: dict[str, list[Entry]] = {}
        for entry in self.kb:
            if entry.status is Status.DEPRECATED:
                continue   # kept so its id stays known; never reported
            for sig in (*entry.signals.values(), *entry.exclusions.values()):
                keys.extend(sig.skeletons)
                phrases.extend(sig.phrases)
            # a Chinese question that reads closest to this entry's wordings makes it a candidate (_candidates)
            self._entries_by_key[f"similar:{entry.id}"] = [entry]
            for sig in entry.signals.values():
                if sig.weight < GATE_WEIGHT:
                    continue  # a gate (e.g. "is a question") alone never makes an entry worth scoring
                for key in trigger_keys(sig):
                    bucket = self._entries_by_key.setdefault(key, [])
                    if not bucket or bucket[-1] is not entry:
                        bucket.append(entry)
        for group in TRIGGER_SKELETONS.values():
            keys.extend(group)
        for stage in self.kb.stages:
            phrases.extend(stage.words)   # a vague question's stage is read with the same phrase matching
        phrases.extend(p for e in self.kb for p in e.part)   # "the subject name is correct" rules a part out
        self.prefilter = Prefilter(keys)
        self.phrases = PhraseIndex(phrases)
        self.questions = QuestionIndex({e.id: [e.title, e.summary, *e.questions, *e.symptoms, e.zh_title,
                                               *e.zh_questions, *e.zh_symptoms] for e in self.kb
                                        if e.status is not Status.DEPRECATED})
        # a message that tells a cause in words reads like the problem's cause, sentence by sentence
        problems = [e for e in self.kb if e.kind is EntryKind.PROBLEM and e.status is not Status.DEPRECATED]
        self.vocabulary = Vocabulary.of_knowledge_base(self.kb)
        self.area_words = area_words(self.kb.stages)
        self._stage_parts = {s.id for s in self.kb.stages if s.within}
        # a Chinese term read in English says a problem's phrase; a how-to is asked for, in words of its own
        self._problem_phrases = {p for e in self.kb if e.kind is EntryKind.PROBLEM
                                 for sig in e.signals.values() for p in sig.phrases}
        self.told = QuestionIndex({e.id: [e.title, e.summary, *sentences(e.cause), *e.questions, *e.symptoms]
                                   for e in problems})

    # ---------------------------------------------------------------- entry points
    def diagnose(self, text: str, extra_facts: list[Fact] | None = None) -> Report:
        """Diagnose `text`. `extra_facts` come from evidence that is not text (a certificate file, a
        packet capture): their `line` is an index into `text`, which should describe that evidence."""
        if not text or text.isspace():   # isspace stops at the first other character; strip copies
            return Report(outcome=Outcome.EMPTY, diagnoses=[], message="the input is empty")
        text, pem_facts, pem = expand_pem_blocks(text)   # pasted certificates become lines describing them
        doc = Document.from_text(text, self.vocabulary)
        if doc.is_blank:
            return Report(outcome=Outcome.EMPTY, diagnoses=[], message="the input holds no readable text",
                          line_count=len(doc.lines))
        ctx = self._context(doc)
        stated = [f.note for f in ctx.facts.named("non_webex_context") if f.value == "stated"]
        if stated:   # the writer says what the call is: no Hybrid Call problem applies, and the reply says why
            return Report(outcome=Outcome.NO_MATCH, diagnoses=[], line_count=len(doc.lines), message=(
                f"This is not a Webex Hybrid Call Service Connect problem as far as I can tell: {stated[0]}. The "
                "documented Hybrid Call problems do not apply to it."))
        add_extra_facts(ctx.facts, [*pem_facts, *(extra_facts or ())], doc, ["certificate"] if pem else [])
        diagnoses: list[Diagnosis] = []
        also_consistent: list[Diagnosis] = []   # conditions held, confidence below the bar
        for entry in self._candidates(ctx):
            d = self._score(entry, ctx)
            if d is not None:
                (diagnoses if d.confidence >= REPORT_THRESHOLD else also_consistent).append(d)
        if ctx.query and not ctx.chat_only:
            diagnoses, also_consistent = self._support_by_similarity(ctx, diagnoses + also_consistent)
            if not diagnoses and not also_consistent and len(doc.lines) > QUESTION_WITH_LOG_LINES:
                diagnoses = self._question_alone(ctx)
        # look-alikes are told apart by their signals; Chinese has no phrase signals, so its wording decides when it
        # clearly prefers one
        if not (ctx.prose.chinese and ctx.similar_margin >= CLEAR_PREFERENCE):
            drop_similarity_between_lookalikes(diagnoses, ctx.without_similarity)
        ruled_out = rank_ruled_out_last(diagnoses, ctx, also_consistent)
        diagnoses.sort(key=lambda d: (-round(d.confidence, 9), -d.entry.prior, d.entry.id))   # float noise ties
        diagnoses = diagnoses[:MAX_DIAGNOSES]
        mark_ambiguity(diagnoses, also_consistent)
        kinds = set(ctx.facts.kinds)
        if ctx.prose.lines:
            kinds.add("question" if ctx.prose.is_question else "prose")
        if name_lookalikes(self.kb, diagnoses):   # evidence the guide says fits look-alikes too: say so, lower it
            diagnoses.sort(key=lambda d: (-round(d.confidence, 9), -d.entry.prior, d.entry.id))
        if undecided(diagnoses, ruled_out):   # two weak answers that tie: say what would decide, do not guess
            ctx.tied = {d.entry.id: d.confidence for d in diagnoses}
            diagnoses = []
        candidates = [] if diagnoses else self._triage(ctx)
        # a translated Chinese question is read in part only, so its words cannot be said to name only an area
        area_only = bool(diagnoses) and not ctx.prose.chinese and names_only_an_area(
            diagnoses[0], ctx.said_lines(), ctx.prose.tokens, self.area_words)
        asked = asks_for_differential(diagnoses, ctx.prose.asks_causes, ctx.said_lines())
        if asked or area_only:   # asked for the possible causes, or said only where it fails, nothing pasted decides
            ctx.tied = {d.entry.id: d.confidence for d in diagnoses if d.entry.kind is EntryKind.PROBLEM}
            candidates = self._triage(ctx)
            if not asked and not alternatives_in_area(diagnoses[0].entry, candidates, self.kb):
                candidates = []
            diagnoses = [] if candidates else diagnoses
        return Report(
            outcome=Outcome.MATCH if diagnoses else Outcome.TRIAGE if candidates else Outcome.NO_MATCH,
            diagnoses=diagnoses, line_count=len(doc.lines), evidence_kinds=tuple(sorted(kinds)),
            candidates=candidates, message="" if diagnoses or candidates else why_nothing(
                self.kb, ctx.excluded, ctx.facts.named("non_webex_context")),
            values=paste_values(doc.lines, _anchor_indexes(doc, diagnoses[:2], ctx)) if diagnoses else {},
        )

    def _triage(self, ctx: Context) -> list[Candidate]:
        """No entry decided: the problems the message reads like, or whose signals partly fired, when they
        are few (matchers/triage.py). Evidence of another product (B2B, MRA) gets no differential."""
        looks_alike = [i for i, reason in ctx.excluded if not reason.startswith(RULED_BY_WRITER)]
        if looks_alike or ctx.facts.named("non_webex_context"):
            return []   # the evidence itself says which look-alike it is: that reason is the answer
        if not (ctx.pasted() or ctx.facts.kinds or ctx.prose.chinese or names_the_product(ctx.prose.tokens)):
            return []   # words about TLS or SIP in general (a Teams SBC, a SIP trunk) are no Hybrid Call area
        words = ctx.query or {t for t in ctx.prose.tokens if t not in STOPWORDS and t not in EXTRA_STOPWORDS}
        told = " ".join(text for _, text in ctx.prose.lines)
        direction, either = read_direction(told)   # "from the webex app to desk phones" names an area by itself
        on_topic = direction is not None or names_symptom_area(words, self.questions.idf.keys(), bool(ctx.sip_codes))
        similar = {k: v[0] for k, v in self.questions.best(words).items()} if on_topic else {}
        partial: dict[str, float] = {}
        evidenced: set[str] = set(ctx.tied)   # entries the pasted evidence (not only its words) partly shows
        failing: set[str] = set()             # ... on a line that shows something failing
        said = ctx.said_lines()
        for entry in self._candidates(ctx):
            miss = 1.0
            for name, found in _SignalsOf(entry, ctx).all_fired().items():
                miss *= 1.0 - entry.signals[name].weight
                sig = entry.signals[name]
                pasted = [e for e in found if e.line not in said]
                if sig.kind is not SignalKind.PHRASE and sig.fact not in _ASKING and pasted:
                    evidenced.add(entry.id)   # pasted evidence, not only the message's words
                    if any(shows_failure(e.quote) for e in pasted):
                        failing.add(entry.id)
            if miss < 1.0:
                partial[entry.id] = 1.0 - miss
        healthy = not failing and bool(ctx.facts.kinds) and says_calls_work(told)   # "all good I think?" + a log
        if healthy or not (ctx.prose.lines or ctx.facts.kinds or failing):
            return []   # lines that show nothing failing (a healthy log, a setting) ask for no differential
        for entry_id, confidence in ctx.tied.items():
            partial[entry_id] = max(partial.get(entry_id, 0.0), confidence)
        named = stages_named(self.kb.stages, ctx.prose.matched, told, ctx.prose.works) if on_topic else set()
        if not (named or says_calls_work(told) or any(ctx.facts.named(f) for f in HEALTH_FACTS)):
            named = stages_shown(self.kb, failing)   # failing evidence names where it fails
        codes = {code for code, _ in ctx.sip_codes}   # a SIP code named: the problems documented with it fit
        coded = {e.id for e in self.kb if codes.intersection(e.related.get("sip", ()))}
        return differential(self.kb, similar, partial, {entry_id for entry_id, _ in ctx.excluded}, direction,
                            evidenced, named, named & self._stage_parts, coded,
                            either=either)

    def diagnose_pieces(self, pieces: Sequence[EvidencePiece], name_single_file: bool = True) -> Report:
        """One diagnosis over several pieces of evidence (a message and its files), with evidence line numbers
        relabelled per piece (see `intake.Combined.relabel`)."""
        from .evidence.intake import combine

        combined, facts = combine(pieces)
        if not combined.names:
            return Report(outcome=Outcome.EMPTY, diagnoses=[], message="the input is empty")
        return combined.relabel(self.diagnose(combined.text, extra_facts=facts), name_single_file)

    def _question_alone(self, ctx: Context) -> list[Diagnosis]:
        """A question asked with a long log that decides nothing (a healthy stretch, another box's log) is read
        as if asked on its own. A short paste's evidence belongs with its question, and its silence stands."""
        ctx.chat_only = True
        _rank_similarity(ctx, self.questions.best(ctx.query))
        found = [d for d in map(lambda e: self._score(e, ctx), self._candidates(ctx)) if d is not None]
        return [d for d in found if d.confidence >= REPORT_THRESHOLD]

    def _support_by_similarity(self, ctx: Context, held: list[Diagnosis]) -> tuple[list[Diagnosis], list[Diagnosis]]:
        """Evidence plus a question: the question supports the entry, among those whose condition held, that
        it reads most like. Only those entries are compared, so the cost stays with what is in play."""
        prepared = self.questions.prepare(ctx.query)
        _rank_similarity(ctx, {d.entry.id: self.questions.score_entry(d.entry.id, prepared) for d in held})
        similarity, closest = ctx.similar.get(ctx.similar_best, (0.0, ""))
        for d in held:
            if d.entry.id == ctx.similar_best and similarity >= SIMILAR_SUPPORT:
                weight = min(SIMILAR_MAX_WEIGHT, similarity + 0.2)
                ctx.without_similarity[d.entry.id] = d.confidence
                d.confidence = min(0.99, 1.0 - (1.0 - d.confidence) * (1.0 - weight))
                d.evidence.append(Evidence(SIMILAR_SIGNAL, "similarity", None, closest,
                                           {"similarity": f"{similarity:.2f}"}))
        return ([d for d in held if d.confidence >= REPORT_THRESHOLD],
                [d for d in held if d.confidence < REPORT_THRESHOLD])

    # ---------------------------------------------------------------- evaluation
    def _candidates(self, ctx: Context) -> list[Entry]:
        """Entries with at least one signal that can fire on what this input holds, in KB order."""
        present: list[str] = list(ctx.hits)
        present.extend({f.name for f in ctx.facts.facts})
        present.extend({f"{f.name}={f.value.lower()}" for f in ctx.facts.facts if f.value})
        present.extend(ctx.prose.matched)
        present.extend(f"sip:{code}" for code, _ in ctx.sip_codes)
        present.extend({"xconfig:" + key for s in ctx.facts.settings for key in s.tail_keys()})
        # Chinese has no phrase signals: a Chinese question's closest wordings are what make entries candidates
        chinese = ctx.prose.chinese and names_symptom_area(ctx.query, self.questions.idf.keys(), bool(ctx.sip_codes))
        if chinese:
            present.extend(f"similar:{entry_id}" for entry_id, (score, _) in ctx.similar.items()
                           if score >= SIMILAR_SUPPORT)
        chosen: dict[str, Entry] = {}
        for key in present:
            for entry in self._entries_by_key.get(key, ()):
                chosen.setdefault(entry.id, entry)
        order = {entry_id: i for i, entry_id in enumerate(self.kb.entries)}
        return sorted(chosen.values(), key=lambda e: order[e.id])

    def _context(self, doc: Document) -> Context:
        hits = self.prefilter.scan(doc)
        group_hits: dict[str, list[int]] = {}
        for group, keys in TRIGGER_SKELETONS.items():
            lines: set[int] = set()
            for key in keys:
                lines.update(hits.get(key, ()))
            if lines:
                group_hits[group] = sorted(lines)
        facts = extract_facts(doc, group_hits)
        # chat text sits at the start or the end of a paste; a long log in between is not read for it
        n = len(doc.lines)
        head = PROSE_HEAD if doc.chunked is None else PROSE_HEAD_BIG_LOG
        if n <= head + PROSE_TAIL:
            window = list(enumerate(doc.lines))
        else:
            window = [*enumerate(doc.lines[:head]), *enumerate(doc.lines[n - PROSE_TAIL:], n - PROSE_TAIL)]
        prose_lines = [(i, line) for i, line in window if is_prose(line)]
        prose = Prose.from_lines([line for _, line in prose_lines], [i for i, _ in prose_lines], self.phrases)
        for phrase in prose.translated - self._problem_phrases if not prose.asks_how else ():
            del prose.matched[phrase]   # a how-to's terms in a Chinese question answer it when it asks how
        other = non_webex_context(doc, group_hits, prose.tokens)
        stated = stated_context(text for _, text in prose.lines)
        if stated and not set(group_hits.get("webex_marker", ())) - {i for i, _ in prose_lines}:
            other = Fact("non_webex_context", "stated", None, note=stated)   # no Webex in the pasted evidence
        if other is not None:
            facts.add(other)
        if prose.asks_how:
            facts.add(Fact("asks_how", "", None, note="the message asks how to do something"))
        if prose.is_question:
            facts.add(Fact("is_question", "", None, note="the message asks a question"))
        sip_codes = list(facts.sip_codes)
        for index, text in prose.lines:
            sip_codes.extend((code, index) for code in codes_in_prose(text))
        ctx = Context(doc=doc, hits=hits, facts=facts, prose=prose, sip_codes=sip_codes)
        told = not facts.kinds and len(prose_lines) == sum(1 for _, line in window if line.strip())
        if prose.is_question or told:   # a message all in words that tells a cause is asked too
            ctx.query = {t for t in prose.tokens if t not in STOPWORDS and t not in EXTRA_STOPWORDS}
            ctx.chat_only = not facts.kinds
            if ctx.chat_only:  # a short chat question: compare it with every entry's listed questions
                # told, not asked: what it tells is a problem, not a how-to
                _rank_similarity(ctx, (self.questions if prose.is_question else self.told).best(ctx.query))
        return ctx

    def _score(self, entry: Entry, ctx: Context) -> Diagnosis | None:
        signals = _SignalsOf(entry, ctx)
        holds = entry.condition is not None and entry.condition.evaluate(signals)
        similarity, closest = ctx.similar.get(entry.id, (0.0, ""))
        # only the entry whose listed questions come closest gets this signal: close look-alikes (inbound
        # vs outbound call flow) share words, and similarity must not decide between them
        closest_entry = entry.id == ctx.similar_best
        alone = ctx.chat_only and closest_entry and ctx.similar_margin >= SIMILAR_MARGIN
        if not holds and not (alone and similarity >= SIMILAR_SUPPORT):
            return None   # most candidates stop here, having evaluated only what their condition asked
        fired = signals.all_fired()
        excluded = exclusion(entry, ctx, fired)
        if excluded is not None:
            if entry.kind is EntryKind.PROBLEM:   # a look-alike's reason; a how-to's ("a SIP error is known") is not
                ctx.excluded.append((entry.id, excluded))
            return None
        holds = holds and bool(fired)
        weights = {name: entry.signals[name].weight for name in fired}
        if similarity >= SIMILAR_SUPPORT and closest_entry and (holds or alone):
            # the question reads like one this entry lists: support, or on its own for pure chat
            fired[SIMILAR_SIGNAL] = [Evidence(SIMILAR_SIGNAL, "similarity", None, closest,
                                              {"similarity": f"{similarity:.2f}"})]
            weights[SIMILAR_SIGNAL] = min(SIMILAR_MAX_WEIGHT, similarity + 0.2)
            holds = True
        if not holds:
            return None
        miss = 1.0
        for name in fired:
            miss *= 1.0 - weights[name]
        confidence = min(0.99, 1.0 - miss + entry.prior)
        if SIMILAR_SIGNAL in weights and len(weights) > 1:
            without = 1.0 - (1.0 - confidence) / max(1e-9, 1.0 - weights[SIMILAR_SIGNAL])
            ctx.without_similarity[entry.id] = min(0.99, without)
        evidence = [e for name in sorted(fired, key=lambda n: -weights[n]) for e in fired[name]]
        return Diagnosis(entry=entry, confidence=confidence, evidence=evidence)


class _SignalsOf:
    """One entry's signals, each evaluated the first time the condition asks whether it fired."""

    def __init__(self, entry: Entry, ctx: Context) -> None:
        self.entry = entry
        self.ctx = ctx
        self.evidence: dict[str, list[Evidence]] = {}

    def _evidence(self, name: str) -> list[Evidence]:
        ev = self.evidence.get(name)
        if ev is None:
            sig = self.entry.signals.get(name)
            ev = self.evidence[name] = evaluate(sig, self.ctx) if sig is not None else []
        return ev

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and bool(self._evidence(name))

    def all_fired(self) -> dict[str, list[Evidence]]:
        """Every signal that fired, in the entry's order."""
        return {name: ev for name in self.entry.signals if (ev := self._evidence(name))}


def _rank_similarity(ctx: Context, similar: dict[str, tuple[float, str]]) -> None:
    ctx.similar = {k: v for k, v in similar.items() if v[0] > 0}
    ranked = sorted(ctx.similar.items(), key=lambda kv: -kv[1][0])
    if ranked:
        ctx.similar_best = ranked[0][0]
        ctx.similar_margin = ranked[0][1][0] - (ranked[1][1][0] if len(ranked) > 1 else 0.0)


def _anchor_indexes(doc: Document, diagnoses: list[Diagnosis], ctx: Context) -> list[int]:
    """Document line indexes of the evidence the answers rest on, and of the chat lines."""
    numbers = {e.line for d in diagnoses for e in d.evidence if e.line is not None}
    indexes = [i for i, _ in ctx.prose.lines]
    if doc.numbers is None:
        return indexes + [n - 1 for n in sorted(numbers)]
    return indexes + [bisect_left(doc.numbers, n) for n in sorted(numbers)]


_DEFAULT: list[Engine] = []
_DEFAULT_LOCK = threading.Lock()


def default_engine() -> Engine:
    """One engine per process with the shipped knowledge base (diagnose is thread-safe; construction is locked,
    so threads starting together build it once)."""
    with _DEFAULT_LOCK:
        if not _DEFAULT:
            _DEFAULT.append(Engine())
        return _DEFAULT[0]


def diagnose(text: str) -> Report:
    """Diagnose `text` with the knowledge base shipped in `knowledge/`."""
    return default_engine().diagnose(text)
