"""Which records belong to one call, by union-find over the keys they share (linear in the records).

Keys, from strongest to weakest:
- the Call-ID;
- the call Tag: Expressways pass it from one to the next in the X-TAATag header and log it as `Tag=` on their
  call events, so it joins an Expressway-E's and an Expressway-C's logs of the same call;
- each Expressway's proxy-call-id (in the Via and Record-Route it adds), which is also the
  `Call-serial-number` of that Expressway's call events;
- the Session-ID UUIDs (RFC 7989: end to end, kept by B2BUAs);
- the From tag with the From alias.
A B2BUA may start its outgoing leg with a new Call-ID, and a pasted excerpt may carry none of the other keys;
`chain_legs` then joins a leg to the one it continues by timing and aliases (see there). Events with no key
shared with a SIP message join the INVITE logged by the same host, for the same aliases, at about the same time.
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from typing import Any

from .records import EXPRESSWAY_LOG, PASTE, WIRE, EventRecord, Evidence, SipRecord
from .text import bare

ORPHAN_SPAN = 300          # a record without any key joins the call of a keyed record at most this many lines up
EVENT_WINDOW = 5.0         # seconds between an event and the INVITE it is about, on one Expressway
EVENT_LINES = 400          # the same in lines, when the log has no times
EVENT_CHAIN = 50           # lines between two events of one call when the log gives no serial number
LEG_WINDOW = 10.0          # seconds between a leg's INVITE and the next leg's INVITE (DNS lookups take a few)


class DisjointSets:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, x: int) -> int:
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _ids_after(text: str, marker: str) -> list[str]:
    found, at = [], text.find(marker)
    while at >= 0:
        start = at + len(marker)
        end = start
        while end < len(text) and text[end] not in ";@>, \t":
            end += 1
        if end > start:
            found.append(text[start:end])
        at = text.find(marker, end)
    return found


def sip_keys(rec: SipRecord) -> list[str]:
    keys = []
    call_id = rec.call_id
    if call_id:
        keys.append("c:" + call_id)
    headers = rec.headers
    if headers.get("x-taatag"):
        keys.append("t:" + headers["x-taatag"].strip())
    routes = headers.get("via", "") + headers.get("record-route", "") + headers.get("route", "")
    if "proxy-call-id=" in routes:
        keys.extend("p:" + value for value in _ids_after(routes, "proxy-call-id="))
    session = headers.get("session-id", "")
    for part in session.replace("remote=", "").split(";"):
        part = part.strip()
        if len(part) >= 16 and part.strip("0"):
            keys.append("s:" + part)
    tag, caller = rec.from_tag, rec.from_uri
    if tag and caller:
        keys.append(f"f:{tag}|{bare(caller)}")
    return keys


NOT_CALLS = frozenset({"OPTIONS", "REGISTER", "SUBSCRIBE", "NOTIFY", "PUBLISH", "MESSAGE"})


def _wire_segments(records: list[SipRecord]) -> dict[int, str]:
    """Capture rows with no Call-ID: one call per address pair, a new one at each INVITE after the last ended;
    keep-alive OPTIONS (and the responses that follow them) go to a group of their own."""
    state: dict[tuple[str, str], list[Any]] = {}
    keys: dict[int, str] = {}
    for k, rec in enumerate(records):
        if rec.source != WIRE or rec.call_id:
            continue
        pair = (min(rec.src_ip, rec.dst_ip), max(rec.src_ip, rec.dst_ip))
        seg = state.setdefault(pair, [0, False, ""])      # segment, ended, last request method
        method = rec.method or (rec.cseq[1] if rec.code else "")
        if rec.code == 0:
            seg[2] = method
        if method in NOT_CALLS or (rec.code and not method and seg[2] in NOT_CALLS):
            keys[k] = f"w:{pair[0]}|{pair[1]}|keepalive"
            continue
        if rec.method == "INVITE" and seg[1]:
            seg[0], seg[1] = seg[0] + 1, False
        if rec.code >= 300 or rec.method in ("BYE", "CANCEL"):
            seg[1] = True
        keys[k] = f"w:{pair[0]}|{pair[1]}|{seg[0]}"
    return keys


def link(evidence: Evidence) -> DisjointSets:
    """Union-find over SIP records (0..S-1) and call events (S..S+E-1)."""
    sip, events = evidence.sip, evidence.events
    sets = DisjointSets(len(sip) + len(events))
    owner: dict[str, int] = {}
    wire = _wire_segments(sip)
    event_lines = [ev.line for ev in events]
    base = len(sip)
    last, last_line = -1, -ORPHAN_SPAN - 1
    for k, rec in enumerate(sip):
        keys = sip_keys(rec)
        if k in wire:
            keys.append(wire[k])
        if not keys:
            # a message with no key at all (a bare paste) belongs with what is just above it: the previous
            # message, or a call event closer still
            at = bisect.bisect_left(event_lines, rec.line) - 1
            if at >= 0 and event_lines[at] > last_line and rec.line - event_lines[at] <= ORPHAN_SPAN:
                sets.union(k, base + at)
            elif last >= 0 and rec.line - last_line <= ORPHAN_SPAN:
                sets.union(k, last)
        for key in keys:
            other = owner.setdefault(key, k)
            if other != k:
                sets.union(k, other)
        last, last_line = k, rec.line
    previous: dict[str, int] = {}
    for j, ev in enumerate(events):
        for key in (("p:" + ev.serial) if ev.serial else "", ("t:" + ev.tag) if ev.tag else ""):
            if key:
                other = owner.setdefault(key, base + j)
                if other != base + j:
                    sets.union(base + j, other)
        before = previous.get(ev.host)
        if not ev.serial and not ev.tag and before is not None:
            # an excerpt without serial numbers: an event continues the one just above it on that host
            prior = events[before]
            same = not ev.src_alias or not prior.src_alias or bare(ev.src_alias) == bare(prior.src_alias)
            if same and ev.line - prior.line <= EVENT_CHAIN:
                sets.union(base + j, base + before)
        previous[ev.host] = j
    _events_to_invites(sets, evidence)
    return sets


def _events_to_invites(sets: DisjointSets, evidence: Evidence) -> None:
    invites: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
    for k, rec in enumerate(evidence.sip):
        if rec.method == "INVITE" and rec.source in (EXPRESSWAY_LOG, PASTE) and rec.from_uri:
            invites[(rec.host, bare(rec.from_uri))].append((rec.line, k))
    base = len(evidence.sip)
    for j, ev in enumerate(evidence.events):
        if ev.src_alias:                  # a pasted event without its host field meets pasted SIP, host ""
            near = _nearest(evidence.sip, invites.get((ev.host, bare(ev.src_alias)), []), ev)
            if near is not None:
                sets.union(base + j, near)


def _nearest(sip: list[SipRecord], candidates: list[tuple[int, int]], ev: EventRecord) -> int | None:
    if not candidates:
        return None
    want = bare(ev.dst_alias)
    at = bisect.bisect_left(candidates, (ev.line, -1))
    best, best_gap = None, None
    for line, k in candidates[max(0, at - 3):at + 3]:
        rec = sip[k]
        if want and want not in (bare(rec.to_uri), bare(rec.ruri)):
            continue
        if rec.time is not None and ev.time is not None:
            gap = abs(rec.time - ev.time)
            if gap > EVENT_WINDOW:
                continue
        else:
            gap = abs(line - ev.line) / 1000.0
            if abs(line - ev.line) > EVENT_LINES:
                continue
        if best_gap is None or gap < best_gap:
            best, best_gap = k, gap
    return best


def _first_invite(records: list[SipRecord]) -> SipRecord | None:
    for rec in records:
        if rec.method == "INVITE" and rec.sender is not None and rec.sender != rec.receiver:
            return rec
    return None


def chain_legs(sets: DisjointSets, groups: dict[int, list[SipRecord]]) -> bool:
    """Join a leg to the leg it continues when no key did: an Expressway B2BUA may give its outgoing leg a new
    Call-ID (and new tags), so leg B continues leg A when A's INVITE went *to* the element that sent B's, a
    different element sent A's, both have the same From and To aliases, and B's INVITE follows A's within
    LEG_WINDOW seconds; of several such A, the latest. True when any legs were joined."""
    buckets: dict[tuple[str, str], list[tuple[float, int, SipRecord]]] = defaultdict(list)
    for root, records in groups.items():
        first = _first_invite(records)
        if first is not None and first.time is not None and first.from_uri:
            buckets[(bare(first.from_uri), bare(first.to_uri))].append((first.time, root, first))
    joined = False
    for legs in buckets.values():
        if len(legs) < 2:
            continue
        legs.sort(key=lambda item: (item[0], item[1]))
        for b in range(1, len(legs)):
            time_b, root_b, invite_b = legs[b]
            for a in range(b - 1, max(-1, b - 20), -1):
                time_a, root_a, invite_a = legs[a]
                if time_b - time_a > LEG_WINDOW:
                    break
                if _continues(invite_a, invite_b):
                    sets.union(root_a, root_b)
                    joined = True
                    break
    return joined


def _continues(a: SipRecord, b: SipRecord) -> bool:
    return a.receiver == b.sender and a.sender != b.sender and a.sender != b.receiver
