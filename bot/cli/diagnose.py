"""`python -m bot diagnose`: files or standard input in, a report per input out (text, markdown, json, jsonl).

Each input goes through the same intake as a Webex attachment: a log, a certificate, a screenshot, a packet
capture, or an archive (a diagnostic log bundle, `.gz`, `.zip`, `.tar.gz`), within the same limits.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from typing import Any

from matchers import Engine, EvidencePiece, Intake, Limits, Outcome, Report, load_knowledge_base, read_evidence

from ..ocr import image_to_text
from ..render import markdown, text
from ..render.calls import CallView, call_views, calls_text, write_pictures
from ..render.evidence import evidence_json, evidence_markdown, evidence_text

MAX_READ_BYTES = 100 * 1024 * 1024 + 1
CLI_LIMITS = Limits(max_file_bytes=MAX_READ_BYTES - 1)


def _read_source(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read(MAX_READ_BYTES)
    with open(source, "rb") as fh:
        return fh.read(MAX_READ_BYTES)


def report_for(engine: Engine, source: str) -> tuple[Report, Intake, bytes]:
    """The report on one input, what was read from it, and its bytes."""
    try:
        data = _read_source(source)
    except OSError as exc:
        report = Report(outcome=Outcome.UNREADABLE, diagnoses=[], message=f"cannot read {source}: {exc.strerror}")
        return report, Intake(), b""
    # standard input is a paste; a file keeps its name, which tells a .pcap or .pem from text
    intake = read_evidence(files=[("paste" if source == "-" else source, data)], limits=CLI_LIMITS,
                           image_reader=image_to_text)
    if not intake.pieces:
        message = "; ".join(intake.errors) or "the input is empty"
        outcome = Outcome.EMPTY if not data.strip() else Outcome.UNREADABLE
        return Report(outcome=outcome, diagnoses=[], message=message), intake, data
    return engine.diagnose_pieces(intake.pieces, name_single_file=False), intake, data


def views_for(source: str, report: Report, intake: Intake, data: bytes) -> list[CallView]:
    """The calls of one input, each with the diagnosis whose evidence is in it."""
    return call_views(intake.pieces, report, files=[("paste" if source == "-" else source, data)])


def _pictures(directory: str, n: int, views: list[CallView]) -> list[str]:
    try:
        return write_pictures(views, directory, prefix=f"input{n + 1}-call")
    except OSError as exc:
        print(f"diagnose: cannot write pictures in {directory}: {exc.strerror}", file=sys.stderr)
        return []


def _shown(intake: Intake) -> list[EvidencePiece]:
    return [p for p in intake.pieces if p.kind != "text" or p.notes]


def jsonl_record(source: str, report: Report, intake: Intake, views: list[CallView] | None = None,
                 pictures: list[str] | None = None) -> dict[str, Any]:
    body = report.as_dict()
    record: dict[str, Any] = {"source": source, "matches": body["matches"], "outcome": body["outcome"],
                              "message": body["message"], "evidence_kinds": body["evidence_kinds"]}
    if "candidates" in body:   # a triage: the documented problems that fit, best first (matches stays [])
        record["candidates"] = body["candidates"]
    if len(intake.pieces) == 1:
        record.update(evidence_json(intake.pieces[0]))
    elif intake.pieces:
        record["evidence_type"] = "archive"
        record["members"] = [p.name for p in intake.pieces]
    if views is not None:
        record["calls"] = [v.as_dict() for v in views]
        record["pictures"] = list(pictures or [])
    return record


def _each_report(args: argparse.Namespace) -> Iterator[tuple[int, str, Report, Intake, bytes]]:
    """(position, source, report, intake, raw bytes) for every input named on the command line, in order."""
    engine = Engine(load_knowledge_base(args.kb))
    for n, source in enumerate(args.files or ["-"]):
        yield (n, source, *report_for(engine, source))


def cmd_diagnose(args: argparse.Namespace) -> int:
    sources = args.files or ["-"]
    failed = False
    for n, source, report, intake, data in _each_report(args):
        failed |= report.outcome is Outcome.UNREADABLE
        views = views_for(source, report, intake, data) if intake.pieces else []
        pictures = _pictures(args.pictures, n, views) if args.pictures else []
        if args.format in ("jsonl", "json"):
            print(json.dumps(jsonl_record(source, report, intake, views, pictures), ensure_ascii=False,
                             indent=2 if args.format == "json" else None), flush=True)
            continue
        if len(sources) > 1:
            print(("\n" if n else "") + f"== {source}")
        if args.format == "markdown":
            shown = "\n\n".join(filter(None, map(evidence_markdown, _shown(intake))))
            body = markdown.report_markdown(report)
            parts = markdown.split_message(f"{shown}\n\n{body}" if shown else body)
            for k, part in enumerate(parts, 1):
                if len(parts) > 1:
                    print(f"<!-- Webex message {k} of {len(parts)} -->")
                print(part)
        else:
            shown = "\n\n".join(filter(None, map(evidence_text, _shown(intake))))
            if shown:
                print(shown + "\n")
            print(text.report_text(report))
        for path in pictures:   # jsonl records carry them and continued above
            print(f"picture: {path}")
    return 1 if failed and len(sources) == 1 else 0


def cmd_calls(args: argparse.Namespace) -> int:
    """`python -m bot calls FILE...`: one line per call (time, from, to, final response, diagnosis)."""
    sources = args.files or ["-"]
    failed = False
    for n, source, report, intake, data in _each_report(args):
        if not intake.pieces:
            failed = True
            print(("\n" if n else "") + f"== {source}\n{report.message}" if len(sources) > 1 else report.message,
                  file=sys.stderr if len(sources) == 1 else sys.stdout)
            continue
        if len(sources) > 1:
            print(("\n" if n else "") + f"== {source}")
        print(calls_text(views_for(source, report, intake, data)))
    return 1 if failed and len(sources) == 1 else 0
