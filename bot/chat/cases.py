"""TAC case numbers and Cisco bug ids in messages: recognise them, link them, show a case's history.

>>> find_cases("SR 694123456 and case #694123457; also 694123458.")
['694123456', '694123457', '694123458']
>>> find_cases('Call-ID: 694123456@10.0.0.1 Src-port="694123456" 1694123456')
[]
>>> find_bugs("see CSCvc70955 and cscts00642")
['CSCvc70955', 'CSCts00642']
"""
from __future__ import annotations

import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from .storage import DiagnosisRecord

# Prefixed forms are taken anywhere; a bare nine-digit number only when it stands alone (not part of an
# address, a port, a Call-ID, a key=value pair or a longer number), so logs do not invent cases.
_PREFIXED = re.compile(
    r"(?i)\b(?:sr|case|tac(?:\s+case)?|service\s+request)\s*(?:number|no\.?|num)?\s*[:#]?\s*#?\s*(\d{9})(?!\d)")
_BARE = re.compile(r"(?<![\w.:/@=#\"'-])(\d{9})(?![\w/@=\"'-]|[.:]\w)")
_BUG = re.compile(r"\b(CSC[a-z]{2}\d{5})\b", re.IGNORECASE)
CASE_COMMAND_NUMBER = re.compile(r"^\s*(?:sr|case|tac)?\s*#?\s*(\d{9})\s*$", re.IGNORECASE)


def find_cases(text: str) -> list[str]:
    found: dict[str, int] = {}
    for m in _PREFIXED.finditer(text):
        found.setdefault(m.group(1), m.start(1))
    for m in _BARE.finditer(text):
        found.setdefault(m.group(1), m.start(1))
    return sorted(found, key=lambda c: found[c])


def find_bugs(text: str) -> list[str]:
    out: dict[str, None] = {}
    for m in _BUG.finditer(text):
        raw = m.group(1)
        out.setdefault("CSC" + raw[3:5].lower() + raw[5:], None)
    return list(out)


@dataclass(frozen=True)
class Linker:
    case_url_template: str
    bug_url_template: str

    def case_link(self, case: str) -> str:
        return f"[{case}]({self.case_url_template.format(case=case)})"

    def bug_link(self, bug: str) -> str:
        return f"[{bug}]({self.bug_url_template.format(bug=bug)})"

    def mentions_markdown(self, cases: Sequence[str], bugs: Sequence[str], recorded: bool) -> str:
        """One line naming the cases and bugs a message mentions, as links; '' when there are none."""
        parts = []
        if cases:
            label = "TAC case" if len(cases) == 1 else "TAC cases"
            parts.append(f"{label} {', '.join(self.case_link(c) for c in cases)}"
                         + (" (diagnosis recorded in its history)" if recorded else ""))
        if bugs:
            label = "Bug" if len(bugs) == 1 else "Bugs"
            parts.append(f"{label} {', '.join(self.bug_link(b) for b in bugs)}")
        return "**Linked:** " + " · ".join(parts) if parts else ""

    def history_markdown(self, case: str, records: Iterable[DiagnosisRecord], space_names: dict[str, str],
                         hidden: int = 0) -> str:
        records = list(records)
        head = f"### Case {self.case_link(case)}"
        if not records:
            note = "" if not hidden else f" ({hidden} recorded in spaces you are not part of here)"
            return (f"{head}\nNo diagnoses are recorded for this case yet{note}. Mention the case number in a "
                    "message with your evidence (or earlier in its thread) and I will record the diagnosis.")
        out = [head, f"{len(records)} diagnos{'i' if len(records) == 1 else 'e'}s recorded:", ""]
        for r in records:
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(r.created))
            space = space_names.get(r.room_id) or ("a direct space" if r.room_type == "direct" else "a group space")
            if r.results:
                found = ", ".join(f"`{d['id']}` ({round(float(d['confidence']) * 100)}%)" for d in r.results)
            else:
                found = "no documented problem matched"
            votes = ""
            if r.feedback:
                votes = f" · feedback 👍 {r.feedback.get('up', 0)} 👎 {r.feedback.get('down', 0)}"
            source = "" if r.source == "message" else f" · from {_inline(r.source)}"
            out.append(f"- {when} · {_inline(space)}{source}: {found}{votes}")
        if hidden:
            out += ["", f"_{hidden} more recorded in other spaces are not shown here._"]
        return "\n".join(out)


def _inline(text: str) -> str:
    """Neutralise markdown in names shown inside history lines."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)
