"""One call from its records: messages in time order, without hops inside one box and without the second copy
of a message that two Expressways both logged; its lanes, parties, direction and outcome."""
from __future__ import annotations

from typing import Any

from .attempts import Attempt
from .group import NOT_CALLS
from .model import EXPRESSWAY, INBOUND, OTHER_DIRECTION, OUTBOUND, WEBEX, Call, Element, Lane, Message
from .outcome import outcome
from .records import EXPRESSWAY_LOG, EventRecord, SipRecord
from .roles import Roles
from .text import PHRASES, alias_host, is_webex_host

SAME_MESSAGE_WINDOW = 2.0      # seconds between one Expressway's "Sent" and the next one's "Received"

# (epoch seconds, seconds since local midnight, line, message, sender name, receiver name)
_Item = tuple[float | None, float | None, int, Message, str, str]


def is_call(records: list[SipRecord], events: list[EventRecord], attempts: list[Attempt]) -> bool:
    if attempts or any(ev.name == "Call Attempted" for ev in events):
        return True
    known = {rec.method or rec.cseq[1] for rec in records} - {""}
    # responses of unknown method alone (a pasted "SIP/2.0 603 Decline") are a call; with OPTIONS they are not
    return bool(known - NOT_CALLS) or (not known and bool(records))


def assemble(records: list[SipRecord], events: list[EventRecord], attempts: list[Attempt], roles: Roles) -> Call:
    items = _sip_items(records)
    logged = {rec.host for rec in records if rec.source == EXPRESSWAY_LOG}
    items.extend(_event_items([ev for ev in events if ev.host not in logged], roles))
    items.extend(_attempt_item(a) for a in attempts)
    items = _ordered(items)
    messages = [item[3] for item in items]
    final, failing, ended, failed = outcome(messages)
    if failing is not None:
        messages[failing].failed = True
    parties = _parties(records, events)
    first = next((m for m in messages if m.is_request and m.method == "INVITE"), messages[0] if messages else None)
    call_ids = list(dict.fromkeys(m.call_id for m in messages if m.call_id))
    invite_ids = [m.call_id for m in messages if m.is_request and m.method == "INVITE" and m.call_id]
    return Call(call_id=invite_ids[0] if invite_ids else (call_ids[0] if call_ids else ""),
                direction=_direction(parties, first, attempts), parties=parties, messages=messages,
                final_response=final, ended_at=ended, failed=failed, failing=failing, call_ids=call_ids,
                lanes=_lanes(items))


def _sip_items(records: list[SipRecord]) -> list[_Item]:
    full = {(rec.host, rec.msg_hash) for rec in records if rec.msg_hash and not rec.summary}
    seen: dict[tuple[Any, ...], tuple[str, float | None]] = {}
    items: list[_Item] = []
    for rec in records:
        if rec.sender is None or rec.receiver is None or rec.sender == rec.receiver:
            continue                                   # unresolved, or proxy to B2BUA inside one Expressway
        if rec.summary and (rec.host, rec.msg_hash) in full:
            continue                                   # the INFO line summarising a DEBUG message we have
        number, method = rec.cseq
        signature = (rec.label, rec.call_id, number, method, rec.sender, rec.receiver)
        prior = seen.get(signature)
        if prior is not None and prior[0] != rec.host and (
                prior[1] is None or rec.time is None or abs(rec.time - prior[1]) <= SAME_MESSAGE_WINDOW):
            continue                                   # the sender's and the receiver's log of one message
        seen.setdefault(signature, (rec.host, rec.time))
        headers = rec.headers
        message = Message(rec.label, rec.sender, rec.receiver, rec.line, time=rec.stamp,
                          warning=headers.get("warning", ""), reason=headers.get("reason", ""), method=method,
                          code=rec.code, cseq=number, call_id=rec.call_id, agent=rec.user_agent,
                          host=rec.host.lstrip("@") if rec.source == EXPRESSWAY_LOG else "")
        items.append((rec.time, rec.day, rec.line, message, rec.sender_name, rec.receiver_name))
    return items


