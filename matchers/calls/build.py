"""From evidence to calls: roles, grouping, bare messages placed by their call, B2BUA legs joined, connection
attempts attached, then one Call per group (keep-alive OPTIONS and the like are not calls)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from .assemble import assemble, is_call
from .attempts import Attempt, attach, find_attempts
from .expressway import CALL_EVENTS
from .group import DisjointSets, chain_legs, link
from .model import EXPRESSWAY, Call
from .records import PASTE, EventRecord, Evidence, SipRecord
from .roles import Roles
from .scan import scan
from .text import alias_host, is_webex_host

_Groups = dict[int, tuple[list[SipRecord], list[EventRecord]]]


def find_calls(lines: Sequence[str]) -> list[Call]:
    """Every call in a text (a paste, a log, the text files of a bundle), in the order they start."""
    return build(scan(lines))


def build(evidence: Evidence) -> list[Call]:
    call_events = [ev for ev in evidence.events if ev.name in CALL_EVENTS]
    links = Evidence(sip=evidence.sip, events=call_events)
    roles = Roles(evidence)
    for rec in evidence.sip:
        roles.resolve(rec)
    sets = link(links)
    groups = _groups(sets, links)
    for records, events in groups.values():
        if any(rec.source == PASTE for rec in records):
            roles.resolve_pastes(records, _looks_inbound(records, events), _refuser(events, roles))
    if chain_legs(sets, {root: records for root, (records, _) in groups.items()}):
        groups = _groups(sets, links)
    attempts = find_attempts(evidence, roles)
    attached: dict[int, list[Attempt]] = defaultdict(list)
    alone: list[Attempt] = []
    for attempt, target in zip(attempts, attach(attempts, evidence), strict=True):
        if target is None:
            alone.append(attempt)
        else:
            attached[sets.find(target)].append(attempt)
    calls: list[tuple[int, Call]] = []
    for root, (records, events) in groups.items():
        mine = attached.get(root, [])
        if is_call(records, events, mine):
            calls.append((_first_line(records, events), assemble(records, events, mine, roles)))
    for attempt in alone:
        calls.append(((attempt.start or attempt.failure).line, assemble([], [], [attempt], roles)))
    calls.sort(key=lambda item: item[0])
    return [call for _, call in calls]


def _groups(sets: DisjointSets, evidence: Evidence) -> _Groups:
    groups: _Groups = {}
    for k, rec in enumerate(evidence.sip):
        groups.setdefault(sets.find(k), ([], []))[0].append(rec)
    base = len(evidence.sip)
    for j, ev in enumerate(evidence.events):
        groups.setdefault(sets.find(base + j), ([], []))[1].append(ev)
    return groups


def _looks_inbound(records: list[SipRecord], events: list[EventRecord]) -> bool:
    """A call is inbound unless only its callee has a Webex address."""
    for rec in records:
        if rec.from_uri or rec.to_uri:
            if is_webex_host(alias_host(rec.from_uri)):
                return True
            return not is_webex_host(alias_host(rec.to_uri))
    for ev in events:
        if ev.src_alias:
            return not is_webex_host(alias_host(ev.dst_alias)) or is_webex_host(alias_host(ev.src_alias))
    return True


def _refuser(events: list[EventRecord], roles: Roles) -> str | None:
    """The Expressway whose events say it refused the call (no match found, or the call rejected)."""
    for ev in events:
        if ev.name == "Call Rejected" or (ev.name == "Search Completed" and "found:false" in ev.detail.lower()):
            return roles.host_role.get(ev.host, EXPRESSWAY)
    return None


def _first_line(records: list[SipRecord], events: list[EventRecord]) -> int:
    return min([rec.line for rec in records] + [ev.line for ev in events])
