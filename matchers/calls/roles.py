"""Which element sent and received each message: Webex, Expressway-E, Expressway-C, Unified CM or another box.

An Expressway's role is voted from its own traffic: Webex peers on 5062 (mutual TLS) and the traversal server
port (7001-7099) as its local port make it the Expressway-E; the traversal port on the far side and Unified CM
peers (User-Agent/Server Cisco-CUCM) make it the Expressway-C; its host name only breaks ties. Each host's
Local-ip then names that host wherever another log or a capture shows the address.

>>> name_hint("cohovin-expc02"), name_hint("nwd-expe"), name_hint("amer-expressway01")
(-1, 1, 0)
"""
from __future__ import annotations

import re
from collections import defaultdict

from .model import EXPC, EXPE, EXPRESSWAY, OTHER, UCM, WEBEX, Element
from .records import EXPRESSWAY_LOG, PASTE, UCM_TRACE, WIRE, Evidence, SipRecord
from .text import address, is_webex_host, top_via, warning_host

_E_HINT = re.compile(r"(?:^|[^a-z])(?:exp(?:wy|ressway)?-?e|vcs-?e|edge)(?:[^a-z]|$)")
_C_HINT = re.compile(r"(?:^|[^a-z])(?:exp(?:wy|ressway)?-?c|vcs-?c|core)(?:[^a-z]|$)")
_PHONES = ("cisco-cp", "cisco-ce", "cisco-tc", "cisco-jabber", "cisco-uc", "cisco-ip", "cisco-dx", "cisco-roomos")
CHAIN = (WEBEX, EXPE, EXPC, UCM)        # left to right, as an inbound call flows


def traversal(number: int) -> bool:
    """Expressway traversal server ports (7001 by default, 7003 in the Hybrid Call guides)."""
    return 7001 <= number <= 7099


def name_hint(host: str) -> int:
    """+1 when the host name reads like an Expressway-E, -1 like an Expressway-C, 0 when it says neither."""
    name = host.lower()
    return (1 if _E_HINT.search(name) else 0) - (1 if _C_HINT.search(name) else 0)


def content_role(rec: SipRecord) -> str | None:
    """The sender's role from the message itself: User-Agent/Server, a Webex Contact, the top Via of a request."""
    ua = rec.user_agent
    if "l2sip" in ua:
        return WEBEX
    if "cucm" in ua:
        return UCM
    if "tandberg" in ua or "expressway" in ua:
        return _expressway_side(rec)
    if ua.startswith(_PHONES):
        return OTHER
    contact = rec.headers.get("contact", "").lower()
    if "l2sip" in contact or "wbx2.com" in contact:
        return WEBEX
    warning = rec.headers.get("warning", "")
    if rec.code and warning:
        # the Expressway that refused a call names itself: traversal port or 5062 on the E, "Policy Response"
        number = address(warning.split()[1])[1] if len(warning.split()) > 1 else 0
        if number == 5062 or traversal(number):
            return EXPE
        if "policy response" in warning.lower():
            return EXPRESSWAY
    if rec.code == 0:
        host, _, params = top_via(rec.headers.get("via", ""))
        if is_webex_host(host):
            return WEBEX
        if "egress-zone=" in params:
            return _expressway_side(rec)
    return None


def _expressway_side(rec: SipRecord) -> str:
    if rec.code:
        return EXPRESSWAY
    _, number, params = top_via(rec.headers.get("via", ""))
    if number == 5062 or traversal(number):
        return EXPE
    return EXPC if "egress-zone=" in params else EXPRESSWAY


