"""`python -m bot ...`: diagnose files or standard input, list and validate the knowledge base, explain, evaluate,
run the service, register the Webex webhooks."""
from __future__ import annotations

import argparse
import sys

from matchers import Engine, KnowledgeBaseErrors, load_knowledge_base

from ..render.calls import MAX_PICTURES
from .diagnose import cmd_calls, cmd_diagnose
from .kb import cmd_explain, cmd_kb_list, cmd_kb_validate


def cmd_serve(args: argparse.Namespace) -> int:
    from ..web.devserver import serve

    return serve(args.host, args.port)


def cmd_register_webhooks(args: argparse.Namespace) -> int:
    from ..chat.config import ConfigError
    from ..chat.registration import register_from_env
    from ..chat.webex import WebexError

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
    d.add_argument("--pictures", metavar="DIR",
                   help=f"write a SIP ladder PNG per failing call (at most {MAX_PICTURES} per input) into DIR")
    d.set_defaults(func=cmd_diagnose)
    c = sub.add_parser("calls", help="list the calls in files or standard input: time, from, to, final response, "
                                     "diagnosis")
    c.add_argument("files", nargs="*", help="files to read; '-' or nothing reads standard input")
    c.set_defaults(func=cmd_calls)
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
    serve.add_argument("--port", help="port to listen on (default: the PORT variable, else 5000)")
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
