"""`python -m bot kb list | kb validate` and `python -m bot explain <id | SIP code>`."""
from __future__ import annotations

import argparse
import sys

from matchers import load_knowledge_base

from ..render.markdown import explain_markdown


def cmd_kb_list(args: argparse.Namespace) -> int:
    kb = load_knowledge_base(args.kb)
    for entry in sorted(kb, key=lambda e: (e.section, e.id)):
        print(f"{entry.section:14} {entry.id:38} {entry.title}")
    return 0


def cmd_kb_validate(args: argparse.Namespace) -> int:
    kb = load_knowledge_base(args.kb, use_cache=False)   # always the YAML itself
    print(f"knowledge base OK: {len(kb)} entries")
    from matchers import Engine
    from matchers.lookalikes import untested_lookalikes

    for entry_id, other in untested_lookalikes(Engine(kb)):
        print(f"warning: {entry_id} has no negative example that is answered with its nearest look-alike {other}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    kb = load_knowledge_base(args.kb)
    answer, found = explain_markdown(kb, args.topic)
    if found:
        print(answer)
        return 0
    if args.topic.strip().isdigit():
        print(answer)
        return 1
    print(f"unknown topic {args.topic.strip()!r}; `python -m bot kb list` shows every id", file=sys.stderr)
    return 2