class Roles:
    """Roles of the logging hosts and of every address the evidence shows."""

    def __init__(self, evidence: Evidence) -> None:
        self.host_role: dict[str, str] = {}
        self.ip_host: dict[str, str] = {}
        self.webex_ips: set[str] = set()
        self.ucm_ips: set[str] = set()
        self.wire_role: dict[str, str] = {}
        self._hosts(evidence)
        self._wire(evidence)

    # ---------------------------------------------------------------- learning
    def _hosts(self, evidence: Evidence) -> None:
        votes: dict[str, list[int]] = defaultdict(lambda: [0, 0])       # [Expressway-E, Expressway-C]
        self.webex_ips.update(ip for ip, name in evidence.names.items() if is_webex_host(name))
        for rec in evidence.sip:
            if rec.source != EXPRESSWAY_LOG or not rec.host:
                continue
            local_ip, local_port, peer_ip, peer_port = _sides(rec)
            if local_ip:
                self.ip_host.setdefault(local_ip, rec.host)
            vote = votes[rec.host]
            if 5062 in (local_port, peer_port):
                vote[0] += 3
                self.webex_ips.add(peer_ip)
            if traversal(local_port):
                vote[0] += 2
            if traversal(peer_port):
                vote[1] += 2
            if rec.action == "received":
                if "cucm" in rec.user_agent:
                    vote[1] += 3
                    self.ucm_ips.add(peer_ip)
                elif "l2sip" in rec.user_agent:
                    vote[0] += 3
                    self.webex_ips.add(peer_ip)
        for ev in evidence.events:
            if not ev.host:
                continue
            votes[ev.host]                                              # every logging host gets a role
            if 5062 in (ev.src_port, ev.dst_port) or ev.dst_ip in self.webex_ips:
                votes[ev.host][0] += 3
            elif ev.name == "Call Attempted" and traversal(ev.src_port):
                votes[ev.host][1] += 2
        for host, (e, c) in votes.items():
            hint = name_hint(host)
            e, c = e + max(hint, 0), c + max(-hint, 0)
            self.host_role[host] = EXPE if e > c else EXPC if c > e else EXPRESSWAY
        taken = set(self.host_role.values())
        undecided = [h for h, role in self.host_role.items() if role == EXPRESSWAY]
        if len(undecided) == 1 and len(taken & {EXPE, EXPC}) == 1:
            self.host_role[undecided[0]] = EXPC if EXPE in taken else EXPE
        self.webex_ips -= self.ip_host.keys()
        self.ucm_ips -= self.ip_host.keys()

    def _wire(self, evidence: Evidence) -> None:
        """Roles of capture addresses, voted from what each address sends and the traversal port it uses."""
        votes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        peers: dict[str, set[str]] = defaultdict(set)
        for rec in evidence.sip:
            if rec.source not in (WIRE, UCM_TRACE):
                continue
            if rec.source == UCM_TRACE:
                peer = rec.src_ip or rec.dst_ip
                if rec.action == "received" and "tandberg" in rec.user_agent:
                    votes[peer][EXPC] += 3
                continue
            peers[rec.src_ip].add(rec.dst_ip)
            peers[rec.dst_ip].add(rec.src_ip)
            said = content_role(rec)
            if said:
                votes[rec.src_ip][said] += 3
            if traversal(rec.src_port) or traversal(rec.dst_port):
                server, client = (rec.src_ip, rec.dst_ip) if traversal(rec.src_port) else (rec.dst_ip, rec.src_ip)
                votes[server][EXPE] += 2
                votes[client][EXPC] += 2
        for ip, tally in votes.items():
            if ip and ip not in self.ip_host:
                self.wire_role[ip] = max(tally, key=tally.__getitem__)
        for ip, role in list(self.wire_role.items()):
            if role == EXPRESSWAY:
                near = {self.wire_role.get(p) for p in peers[ip]}
                self.wire_role[ip] = EXPE if WEBEX in near else EXPC if UCM in near else EXPRESSWAY

    # ---------------------------------------------------------------- lookup
    def ip_role(self, ip: str) -> str | None:
        if ip in self.ip_host:
            return self.host_role.get(self.ip_host[ip], EXPRESSWAY)
        if ip in self.webex_ips:
            return WEBEX
        if ip in self.ucm_ips:
            return UCM
        return self.wire_role.get(ip)

    def resolve(self, rec: SipRecord) -> None:
        """Set sender/receiver (elements) of an Expressway, Unified CM or capture record; pastes wait."""
        if rec.source == EXPRESSWAY_LOG:
            me = self.host_role.get(rec.host, EXPRESSWAY)
            local_ip, local_port, peer_ip, peer_port = _sides(rec)
            peer = self._peer(rec, me, local_ip, local_port, peer_ip, peer_port)
            mine = (Element(me), rec.host.lstrip("@"))
            theirs = (peer, self.ip_host.get(peer_ip, peer_ip).lstrip("@")) if peer is not None else mine
            first, second = (theirs, mine) if rec.action == "received" else (mine, theirs)
        elif rec.source == UCM_TRACE:
            peer_ip = rec.src_ip or rec.dst_ip
            role = self.ip_role(peer_ip) or OTHER
            peer = Element(role, peer_ip if role == OTHER else "")
            mine, theirs = (Element(UCM), ""), (peer, self.ip_host.get(peer_ip, peer_ip).lstrip("@"))
            first, second = (theirs, mine) if rec.action == "received" else (mine, theirs)
        elif rec.source == WIRE:
            first, second = self._wire_element(rec.src_ip), self._wire_element(rec.dst_ip)
        else:
            return
        (rec.sender, rec.sender_name), (rec.receiver, rec.receiver_name) = first, second

    def element(self, ip: str, name_if_other: bool = True) -> Element:
        role = self.ip_role(ip) or OTHER
        return Element(role, ip if role == OTHER and name_if_other else "")

    def peer_of_event(self, host: str, peer_ip: str, peer_port: int) -> Element:
        """The far side of an Expressway event (Src-ip of a Call Attempted, for instance)."""
        me = self.host_role.get(host, EXPRESSWAY)
        role = self.ip_role(peer_ip)
        if role is None:
            if peer_port == 5062:
                role = WEBEX
            elif traversal(peer_port):
                role = EXPE
            else:
                role = UCM if me == EXPC else OTHER
        return Element(role, peer_ip if role == OTHER else "")

    def _peer(self, rec: SipRecord, me: str, local_ip: str, local_port: int, peer_ip: str,
              peer_port: int) -> Element | None:
        if not peer_ip or peer_ip == local_ip or peer_ip.startswith("127.") or self.ip_host.get(peer_ip) == rec.host:
            return None                     # a hop inside one Expressway (proxy to B2BUA): not a lane change
        known = self.ip_host.get(peer_ip)
        if known:
            return Element(self.host_role.get(known, EXPRESSWAY))
        ua = rec.user_agent if rec.action == "received" else ""
        if peer_ip in self.webex_ips or 5062 in (local_port, peer_port) or "l2sip" in ua:
            return Element(WEBEX)
        if traversal(local_port):
            return Element(EXPC)
        if traversal(peer_port):
            return Element(EXPE)
        if me == EXPE and "cucm" in ua:
            return Element(EXPC)          # Unified CM reaches the Expressway-E only through the Expressway-C
        if "cucm" in ua or peer_ip in self.ucm_ips or me == EXPC:
            return Element(UCM)           # an Expressway-C's other neighbours here are Unified CM nodes
        return Element(OTHER, peer_ip)

    def _wire_element(self, ip: str) -> tuple[Element, str]:
        return self.element(ip), self.ip_host.get(ip, ip).lstrip("@")

    # ---------------------------------------------------------------- pastes
    def resolve_pastes(self, records: list[SipRecord], inbound: bool, refuser: str | None = None) -> None:
        """Bare SIP messages: a request goes from its sender (User-Agent, Via) to the next element on the way to
        the callee; a response retraces the latest request of its CSeq, else it goes back to its top Via.
        `refuser` is the Expressway whose events say it refused the call: the sender of an anonymous error."""
        for k, rec in enumerate(records):
            if rec.source != PASTE or rec.sender is not None:
                continue
            via_host, via_port, params = top_via(rec.headers.get("via", ""))
            if rec.code == 0:
                origin = self.ip_role(via_host) or content_role(rec) or (WEBEX if inbound else UCM)
                self._set(rec, origin, _next(origin, _toward_right(origin, via_port, params, inbound)), via_host, "")
                continue
            request = _matching_request(records, k)
            if request is not None:
                rec.sender, rec.receiver = request.receiver, request.sender
                rec.sender_name, rec.receiver_name = request.receiver_name, request.sender_name
                continue
            warned = warning_host(rec.headers.get("warning", ""))
            sender = self.ip_role(warned) or content_role(rec)
            receiver = self.ip_role(via_host) or (WEBEX if is_webex_host(via_host) else None)
            if sender is None and rec.code >= 300 and refuser:
                sender = refuser
            if sender is None and receiver is None:
                sender = UCM if inbound else WEBEX
            if receiver is None:
                receiver = _next(sender, not inbound)
            if sender is None:
                sender = _next(receiver, inbound)
            self._set(rec, sender, receiver, warned, via_host)

    @staticmethod
    def _set(rec: SipRecord, sender: str, receiver: str, sender_name: str, receiver_name: str) -> None:
        rec.sender = Element(sender, sender_name if sender == OTHER else "")
        rec.receiver = Element(receiver, receiver_name if receiver == OTHER else "")
        rec.sender_name, rec.receiver_name = sender_name, receiver_name


