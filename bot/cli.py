"""`python -m bot ...`: diagnose files or standard input, list and validate the knowledge base, explain."""
from __future__ import annotations

import argparse
import json
import sys

from matchers import Engine, KnowledgeBaseErrors, Report, load_knowledge_base
from matchers.model import Outcome

from . import render
from .evidence_files import EvidencePiece, diagnose_evidence
from .render_evidence import evidence_json, evidence_markdown, evidence_text

MAX_READ_BYTES = 100 * 1024 * 1024 + 1


def _read_source(source: str) -> bytes:
    if source == "-":
        return sys.stdin.buffer.read(MAX_READ_BYTES)
    with open(source, "rb") as fh:
        return fh.read(MAX_READ_BYTES)


def _report_for(engine: Engine, source: str) -> tuple[Report, EvidencePiece | None]:
    """Text, or a certificate, screenshot or packet capture (bot.evidence_files routes by content and name)."""
    try:
        data = _read_source(source)
    except OSError as exc:
        return Report(outcome=Outcome.UNREADABLE, diagnoses=[], message=f"cannot read {source}: {exc.strerror}"), None
    return diagnose_evidence(engine, source, data)


def _jsonl_record(source: str, report: Report, piece: EvidencePiece | None = None) -> dict[str, object]:
    body = report.as_dict()
    return {"source": source, "matches": body["matches"], "outcome": body["outcome"],
            "message": body["message"], "evidence_kinds": body["evidence_kinds"], **evidence_json(piece)}


def cmd_diagnose(args: argparse.Namespace) -> int:
    engine = Engine(load_knowledge_base(args.kb))
    sources = args.files or ["-"]
    failed = False
    for n, source in enumerate(sources):
        report, piece = _report_for(engine, source)
        failed |= report.outcome is Outcome.UNREADABLE
        if args.format == "jsonl":
            print(json.dumps(_jsonl_record(source, report, piece), ensure_ascii=False), flush=True)
        elif args.format == "json":
            print(json.dumps(_jsonl_record(source, report, piece), ensure_ascii=False, indent=2))
        else:
            if len(sources) > 1:
                print(("\n" if n else "") + f"== {source}")
            if args.format == "markdown":
                shown = evidence_markdown(piece) if piece is not None else ""
                body = render.report_markdown(report)
                parts = render.split_message(f"{shown}\n\n{body}" if shown else body)
                for k, part in enumerate(parts, 1):
                    if len(parts) > 1:
                        print(f"<!-- Webex message {k} of {len(parts)} -->")
                    print(part)
            else:
                shown = evidence_text(piece) if piece is not None else ""
                if shown:
                    print(shown + "\n")
                print(render.report_text(report))
    return 1 if failed and len(sources) == 1 else 0


def cmd_kb_list(args: argparse.Namespace) -> int:
    kb = load_knowledge_base(args.kb)
    for entry in sorted(kb, key=lambda e: (e.section, e.id)):
        print(f"{entry.section:14} {entry.id:38} {entry.title}")
    return 0


def cmd_kb_validate(args: argparse.Namespace) -> int:
    kb = load_knowledge_base(args.kb)
    print(f"knowledge base OK: {len(kb)} entries")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    kb = load_knowledge_base(args.kb)
    topic = args.topic.strip()
    entry = kb.get(topic)
    if entry is not None:
        print(render.entry_markdown(entry))
        return 0
    if topic.isdigit():
        code = int(topic)
        related = [e for e in kb if code in (e.related.get("sip") or [])]
        if related:
            print(f"SIP {code} appears in these documented problems:\n")
            for e in related:
                print(f"- `{e.id}`: {e.title}")
            return 0
        print(f"SIP {code} is not part of any documented problem.")
        return 1
    print(f"unknown topic {topic!r}; `python -m bot kb list` shows every id", file=sys.stderr)
    return 2


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve import serve

    return serve(args.host, args.port)


def cmd_register_webhooks(args: argparse.Namespace) -> int:
    from .config import ConfigError
    from .register import register_from_env
    from .webex import WebexError

    try:
        for line in register_from_env(args.url):
            print(line)
    except (ConfigError, WebexError) as exc:
        print(f"register-webhooks: {exc}", file=sys.stderr)
        return 2
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import load_cases, score_cases

    engine = Engine(load_knowledge_base(args.kb))
    for path in args.cases:
        score = score_cases(engine, load_cases(path))
        print(f"== {path}\n{score.summary()}")
        for case_id, expect, got in score.wrong[: args.show]:
            print(f"wrong: {case_id} expected {expect} got {got}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument("--kb", help="knowledge-base directory (default: knowledge/ of this project)")
    sub = parser.add_subparsers(dest="command", required=True)
    d = sub.add_parser("diagnose", help="diagnose pasted evidence (files, or standard input)")
    d.add_argument("files", nargs="*", help="files to diagnose; '-' or nothing reads standard input")
    d.add_argument("--format", choices=["text", "markdown", "json", "jsonl"], default="text")
    d.set_defaults(func=cmd_diagnose)
    kb = sub.add_parser("kb", help="knowledge-base tools")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    kb_sub.add_parser("list", help="list every entry").set_defaults(func=cmd_kb_list)
    validate = kb_sub.add_parser("validate", help="check every entry, report file:line problems")
    validate.set_defaults(func=cmd_kb_validate)
    ev = sub.add_parser("evaluate", help="score the engine on labelled pastes (cases.yaml format)")
    ev.add_argument("cases", nargs="+", help="YAML files of cases: id, kind, expect, also, text")
    ev.add_argument("--show", type=int, default=0, help="list this many wrongly answered cases")
    ev.set_defaults(func=cmd_evaluate)
    e = sub.add_parser("explain", help="show an entry, or the entries a SIP response code appears in")
    e.add_argument("topic", help="an entry id or a SIP response code")
    e.set_defaults(func=cmd_explain)
    serve = sub.add_parser("serve", help="run the service (local mode with a paste page when no WEBEX_ACCESS_TOKEN)")
    serve.add_argument("--host", help="address to listen on (default 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port to listen on (default 5000)")
    serve.set_defaults(func=cmd_serve)
    reg = sub.add_parser("register-webhooks", help="create, update or re-activate the bot's Webex webhooks")
    reg.add_argument("--url", required=True, help="public https address of the service, e.g. https://bot.example.com")
    reg.set_defaults(func=cmd_register_webhooks)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except KnowledgeBaseErrors as exc:
        print("knowledge base has problems:\n" + str(exc), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
