"""The answer as one Adaptive Card: what a chat user wants first is visible (the verdict, its confidence, the
decisive evidence, the first steps), the rest is one toggle away (the cause, every step, the verification, the
references, what was read from the files), and the buttons act on it (👍 / 👎, a look-alike in full).

A triage card lists the problems that fit, each with a button that posts it in full in the thread. Texts are cut
to their share of the card and, if the card still passes MAX_CARD_BYTES, the optional parts go first.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matchers import Diagnosis, Report

from ...render.markdown import (
    ShownEvidence,
    confidence_words,
    diagnosis_steps,
    heading_label,
    references_markdown,
    shown_evidence,
)
from ...render.steps import items as step_items
from .actions import explain_data, vote_data
from .elements import (
    MAX_ACTIONS,
    MAX_CARD_BYTES,
    Element,
    adaptive_card,
    card_bytes,
    card_markdown,
    container,
    cut,
    escape,
    facts,
    heading,
    markdown_blocks,
    submit,
    text,
    toggle,
)

DETAILS_ID, READ_ID = "details", "read"
BUTTON_TITLE_CHARS = 36


@dataclass(frozen=True)
class Budget:
    """Characters each kind of text may take; smaller budgets are tried when the card is too big."""

    quote: int = 320
    step: int = 700
    paragraph: int = 1500
    read: int = 3000


BUDGETS = (Budget(), Budget(240, 400, 700, 1200), Budget(160, 240, 300, 0))


@dataclass(frozen=True)
class Extras:
    """What goes with the report: notes on the input (files skipped, earlier messages read), what was read from
    the files (markdown blocks) and the linked cases and bugs (markdown)."""

    notes: Sequence[str] = ()
    read: Sequence[str] = ()
    links: str = ""


def _evidence(ev: ShownEvidence, budget: Budget) -> Element:
    where = f"{ev.where}: " if ev.where else ""
    if ev.wrote:
        return text(f"you wrote {where}“{escape(cut(ev.quote, budget.quote))}”")
    extra = f"  (found {ev.found}, expected {ev.expected})" if ev.expected is not None else ""
    return text(escape(cut(f"{where}{ev.quote}{extra}", budget.quote)), mono=True, size="Small")


def _steps(lines: Sequence[str], budget: Budget) -> list[Element]:
    return [text(cut(card_markdown(line), budget.step)) for line in lines]


def _details(d: Diagnosis, budget: Budget, values: Mapping[str, str]) -> tuple[list[Element], str]:
    """The hidden part of a diagnosis and the title of the button that shows it."""
    e = d.entry
    items: list[Element] = []
    shown: list[str] = []
    rest = diagnosis_steps(d, values)[1]
    if rest:
        count = len(step_items(rest))
        items += [heading("More steps"), *_steps(rest, budget)]
        shown.append(f"{count} more step{'s' if count > 1 else ''}")
    if e.cause:
        items += [heading("Cause"), text(cut(card_markdown(e.cause), budget.paragraph))]
        shown.insert(0, "cause")
    if e.verify:
        items += [heading("Verify"), *[text(cut(card_markdown(f"- {v}"), budget.step)) for v in e.verify]]
        shown.append("verify")
    refs = references_markdown(e)
    if refs:
        items += [heading("References"), text(cut(card_markdown(refs), budget.paragraph))]
        shown.append("references")
    title = "Show " + ", ".join(shown) if shown else ""
    return items, cut(title, 60)


def _diagnosis_card(report: Report, diagnosis_id: str, extras: Extras, budget: Budget) -> Element:
    top, others = report.diagnoses[0], report.diagnoses[1:]
    e = top.entry
    body: list[Element] = [
        text(heading_label(e, 1, len(report.diagnoses)), size="Small", subtle=True),
        text(escape(e.title), weight="Bolder", size="Medium"),
        facts([("Confidence", confidence_words(top.confidence)), ("Entry", e.id)]),
        text(cut(card_markdown(e.summary), budget.paragraph)),
    ]
    if extras.notes:
        body.append(text(cut(card_markdown(" ".join(extras.notes)), budget.paragraph), size="Small", subtle=True))
    evidence = shown_evidence(top) if e.kind == "problem" and top.evidence else []
    if evidence:
        body += [heading("Evidence matched"), *[_evidence(ev, budget) for ev in evidence]]
    for other, by in top.ambiguous_with:   # honest first: what else fits this evidence, and what separates them
        body.append(text(cut(card_markdown(f"**This evidence fits `{other}` as well.** What tells them apart: {by}"),
                             budget.paragraph)))
    first = diagnosis_steps(top, report.values)[0]
    if first:
        body += [heading("Resolution" if e.kind == "problem" else "Steps"), *_steps(first, budget)]
    details, details_title = _details(top, budget, report.values)
    actions: list[Element] = []
    if details:
        body.append(container(details, element_id=DETAILS_ID, hidden=True))
        actions.append(toggle(details_title, [DETAILS_ID]))
    read = [b for md in extras.read for b in markdown_blocks(md, budget.read // max(1, len(extras.read)))]
    if read:
        body.append(container([heading("What I read from the files"), *read], element_id=READ_ID, hidden=True))
        actions.append(toggle("Show what I read from the files", [READ_ID]))
    if others:
        body += [heading("Also possible"),
                 *[text(f"{escape(d.entry.title)} · {confidence_words(d.confidence)} · {d.entry.id}") for d in others]]
    room = MAX_ACTIONS - len(actions) - 2   # the votes always fit
    actions += [submit(f"About: {cut(d.entry.title, BUTTON_TITLE_CHARS)}", explain_data(diagnosis_id, d.entry.id))
                for d in others[:max(0, room)]]
    if extras.links:
        body.append(text(card_markdown(extras.links), spacing="Medium"))
    body.append(text("Did this diagnosis solve it?", spacing="Medium"))
    actions += [submit("👍 Yes", vote_data(diagnosis_id, e.id, "up")),
                submit("👎 No", vote_data(diagnosis_id, e.id, "down"))]
    return adaptive_card(body, actions)


def _triage_card(report: Report, diagnosis_id: str, extras: Extras, budget: Budget) -> Element:
    body: list[Element] = [
        text("Several documented problems fit", size="Small", subtle=True),
        text("This fits more than one documented problem, and nothing here decides between them yet. "
             "Most likely first:", weight="Bolder"),
    ]
    if extras.notes:
        body.append(text(cut(card_markdown(" ".join(extras.notes)), budget.paragraph), size="Small", subtle=True))
    shown = report.candidates[:MAX_ACTIONS - 1]   # a button each, and 👎 for none of them
    for i, c in enumerate(shown, 1):
        items = [text(f"{i}. **{escape(c.title)}** · {c.id}"), text(cut(card_markdown(c.why), budget.step))]
        if c.check:
            items.append(text(cut(card_markdown(f"_To confirm:_ {c.check}"), budget.step), subtle=True))
        body.append(container(items, separator=i > 1))
    body.append(text("Send the evidence named above (paste it here or attach the log, capture or screenshot) and "
                     "I will tell which it is. A button below posts a problem in full.", spacing="Medium"))
    if extras.links:
        body.append(text(card_markdown(extras.links)))
    actions = [submit(f"{i}. {cut(c.title, BUTTON_TITLE_CHARS)}", explain_data(diagnosis_id, c.id))
               for i, c in enumerate(shown, 1)]
    actions.append(submit("👎 None of these", vote_data(diagnosis_id, "", "down")))
    return adaptive_card(body, actions)


def answer_card(report: Report, diagnosis_id: str, extras: Extras = Extras()) -> Element | None:
    """The card for a report with a diagnosis or a triage; None for anything else (a no-match is plain text)."""
    if report.diagnoses:
        build = _diagnosis_card
    elif report.candidates:
        build = _triage_card
    else:
        return None
    card = build(report, diagnosis_id, extras, BUDGETS[0])
    for budget in BUDGETS[1:]:
        if card_bytes(card) <= MAX_CARD_BYTES:
            break
        card = build(report, diagnosis_id, extras, budget)
    if card_bytes(card) > MAX_CARD_BYTES:   # nothing left to cut but what was read and the links
        card = build(report, diagnosis_id, Extras(notes=[cut(" ".join(extras.notes), 300)]), BUDGETS[-1])
    return card