def _sides(rec: SipRecord) -> tuple[str, int, str, int]:
    """(local ip, local port, peer ip, peer port) of an Expressway record."""
    if rec.action == "received":
        return rec.dst_ip, rec.dst_port, rec.src_ip, rec.src_port
    return rec.src_ip, rec.src_port, rec.dst_ip, rec.dst_port


def _toward_right(sender: str, via_port: int, params: str, inbound: bool) -> bool:
    """Whether a request flows left to right (Webex towards Unified CM) on the ladder."""
    if sender == WEBEX:
        return True
    if sender in (UCM, OTHER):
        return False
    zone = params.lower()
    if sender == EXPE and via_port:
        return traversal(via_port)                       # 7003 towards the Expressway-C, 5062 towards Webex
    if sender == EXPC and "egress-zone=" in zone:
        return "travers" not in zone                      # the traversal zone leads to the Expressway-E
    return inbound


def _next(role: str | None, rightwards: bool) -> str:
    """The neighbour of a role on the ladder; a phone talks to Unified CM whichever way."""
    if role == OTHER:
        return UCM
    chain = CHAIN if role in CHAIN else (WEBEX, EXPRESSWAY, UCM)
    if role not in chain:
        return OTHER
    at = chain.index(role) + (1 if rightwards else -1)
    if at >= len(chain):
        return OTHER
    return chain[at] if at >= 0 else chain[1]


def _matching_request(records: list[SipRecord], k: int, lookback: int = 64) -> SipRecord | None:
    """The latest request of the response's CSeq among the few records before it (bounded: a paste of
    thousands of bare messages stays linear)."""
    number, method = records[k].cseq
    for j in range(k - 1, max(-1, k - 1 - lookback), -1):
        rec = records[j]
        if rec.code == 0 and rec.sender is not None and (rec.cseq == (number, method) or not number):
            return rec
    return None
