"""How a call ended: its final response, the failing hop and a short description of the stage.

>>> from .model import Element, Message, EXPC, EXPE, WEBEX
>>> e, c, w = Element(EXPE), Element(EXPC), Element(WEBEX)
>>> msgs = [Message("INVITE", w, e, 1, method="INVITE", cseq=1, call_id="x"),
...         Message("INVITE", e, c, 2, method="INVITE", cseq=1, call_id="x"),
...         Message("404 Not Found", c, e, 3, method="INVITE", code=404, cseq=1, call_id="x",
...                 warning='399 192.0.2.30:5061 "Policy Response"'),
...         Message("404 Not Found", e, w, 4, method="INVITE", code=404, cseq=1, call_id="x")]
>>> outcome(msgs)
('404 Not Found', 2, 'rejected at the Expressway-C with 404 Not Found (Policy Response)', True)
"""
from __future__ import annotations

from .model import EXPC, EXPE, EXPRESSWAY, UCM, WEBEX, Element, Message
from .text import q850_cause

NORMAL_CAUSES = frozenset({16, 31})
CAUSES = {1: "unallocated number", 3: "no route to destination", 16: "normal clearing", 17: "user busy",
          18: "no user responding", 19: "no answer", 21: "call rejected", 27: "destination out of order",
          31: "normal, unspecified", 34: "no circuit available", 38: "network out of order",
          41: "temporary failure", 47: "resource unavailable", 58: "bearer capability not available",
          65: "bearer capability not implemented", 88: "incompatible destination", 102: "recovery on timer expiry",
          111: "protocol error", 127: "interworking"}


def where(element: Element) -> str:
    return f"at the {element.role}" if element.role in (EXPE, EXPC, EXPRESSWAY) else f"by {element}"


def originator(m: Message) -> str:
    """Who generated a message: its User-Agent names Unified CM or Webex when an Expressway only passed it on."""
    for needle, role in (("cucm", UCM), ("l2sip", WEBEX)):
        if needle in m.agent and m.sender.role != role:
            return f"{role} (through the {m.sender})"
    return str(m.sender)


def warning_text(warning: str) -> str:
    """The quoted text of a Warning header (`399 host "Policy Response"` -> `Policy Response`)."""
    first = warning.find('"')
    last = warning.rfind('"')
    return warning[first + 1:last] if 0 <= first < last else ""


def _initial_transaction(messages: list[Message]) -> list[int]:
    """Indexes of final responses to each leg's first INVITE (re-INVITE answers are not the call's outcome)."""
    first_cseq: dict[str, int] = {}
    for m in messages:
        if m.is_request and m.method == "INVITE" and m.call_id not in first_cseq:
            first_cseq[m.call_id] = m.cseq
    return [i for i, m in enumerate(messages)
            if m.code >= 200 and m.method in ("INVITE", "")
            and (not m.cseq or first_cseq.get(m.call_id, m.cseq) == m.cseq)]


def outcome(messages: list[Message]) -> tuple[str | None, int | None, str, bool]:
    """(final response, index of the failing message, stage where it ended, failed)."""
    hop = next((i for i, m in enumerate(messages) if m.kind != "sip"), None)
    finals = _initial_transaction(messages)
    errors = [i for i in finals if messages[i].code >= 300]
    answer = next((i for i in finals if messages[i].code < 300), None)
    final = messages[errors[0]].label if errors else messages[answer].label if answer is not None else None
    if hop is not None:
        return final, hop, _connection_stage(messages, hop), True
    acked = answer is not None and any(m.is_request and m.method == "ACK" for m in messages[answer + 1:])
    if errors:
        late = [i for i in errors if answer is not None and i > answer]
        if late and answer is not None and not acked:
            m = messages[late[0]]
            verb = "declined" if m.code == 603 else "rejected"
            return m.label, late[0], f"{verb} {m.code} after {messages[answer].label} with no ACK", True
        first = messages[errors[0]]
        cancelled = any(m.is_request and m.method == "CANCEL" for m in messages[:errors[0]])
        if cancelled and first.code == 487:
            return final, None, f"cancelled before answer ({first.label})", False
        note = warning_text(first.warning)
        return final, errors[0], f"rejected {where(first.sender)} with {first.label}" + (
            f" ({note})" if note else ""), True
    if answer is not None:
        return final, *_after_answer(messages, answer, acked)
    invites = [i for i, m in enumerate(messages) if m.is_request and m.method == "INVITE"]
    if not invites:
        return None, None, "no INVITE in the evidence", False
    provisional = [m for m in messages if 100 <= m.code < 200]
    last = f"last: {provisional[-1].label}" if provisional else "no response to the INVITE"
    if len(messages) < 2:                   # a lone INVITE shows no failure, only that nothing else was pasted
        return None, None, f"never answered ({last} in the evidence)", False
    return None, invites[-1], f"never answered ({last})", True


def _after_answer(messages: list[Message], answer: int, acked: bool) -> tuple[int | None, str, bool]:
    # a BYE after the answer tells how the call ended even when the ACK is missing from the excerpt
    bye = next((i for i, m in enumerate(messages) if i > answer and m.is_request and m.method == "BYE"), None)
    if bye is not None:
        m = messages[bye]
        cause = q850_cause(m.reason)
        if cause and cause not in NORMAL_CAUSES:
            meaning = f" ({CAUSES[cause]})" if cause in CAUSES else ""
            return bye, f"BYE from {originator(m)} with Q.850 cause {cause}{meaning} after answer", True
        return None, f"ended by BYE from {originator(m)} after answer", False
    if not acked:
        retries = [i for i, m in enumerate(messages) if m.label == messages[answer].label and i >= answer]
        return retries[-1], f"answered ({messages[answer].label}) but never acknowledged: no ACK", True
    return None, "answered; still up at the end of the evidence", False


def _connection_stage(messages: list[Message], hop: int) -> str:
    m = messages[hop]
    port = m.label.split(":", 1)[1].split()[0] if ":" in m.label else ""
    what = "TLS handshake" if m.kind == "tls" else "TCP connection"
    detail = f" ({m.warning})" if m.warning else ""
    if any(x.kind == "sip" for x in messages):
        return f"{m.sender} could not complete the {what} to {m.receiver} on {port}{detail}"
    return f"{what} from {m.sender} to {m.receiver} on {port} failed{detail}"
