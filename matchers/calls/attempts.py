"""TCP and TLS outcomes on 5061/5062 from Expressway log lines: a connection that failed becomes a hop, either of
the SIP call it was opened for (an Expressway-E connecting out to Webex for an INVITE it received) or of an
attempt of its own (Webex connecting in and dying in the handshake, so there is no SIP at all)."""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .expressway import TLS_EVENTS
from .model import EXPE, EXPRESSWAY, OTHER, WEBEX, Element
from .records import EXPRESSWAY_LOG, EventRecord, Evidence
from .roles import Roles

PORTS = (5061, 5062)
ATTACH_WINDOW = 30.0       # seconds from the INVITE an Expressway received to its connection attempt onwards
ATTACH_LINES = 2000


@dataclass
class Attempt:
    failure: EventRecord
    start: EventRecord | None
    outbound: bool             # the logging Expressway was the client
    client: Element
    server: Element
    client_name: str
    server_name: str

    @property
    def kind(self) -> str:
        return "tls" if self.failure.name in TLS_EVENTS else "tcp"

    @property
    def port(self) -> int:
        return self.failure.dst_port

    @property
    def label(self) -> str:
        return f"TLS handshake :{self.port} failed" if self.kind == "tls" else f"TCP connect :{self.port} failed"

    @property
    def detail(self) -> str:
        text = self.failure.detail or self.failure.name
        if self.kind == "tls":
            return f"{self.failure.name}: {text}" if text != self.failure.name else text
        start = self.start
        if start is not None and start.time is not None and self.failure.time is not None:
            return f"{text} after {self.failure.time - start.time:.1f} s"
        return text


def find_attempts(evidence: Evidence, roles: Roles) -> list[Attempt]:
    opened: dict[tuple[Any, ...], EventRecord] = {}
    found = []
    for ev in evidence.events:
        key = (ev.host, ev.src_ip, ev.src_port, ev.dst_ip, ev.dst_port)
        if ev.name == "TCP Connecting":
            opened[key] = ev
            continue
        if ev.name != "TCP Connection Failed" and ev.name not in TLS_EVENTS:
            continue
        if ev.dst_port not in PORTS and ev.src_port not in PORTS:
            continue
        found.append(_attempt(ev, opened.pop(key, None), roles))
    return found


def _attempt(ev: EventRecord, start: EventRecord | None, roles: Roles) -> Attempt:
    # the Expressway logs "TCP Connection Failed" only for connections it opens itself
    outbound = ev.name.startswith("Outbound") or ev.name == "TCP Connection Failed"
    if roles.ip_host.get(ev.src_ip) == ev.host and ev.host:
        outbound = True
    elif roles.ip_host.get(ev.dst_ip) == ev.host and ev.host:
        outbound = False
    me = Element(roles.host_role.get(ev.host, EXPRESSWAY))
    far_ip = ev.dst_ip if outbound else ev.src_ip
    far = roles.element(far_ip) if roles.ip_role(far_ip) else (
        Element(WEBEX) if ev.dst_port == 5062 or me.role == EXPE else Element(OTHER, far_ip))
    if outbound:
        return Attempt(ev, start, True, me, far, ev.host, far_ip)
    return Attempt(ev, start, False, far, me, far_ip, ev.host)


def attach(attempts: list[Attempt], evidence: Evidence) -> list[int | None]:
    """For each attempt, the index of the INVITE record (in evidence.sip) it was opened for, or None."""
    received: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for k, rec in enumerate(evidence.sip):
        if (rec.source == EXPRESSWAY_LOG and rec.method == "INVITE" and rec.action == "received"
                and rec.sender is not None and rec.sender.role != WEBEX):
            received[rec.host].append((rec.line, k))
    targets: list[int | None] = []
    for attempt in attempts:
        opened = attempt.start or attempt.failure
        targets.append(_opened_for(evidence, received.get(opened.host, []), opened) if attempt.outbound else None)
    return targets


def _opened_for(evidence: Evidence, invites: list[tuple[int, int]], opened: EventRecord) -> int | None:
    at = bisect.bisect_left(invites, (opened.line, -1))
    for line, k in reversed(invites[max(0, at - 5):at]):
        rec = evidence.sip[k]
        if rec.time is not None and opened.time is not None:
            if 0 <= opened.time - rec.time <= ATTACH_WINDOW:
                return k
        elif opened.line - line <= ATTACH_LINES:
            return k
    return None
