"""What the bot answers, independent of how the message arrived (Webex webhook or the local page).

`Responder.respond(incoming)` turns one message (text with the mention stripped, downloaded files) into the
reply: a diagnosis or a triage is one Adaptive Card holding the answer, posted with a short markdown fallback;
anything else is markdown parts no bigger than a Webex message. It records the diagnosis (against the TAC cases
the message or its thread mention), answers the commands and the cards' buttons (`card_action`).
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from matchers import Engine, EvidencePiece, Limits, Outcome, Report, read_evidence
from matchers.evidence.intake import MESSAGE, SUPPORTED_HELP, ArchiveRead

from ..ocr import image_to_text
from ..render import markdown as render
from ..render.calls import CallView, call_line, call_views, drawn, ladder_png, picture_name
from ..render.evidence import evidence_markdown
from ..render.fallback import diagnosis_fallback, triage_fallback
from .card_actions import ActionReply, CardActions
from .cards import Extras, answer_card
from .cases import Linker, find_bugs, find_cases
from .commands import Command, help_text, parse
from .config import Config
from .storage import NewDiagnosis, Storage
from .thread_memory import earlier, earlier_pieces, remembered

log = logging.getLogger(__name__)

MAX_KEPT_EVIDENCE = 2 * 1024 * 1024  # characters of evidence kept (encrypted) for case history

EMPTY_PROMPT = ("Paste the evidence (logs, `xConfiguration`, SIP messages) or attach the diagnostic log bundle, "
                "or ask a question such as \"calls from Webex to our desk phones never ring\". Type `help` for more.")


# a greeting or a thank-you on its own is not evidence: it gets a word back, not "no documented problem"
_SOCIAL = re.compile(r"(?i)(hi|hello|hey|hiya|good (morning|afternoon|evening)|thanks?( you)?( so much)?|thx|ty|"
                     r"cheers|ok(ay)?|great|perfect|你好|您好|谢谢|多谢)( (all|team|bot|there|everyone))?[ !.,:)]*")
GREETING_REPLY = ("Hello! Paste what you have from a failing Hybrid Call (an Expressway log, a SIP message, "
                  "`xConfiguration` lines, a Control Hub test result, a capture or a screenshot), or ask in words "
                  "(\"calls from Webex to our desk phones never ring\"). `help` lists what I read and the commands.")
THANKS_REPLY = "You're welcome. Paste the next log or question whenever you need."


def _code(name: str) -> str:
    return "`" + name.replace("`", "'") + "`"


def _archive_note(seen: ArchiveRead) -> str:
    """What was read from an archive and what was skipped, when that is more than its one file."""
    if len(seen.read) <= 1 and not seen.skipped:
        return ""
    read = ", ".join(_code(name) for name in seen.read[:8])
    more = f" and {len(seen.read) - 8} more" if len(seen.read) > 8 else ""
    what = f"{seen.texts} text file(s)" + (f" and {seen.captures} packet capture(s)" if seen.captures else "")
    note = f"Read {what} from {_code(seen.name)}: {read}{more}."
    if seen.skipped:
        listed = "; ".join(f"{_code(n)} ({why})" for n, why in seen.skipped[:5])
        extra = f" and {len(seen.skipped) - 5} more" if len(seen.skipped) > 5 else ""
        note += f" Skipped {listed}{extra}."
    return note


@dataclass
class Attachment:
    name: str
    data: bytes = field(repr=False)


@dataclass
class Incoming:
    message_id: str
    room_id: str
    room_type: str                 # direct | group | local
    thread_id: str                 # the thread's root message id (replies go there)
    person_id: str
    text: str                      # mention already stripped
    attachments: list[Attachment] = field(default_factory=list)
    attachment_errors: list[str] = field(default_factory=list)   # files that could not be fetched, said why
    thread_text: str = ""          # text of the thread's root, when it could be read (case numbers)


@dataclass
class Outgoing:
    parts: list[str]
    card: dict[str, Any] | None = None     # posted with parts[0], which is then its fallback text
    diagnosis_id: str | None = None
    report: Report | None = None
    pictures: list[tuple[str, bytes]] = field(default_factory=list)   # (file name, PNG): the failing calls
    calls: list[CallView] = field(default_factory=list)               # every call in the evidence


MAX_LISTED_CALLS = 40


def calls_markdown(views: Sequence[CallView]) -> str:
    """The `calls` reply: one line per call, failing calls marked."""
    failing = sum(v.call.failed for v in views)
    out = [f"**Calls in the last evidence of this thread:** {len(views)}, {failing} failing"]
    for view in views[:MAX_LISTED_CALLS]:
        out.append(("- ❌ failed " if view.call.failed else "- ") + "`" + call_line(view).replace("`", "'") + "`")
    if len(views) > MAX_LISTED_CALLS:
        out.append(f"- … and {len(views) - MAX_LISTED_CALLS} more")
    return "\n".join(out)


class Responder:
    def __init__(self, engine: Engine, storage: Storage, config: Config,
                 room_title: Callable[[str], str | None] | None = None) -> None:
        self.engine = engine
        self.storage = storage
        self.config = config
        self.linker = Linker(config.case_url_template, config.bug_url_template)
        self.limits = Limits(max_file_bytes=config.max_file_bytes, max_unpacked_bytes=config.max_unpacked_bytes)
        self.room_title = room_title or (lambda room_id: None)
        self.actions = CardActions(storage, lambda entry_id: render.split_message(self.explain(entry_id)))

    # ------------------------------------------------------------ entry point
    def respond(self, incoming: Incoming, existing_diagnosis_id: str | None = None) -> Outgoing:
        command = parse(incoming.text) if not incoming.attachments else None
        if command is not None:
            return Outgoing(parts=render.split_message(self.command(command, incoming)))
        if not incoming.attachments and _SOCIAL.fullmatch(incoming.text.strip()):
            thanks = incoming.text.strip().lower().startswith(("thank", "thx", "ty", "cheers", "谢"))
            return Outgoing(parts=[THANKS_REPLY if thanks else GREETING_REPLY])
        return self.diagnose(incoming, existing_diagnosis_id)

    # ------------------------------------------------------------ commands
    def command(self, command: Command, incoming: Incoming) -> str:
        handlers: dict[str, Callable[[Command, Incoming], str]] = {
            "help": lambda c, i: help_text(SUPPORTED_HELP[len("I read "):].rstrip(".")),
            "topics": lambda c, i: self.topics(),
            "explain": lambda c, i: self.explain(c.arg),
            "case": self.case,
            "calls": self.calls,
        }
        return handlers[command.name](command, incoming)

    def case(self, command: Command, incoming: Incoming) -> str:
        if command.arg == "invalid":
            return ("TAC case numbers have nine digits, for example `case 694123456`. I record a diagnosis against "
                    "a case when its number appears in the message or earlier in the thread.")
        return self.case_history(command.arg, incoming)

    def calls(self, command: Command, incoming: Incoming) -> str:
        listing = self.storage.thread_calls(incoming.room_id, incoming.thread_id)
        if listing is None:
            return ("I have no calls for this thread yet. Send the Expressway diagnostic log (or the log bundle, a "
                    "packet capture, SIP messages) in this thread, then ask `calls` again.")
        return listing

    def topics(self) -> str:
        kb = self.engine.kb
        out = ["### What I know", "Problems I diagnose, and how-tos I can walk you through "
               "(`explain <id>` shows one in full):"]
        for section in sorted({e.section for e in kb}):
            out += ["", f"**{section}**"]
            for e in sorted((e for e in kb if e.section == section), key=lambda e: e.id):
                out.append(f"- `{e.id}`: {e.title}")
        return "\n".join(out)

    def explain(self, topic: str) -> str:
        text, _ = render.explain_markdown(self.engine.kb, topic)
        return text

    def case_history(self, case: str, incoming: Incoming) -> str:
        records = self.storage.case_history(case)
        hidden = 0
        if self.config.case_history_scope == "asker":
            visible = [r for r in records if r.room_id == incoming.room_id or r.person_id == incoming.person_id]
            hidden = len(records) - len(visible)
            records = visible
        names: dict[str, str] = {}
        for room_id in {r.room_id for r in records}:
            if room_id == incoming.room_id:
                names[room_id] = "this space"
            else:
                title = self.room_title(room_id)
                if title:
                    names[room_id] = title
        return self.linker.history_markdown(case, records, names, hidden)

    # ------------------------------------------------------------ diagnosis
    def diagnose(self, incoming: Incoming, existing_diagnosis_id: str | None = None) -> Outgoing:
        intake = read_evidence(incoming.text, [(a.name, a.data) for a in incoming.attachments], limits=self.limits,
                               image_reader=image_to_text)
        notes = [*incoming.attachment_errors, *intake.errors, *filter(None, map(_archive_note, intake.archives))]
        new = intake.pieces
        if not new:
            body = EMPTY_PROMPT if not notes else "I could not read the attachment: " + " ".join(notes)
            return Outgoing(parts=render.split_message(body))
        stored = self._thread_evidence(incoming)
        before = earlier_pieces(earlier(stored, incoming.message_id))
        pieces = [*before, *new]     # the thread's earlier evidence first, as it was posted
        report = self.engine.diagnose_pieces(pieces)
        if before:
            names = ", ".join(dict.fromkeys(_code(p.name) for p in before))
            notes.append(f"Read together with the evidence posted earlier in this thread ({names}).")
        if incoming.room_type != "local":   # the local page has no threads
            self.storage.set_thread_evidence(incoming.room_id, incoming.thread_id,
                                             remembered(stored, incoming.message_id, new, report))

        cases = find_cases(incoming.text)
        bugs = find_bugs(incoming.text)
        thread_cases = self._thread_cases(incoming)
        all_cases = list(dict.fromkeys([*cases, *thread_cases]))
        diagnosis_id = existing_diagnosis_id
        if diagnosis_id is None and report.outcome in (Outcome.MATCH, Outcome.TRIAGE, Outcome.NO_MATCH):
            diagnosis_id = self._record(incoming, report, new, pieces, all_cases)
        if cases:
            self.storage.add_thread_cases(incoming.room_id, incoming.thread_id, cases)

        read = [md for md in map(evidence_markdown, new) if md]   # certificate checks, capture, OCR text
        links = self.linker.mentions_markdown(all_cases, bugs, recorded=diagnosis_id is not None)
        out = Outgoing(parts=[], diagnosis_id=diagnosis_id, report=report)
        out.card = answer_card(report, diagnosis_id, Extras(notes, read, links)) if diagnosis_id else None
        if out.card is not None:
            fallback = diagnosis_fallback if report.diagnoses else triage_fallback
            out.parts = [fallback(report, notes, links)]
        else:
            body = "\n\n".join([*([" ".join(notes)] if notes else []), *read, render.report_markdown(report)])
            out.parts = render.split_message(body + ("\n\n" + links if links else ""))
        out.calls, out.pictures = self._calls(incoming, new, report)
        return out

    def _calls(self, incoming: Incoming, pieces: Sequence[Any],
               report: Report) -> tuple[list[CallView], list[tuple[str, bytes]]]:
        """Keep the thread's call list (for `calls`) and draw the failing calls; never fails the diagnosis."""
        try:
            views = call_views(pieces, report, files=[(a.name, a.data) for a in incoming.attachments])
            if views:
                self.storage.set_thread_calls(incoming.room_id, incoming.thread_id, calls_markdown(views))
            return views, [(picture_name(v, n), ladder_png(v)) for n, v in enumerate(drawn(views), 1)]
        except Exception:
            log.exception("the call view failed; the diagnosis goes without it")
            return [], []

    def _thread_cases(self, incoming: Incoming) -> list[str]:
        found = find_cases(incoming.thread_text) if incoming.thread_text else []
        if incoming.thread_id and incoming.thread_id != incoming.message_id:
            found += self.storage.thread_cases(incoming.room_id, incoming.thread_id)
        return list(dict.fromkeys(found))

    def _thread_evidence(self, incoming: Incoming) -> list[tuple[str, str, str]]:
        """What the thread kept, for a message in a thread (a root message starts its thread)."""
        if incoming.room_type == "local" or incoming.thread_id == incoming.message_id:
            return []
        return self.storage.thread_evidence(incoming.room_id, incoming.thread_id)

    def _record(self, incoming: Incoming, report: Report, own: Sequence[EvidencePiece],
                diagnosed: Sequence[EvidencePiece], cases: Sequence[str]) -> str:
        pieces = [(p.name, p.text) for p in diagnosed]
        results = [{"id": d.entry.id, "title": d.entry.title, "confidence": round(d.confidence, 4)}
                   for d in report.diagnoses]
        files = any(p.name != MESSAGE for p in own)   # read from this message's files, not its text alone
        source = "message" if not files else ", ".join(dict.fromkeys(a.name for a in incoming.attachments))[:200]
        evidence = None
        if cases:
            evidence = "\n\n".join(f"== {name}\n{text}" for name, text in pieces)[:MAX_KEPT_EVIDENCE]
        return self.storage.record_diagnosis(NewDiagnosis(
            message_id=incoming.message_id, room_id=incoming.room_id, room_type=incoming.room_type,
            thread_id=incoming.thread_id, person_id=incoming.person_id, source=source,
            outcome=str(report.outcome), results=results, evidence=evidence, cases=cases,
            candidates=[{"id": c.id, "title": c.title} for c in report.candidates]))

    # ------------------------------------------------------------ card buttons
    def card_action(self, inputs: Any, person_id: str, room_id: str, action_id: str) -> ActionReply | None:
        """What a pressed button asks for (a vote, a problem in full), checked against the diagnosis it names
        and the room it was pressed in; None when it is not one of ours."""
        return self.actions.handle(inputs, person_id, room_id, action_id)