def _event_items(events: list[EventRecord], roles: Roles) -> list[_Item]:
    """Messages an Expressway's call events stand for, when its log holds no SIP for the call (INFO level)."""
    items: list[_Item] = []
    policy = next((ev.detail.split("Info:", 1)[1].strip() for ev in events
                   if ev.name == "Search Completed" and "Info:" in ev.detail), "")
    for ev in events:
        me = Element(roles.host_role.get(ev.host, EXPRESSWAY))
        peer = roles.peer_of_event(ev.host, ev.src_ip, ev.src_port)
        if ev.name == "Call Attempted":
            message = Message("INVITE", peer, me, ev.line, time=ev.stamp, method="INVITE", host=ev.host)
            items.append((ev.time, ev.day, ev.line, message, ev.src_ip, ev.host))
        elif ev.name == "Call Rejected" and ev.code:
            label = f"{ev.code} {PHRASES.get(ev.code, ev.detail)}".strip()
            message = Message(label, me, peer, ev.line, time=ev.stamp, method="INVITE", code=ev.code,
                              warning=f'"{policy}"' if policy else "", host=ev.host)
            items.append((ev.time, ev.day, ev.line, message, ev.host, ev.src_ip))
    return items


def _attempt_item(attempt: Attempt) -> _Item:
    at = attempt.start or attempt.failure
    message = Message(attempt.label, attempt.client, attempt.server, attempt.failure.line, time=at.stamp,
                      warning=attempt.detail, kind=attempt.kind, host=attempt.failure.host)
    return at.time, at.day, at.line, message, attempt.client_name, attempt.server_name


def _ordered(items: list[_Item]) -> list[_Item]:
    """By epoch time when every item has one, else by local clock (Unified CM traces among Expressway logs),
    else in text order; offsets are from the first item on the clock used."""
    if items and all(item[0] is not None for item in items):
        items.sort(key=lambda item: (item[0], item[2]))
        clock = 0
    elif items and all(item[1] is not None for item in items):
        items.sort(key=lambda item: (item[1], item[2]))
        clock = 1
    else:
        items.sort(key=lambda item: item[2])
        clock = 0
    times = [item[0] if clock == 0 else item[1] for item in items]
    start = next((t for t in times if t is not None), None)
    for item, value in zip(items, times, strict=True):
        item[3].offset = round(value - start, 3) if value is not None and start is not None else None
    return items


def _parties(records: list[SipRecord], events: list[EventRecord]) -> dict[str, str]:
    invites = [rec for rec in records if rec.method == "INVITE" and (rec.from_uri or rec.to_uri)]
    if invites:
        first = min(invites, key=lambda rec: (rec.time if rec.time is not None else float("inf"), rec.line))
        return {"from": first.from_uri, "to": first.to_uri}
    for ev in events:
        if ev.src_alias or ev.dst_alias:
            return {"from": _with_scheme(ev.src_alias), "to": _with_scheme(ev.dst_alias)}
    for rec in records:
        if rec.from_uri or rec.to_uri:
            return {"from": rec.from_uri, "to": rec.to_uri}
    return {"from": "", "to": ""}


def _with_scheme(alias: str) -> str:
    alias = alias.strip().lower()
    return alias if not alias or ":" in alias.split("@", 1)[0] else f"sip:{alias}"


def _direction(parties: dict[str, str], first: Message | None, attempts: list[Attempt]) -> str:
    """Inbound when the caller is a Webex user or Webex sent the INVITE; outbound when a Webex alias is called or
    the INVITE went to Webex."""
    if is_webex_host(alias_host(parties["from"])) if parties["from"] else False:
        return INBOUND
    if first is not None and first.sender.role == WEBEX:
        return INBOUND
    if is_webex_host(alias_host(parties["to"])) if parties["to"] else False:
        return OUTBOUND
    if first is not None and first.receiver.role == WEBEX:
        return OUTBOUND
    if attempts and not first:
        return OUTBOUND if attempts[0].outbound else INBOUND
    return OTHER_DIRECTION


def _lanes(items: list[_Item]) -> list[Lane]:
    names: dict[Element, list[str]] = {}
    for _, _, _, message, sender_name, receiver_name in items:
        for element, name in ((message.sender, sender_name), (message.receiver, receiver_name)):
            seen = names.setdefault(element, [])
            if name and name not in seen:
                seen.append(name)
    order = {element: k for k, element in enumerate(names)}
    lanes = [Lane(element, sorted(found, key=lambda n: (_is_address(n), found.index(n))))
             for element, found in names.items()]
    lanes.sort(key=lambda lane: (lane.element.rank, order[lane.element]))
    return lanes


def _is_address(name: str) -> bool:
    return name.replace(".", "").isdigit() or name.count(":") >= 2
