"""What the bot answers, independent of how the message arrived (Webex webhook or the local page).

`Responder.respond(incoming)` turns one message (text with the mention stripped, downloaded files) into the
reply: markdown parts no bigger than a Webex message, and the feedback card for the top diagnosis. It records
the diagnosis (against the TAC cases the message or its thread mention) and answers the commands.
"""
from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from matchers import Engine, Outcome, Report

from . import cards, render
from .cases import Linker, find_bugs, find_cases
from .commands import Command, parse
from .config import Config
from .evidence_files import EvidenceError, EvidencePiece, diagnose_pieces, from_text, is_evidence_file, read_evidence
from .files import SUPPORTED_HELP, FileRejected, Limits, check_size, unpack
from .files import kind_of as archive_kind
from .render_evidence import evidence_markdown
from .sources import MESSAGE
from .storage import NewDiagnosis, Storage

log = logging.getLogger(__name__)

MAX_KEPT_EVIDENCE = 2 * 1024 * 1024  # characters of evidence kept (encrypted) for case history

HELP = """### Hybrid Call Service Connect diagnosis
Paste what you have from the failing deployment, or attach it, and I answer in this thread with the documented \
diagnosis, the evidence I matched and the resolution steps:
- Expressway-C/E diagnostic logs, SIP messages, `xConfiguration` output, Unified CM SDL traces;
- Wireshark or tcpdump lines, Control Hub test output, `netstat`/`nslookup`/`dig` output, OCR'd screenshot text;
- certificates (PEM pasted or attached), screenshots (read with OCR) and packet captures on port 5062/5061;
- files: {files}
- or a question in words, such as "why 603 decline".

Commands (the whole message):
- `help`: this text
- `topics`: every problem and how-to I know
- `explain <id>` or `explain <SIP code>`: one entry in full, or the problems a SIP response code appears in
- `case <number>`: what has been diagnosed for a TAC case

Mention a TAC case number (`SR 694123456`) in a message, or earlier in its thread, and I record the diagnosis \
in that case's history. Evidence kept for case history is encrypted at rest."""

EMPTY_PROMPT = ("Paste the evidence (logs, `xConfiguration`, SIP messages) or attach the diagnostic log bundle, "
                "or ask a question such as \"why 603 decline\". Type `help` for more.")


def _code(name: str) -> str:
    return "`" + name.replace("`", "'") + "`"


@dataclass
class Attachment:
    name: str
    data: bytes = field(repr=False)


def _is_evidence(att: Attachment) -> bool:
    """A certificate, screenshot or packet capture (read by bot.evidence_files), not a log or an archive (read by
    bot.files): an archive is recognised first, so a tar whose first bytes look like DER is still unpacked."""
    if archive_kind(att.name, att.data[:512]) in {"gzip", "zip", "tar"}:
        return False
    return is_evidence_file(att.name, att.data)


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
    card: dict[str, Any] | None = None
    card_fallback: str = ""
    diagnosis_id: str | None = None
    report: Report | None = None


