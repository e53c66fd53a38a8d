"""Look-alike entries that fit the same evidence: say so, lower what only shared evidence supports, and name what
separates them (each entry's `distinguish` text).

- `drop_similarity_between_lookalikes`: question similarity never decides between look-alikes.
- `mark_ambiguity`: answers within AMBIGUITY_MARGIN, or a look-alike below the bar resting on the same lines.
- `name_lookalikes`: an answer resting only on evidence the knowledge base marks `shared_with` look-alikes (a Control
  Hub socket failure, a bare "certificate unknown") is at most "possible" and names them.
"""
from __future__ import annotations

from collections.abc import Iterable

from .model import Diagnosis, Entry, Evidence, Signal, SignalKind
from .phrases import phrase_words
from .triage import check_against

AMBIGUITY_MARGIN = 0.06
SHARED_CAP = 0.65       # an answer resting only on evidence its look-alikes share is at most "possible"
DECIDING_WEIGHT = 0.1   # a signal lighter than this is a gate ("is a question"), not evidence


def drop_similarity_between_lookalikes(diagnoses: list[Diagnosis], without_similarity: dict[str, float]) -> None:
    """Look-alike entries are told apart by their own signals, never by question similarity."""
    reported = {d.entry.id for d in diagnoses}
    for d in diagnoses:
        base = without_similarity.get(d.entry.id)
        if base is not None and any(x.other_id in reported for x in d.entry.distinguish):
            d.confidence = base
            d.evidence = [e for e in d.evidence if e.kind != "similarity"]


def _evidence_lines(d: Diagnosis) -> set[int]:
    return {e.line for e in d.evidence if e.line is not None}


def mark_ambiguity(diagnoses: list[Diagnosis], unreported: list[Diagnosis]) -> None:
    """Where look-alike entries fit the evidence alike, say so and say which evidence would decide.

    Alike means scores within AMBIGUITY_MARGIN, or a look-alike below the bar that rests on every line
    the reported diagnosis rests on (a bare shared error line fits all of them; extra evidence does not).
    """
    for d in diagnoses:
        lines = _evidence_lines(d)
        for other in unreported:
            for x in d.entry.distinguish:
                if x.other_id == other.entry.id and lines and lines <= _evidence_lines(other):
                    d.ambiguous_with.append((other.entry.id, x.by))
    for i, first in enumerate(diagnoses):
        for second in diagnoses[i + 1:]:
            if first.confidence - second.confidence > AMBIGUITY_MARGIN:
                continue
            for a, b in ((first, second), (second, first)):
                for x in a.entry.distinguish:
                    if x.other_id == b.entry.id:
                        first.ambiguous_with.append((second.entry.id, x.by))
                        second.ambiguous_with.append((first.entry.id, x.by))
                        break
                else:
                    continue
                break


def shared_only(d: Diagnosis) -> tuple[str, ...]:
    """The look-alikes a diagnosis's evidence fits as well, when every line it rests on is evidence the knowledge
    base marks as shared with them (`shared_with`: a Control Hub socket failure, a bare "certificate unknown");
    else (). Such an answer is a differential, not a guess: what separates them is their `distinguish` text."""
    shared_lines: set[int | None] = set()
    shared_words: set[str] = set()   # the words of the shared evidence as the knowledge base writes it
    deciding: list[tuple[Evidence, Signal]] = []
    alike: set[str] = set()
    for ev in d.evidence:
        sig = d.entry.signals.get(ev.signal)
        if sig is None or sig.weight < DECIDING_WEIGHT:
            continue   # similarity and gates decide nothing here
        if sig.shared_with:
            shared_lines.add(ev.line)
            shared_words.update(phrase_words(" ".join((*sig.literals, sig.pattern_text))))
            alike.update(sig.shared_with)
        else:
            deciding.append((ev, sig))
    if not alike:
        return ()
    for ev, sig in deciding:
        if sig.kind is SignalKind.PHRASE:   # the writer's words decide, unless they only echo the shared line
            if not set(phrase_words(ev.values.get("phrase", ""))) <= shared_words:
                return ()
        elif ev.line not in shared_lines:
            return ()
    return tuple(sorted(alike))


def name_lookalikes(entries: Iterable[Entry], diagnoses: list[Diagnosis]) -> bool:
    """Diagnoses resting only on shared evidence are capped at SHARED_CAP ("possible") and name each look-alike
    with what separates them. Returns whether any confidence changed (the caller re-sorts)."""
    by_id = {e.id: e for e in entries}
    changed = False
    for d in diagnoses:
        alike = [i for i in shared_only(d) if i in by_id]
        if not alike:
            continue
        changed = changed or d.confidence > SHARED_CAP
        d.confidence = min(d.confidence, SHARED_CAP)
        named = {other for other, _ in d.ambiguous_with}
        for other in alike:
            if other not in named:
                d.ambiguous_with.append((other, check_against(by_id[other], [d.entry]) or by_id[other].summary))
    return changed