class Responder:
    def __init__(self, engine: Engine, storage: Storage, config: Config,
                 room_title: Callable[[str], str | None] | None = None) -> None:
        self.engine = engine
        self.storage = storage
        self.config = config
        self.linker = Linker(config.case_url_template, config.bug_url_template)
        self.limits = Limits(max_file_bytes=config.max_file_bytes, max_unpacked_bytes=config.max_unpacked_bytes)
        self.room_title = room_title or (lambda room_id: None)

    # ------------------------------------------------------------ entry point
    def respond(self, incoming: Incoming, existing_diagnosis_id: str | None = None) -> Outgoing:
        command = parse(incoming.text) if not incoming.attachments else None
        if command is not None:
            return Outgoing(parts=render.split_message(self.command(command, incoming)))
        return self.diagnose(incoming, existing_diagnosis_id)

    # ------------------------------------------------------------ commands
    def command(self, command: Command, incoming: Incoming) -> str:
        if command.name == "help":
            return HELP.format(files=SUPPORTED_HELP[len("I read "):].rstrip("."))
        if command.name == "topics":
            return self.topics()
        if command.name == "explain":
            return self.explain(command.arg)
        if command.arg == "invalid":
            return ("TAC case numbers have nine digits, for example `case 694123456`. I record a diagnosis against "
                    "a case when its number appears in the message or earlier in the thread.")
        return self.case_history(command.arg, incoming)

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
        kb = self.engine.kb
        entry = kb.get(topic)
        if entry is None:
            entry = kb.get(topic.lower())
        if entry is not None:
            return render.entry_markdown(entry)
        if topic.isdigit():
            code = int(topic)
            related = [e for e in kb if code in (e.related.get("sip") or [])]
            if related:
                return "\n".join([f"SIP {code} appears in these documented problems:", ""]
                                 + [f"- `{e.id}`: {e.title}" for e in related])
            return f"SIP {code} is not part of any documented problem."
        return f"I have no topic `{topic.replace('`', '')}`. Type `topics` for the list."

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
        notes: list[str] = list(incoming.attachment_errors)
        pieces = [from_text(MESSAGE, incoming.text)] if incoming.text.strip() else []
        for att in incoming.attachments:
            if _is_evidence(att):
                try:
                    check_size(att.name, att.data, self.limits)
                    pieces.append(read_evidence(att.name, att.data))
                except (FileRejected, EvidenceError) as exc:
                    notes.append(str(exc))
                continue
            pieces.extend(self._unpack(att, notes))
        if not pieces:
            body = EMPTY_PROMPT if not notes else "I could not read the attachment: " + " ".join(notes)
            return Outgoing(parts=render.split_message(body))
        report = diagnose_pieces(self.engine, pieces)

        cases = find_cases(incoming.text)
        bugs = find_bugs(incoming.text)
        thread_cases = self._thread_cases(incoming)
        all_cases = list(dict.fromkeys([*cases, *thread_cases]))
        diagnosis_id = existing_diagnosis_id
        if diagnosis_id is None and report.outcome in (Outcome.MATCH, Outcome.NO_MATCH):
            diagnosis_id = self._record(incoming, report, [(p.name, p.text) for p in pieces], all_cases)
        if cases:
            self.storage.add_thread_cases(incoming.room_id, incoming.thread_id, cases)

        blocks = [" ".join(notes)] if notes else []
        blocks += [md for md in map(evidence_markdown, pieces) if md]   # certificate checks, capture, OCR text
        body = "\n\n".join([*blocks, render.report_markdown(report)])
        links = self.linker.mentions_markdown(all_cases, bugs, recorded=diagnosis_id is not None)
        if links:
            body += "\n\n" + links
        out = Outgoing(parts=render.split_message(body), diagnosis_id=diagnosis_id, report=report)
        if report.diagnoses and diagnosis_id:
            out.card = cards.feedback_card(report.diagnoses[0], diagnosis_id)
            out.card_fallback = cards.card_fallback(report.diagnoses[0])
        return out

    def _unpack(self, att: Attachment, notes: list[str]) -> list[EvidencePiece]:
        """A text file or an archive: its text members, and the packet captures found in it."""
        try:
            unpacked = unpack(att.name, att.data, self.limits)
        except FileRejected as exc:
            notes.append(str(exc))
            return []
        pieces = [from_text(m.name, m.text) for m in unpacked.members]
        skipped = list(unpacked.skipped)
        captures = 0
        for blob in unpacked.captures:
            try:
                piece = read_evidence(blob.name, blob.data)
            except EvidenceError as exc:
                skipped.append((blob.name, str(exc).split(": ", 1)[-1]))
                continue
            piece.name = blob.name            # its path in the archive, as for the text files
            pieces.append(piece)
            captures += 1
        if len(pieces) > 1 or skipped:
            read = ", ".join(_code(p.name) for p in pieces[:8])
            more = f" and {len(pieces) - 8} more" if len(pieces) > 8 else ""
            what = f"{len(unpacked.members)} text file(s)" + (f" and {captures} packet capture(s)" if captures else "")
            note = f"Read {what} from {_code(att.name)}: {read}{more}." if pieces else \
                f"I found no text log or packet capture I can read in {_code(att.name)}."
            if skipped:
                listed = "; ".join(f"{_code(n)} ({why})" for n, why in skipped[:5])
                extra = f" and {len(skipped) - 5} more" if len(skipped) > 5 else ""
                note += f" Skipped {listed}{extra}."
            notes.append(note)
        return pieces

    def _thread_cases(self, incoming: Incoming) -> list[str]:
        found = find_cases(incoming.thread_text) if incoming.thread_text else []
        if incoming.thread_id and incoming.thread_id != incoming.message_id:
            found += self.storage.thread_cases(incoming.room_id, incoming.thread_id)
        return list(dict.fromkeys(found))

    def _record(self, incoming: Incoming, report: Report, pieces: Sequence[tuple[str, str]],
                cases: Sequence[str]) -> str:
        results = [{"id": d.entry.id, "title": d.entry.title, "confidence": round(d.confidence, 4)}
                   for d in report.diagnoses]
        files = [name for name, _ in pieces if name != MESSAGE]
        source = "message" if not files else ", ".join(dict.fromkeys(
            a.name for a in incoming.attachments))[:200]
        evidence = None
        if cases:
            evidence = "\n\n".join(f"== {name}\n{text}" for name, text in pieces)[:MAX_KEPT_EVIDENCE]
        return self.storage.record_diagnosis(NewDiagnosis(
            message_id=incoming.message_id, room_id=incoming.room_id, room_type=incoming.room_type,
            thread_id=incoming.thread_id, person_id=incoming.person_id, source=source,
            outcome=str(report.outcome), results=results, evidence=evidence, cases=cases))

    # ------------------------------------------------------------ feedback
    def feedback(self, inputs: Any, person_id: str, room_id: str, action_id: str) -> tuple[str, str] | None:
        """Store a card vote. Returns (thread id, thank-you markdown), or None when the submission is not a
        vote on a diagnosis made in that space."""
        parsed = cards.parse_feedback(inputs)
        if parsed is None:
            return None
        diagnosis_id, entry_id, vote = parsed
        record = self.storage.get_diagnosis(diagnosis_id)
        if record is None or record.room_id != room_id or entry_id not in {r["id"] for r in record.results}:
            log.info("feedback %s does not match a diagnosis in its space; ignored", action_id)
            return None
        self.storage.record_feedback(diagnosis_id, person_id, entry_id, vote, action_id)
        thanks = ("Thanks, noted that this diagnosis helped." if vote == "up" else
                  "Thanks, noted that this diagnosis did not help. If you can, paste more evidence (see `help`) "
                  "and I will look again.")
        return record.thread_id, thanks
