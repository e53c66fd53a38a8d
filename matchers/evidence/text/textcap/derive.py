"""Facts from the streams of a capture text, named and valued as `pcap_text._facts` names them, plus the
direction of unanswered SYNs and a firewall seen dropping them."""
from __future__ import annotations

from ...model import Fact
from .packet import SERVICE_PORTS, ListedPacket
from .sections import Section
from .streams import TextStream

QUIET_ALERTS = ("close_notify", "user_canceled")   # the end of a healthy connection, as pcap_text has them


def stream_facts(s: TextStream, sections: dict[int, Section]) -> list[Fact]:
    facts: list[Fact] = []
    port = str(s.port) if s.port is not None else ""
    base = {"stream": str(s.id), "client": s.endpoint(True), "server": s.endpoint(False), "port": port,
            "form": s.packets[0].form}
    section = sections.get(s.section)
    if section is not None and section.name:
        base["capture"] = section.name
    if s.port in SERVICE_PORTS:
        facts.extend(_tcp_facts(s, base))
    for p in s.packets:
        # records copied without their frame cannot be told apart: their alerts have no sender
        sender = s.describe_side(s.from_client(p)) if s.client[0] else ""
        side = s.side_name(s.from_client(p)) if s.client[0] else ""
        for alert in p.alerts:
            if alert.name in QUIET_ALERTS:
                continue
            values = {**base, "alert": alert.name, "level": alert.level, "sender": sender}
            facts.append(Fact("tls_alert", alert.name, alert.line, values))
            if side == "Webex":
                facts.append(Fact("tls_alert_by_webex", alert.name, alert.line, values))
            elif side == "Expressway-E":
                facts.append(Fact("tls_alert_by_expressway", alert.name, alert.line, values))
    facts.extend(_chain_facts(s, base))
    return facts


def syns_of(s: TextStream) -> tuple[list[ListedPacket], bool]:
    """The client's SYNs, and whether they went unanswered (no SYN-ACK, no RST, and retried)."""
    syns = [p for p in s.packets if p.syn_only and s.from_client(p)]
    answered = any(p.synack and not s.from_client(p) for p in s.packets)
    reset = any("rst" in p.flags for p in s.packets)
    retried = len(syns) >= 2 or any(p.retransmission for p in syns)
    return syns, bool(syns) and retried and not answered and not reset


def _tcp_facts(s: TextStream, base: dict[str, str]) -> list[Fact]:
    port = str(s.port)
    syns, unanswered = syns_of(s)
    synack = any(p.synack and not s.from_client(p) for p in s.packets)
    server_rst = [p for p in s.packets if "rst" in p.flags and not s.from_client(p)]
    if syns and not synack and server_rst:
        rst = server_rst[0]
        return [Fact("syn_answered_by_rst", port, rst.line, {**base, "sender": s.describe_side(False)})]
    if not unanswered:
        return []
    values = {**base, "attempts": str(len(syns)), "sides_from": s.side_basis}
    facts = [Fact("syn_unanswered", port, syns[-1].line, values)]
    if s.port == 5062 and s.webex == "client":
        facts.append(Fact("syn_unanswered_inbound", port, syns[-1].line, values))
    elif s.port == 5062 and s.expressway == "client":
        facts.append(Fact("syn_unanswered_outbound", port, syns[-1].line, values))
    return facts


def _chain_facts(s: TextStream, base: dict[str, str]) -> list[Fact]:
    """The first Certificate message the Expressway-E sent: how many certificates, and the factory one."""
    for p in s.packets:
        client = s.from_client(p)
        if s.side_name(client) != "Expressway-E":
            continue
        for message in p.certificates:
            count = message.count
            if count == 0:
                continue
            leaf = message.leaf
            line = leaf.line if count == 1 and leaf is not None else message.line
            values = {**base, "sender": s.describe_side(client), "certificates": str(count),
                      "leaf": leaf.label if leaf else "", "side_from": s.side_basis}
            facts = [Fact("cert_chain_leaf_only" if count == 1 else "cert_chain_full", str(count), line, values)]
            # the leaf, or a "Temporary CA" sent with it: either way the factory certificate is in use
            factory = next((c for c in message.certs if c.factory), None)
            if factory is not None:
                facts.append(Fact("cert_expressway_temporary", "", factory.line,
                                  {**values, "issuer": factory.issuer.get("cn", "")}))
            return facts
    return []


def firewall_facts(streams: list[TextStream], sections: dict[int, Section]) -> list[Fact]:
    """SYNs to 5062 seen on one side of the firewall and not on the other (a capture outside it and an empty
    one inside, or the reverse for the Expressway-E calling out), or an ASA asp-drop capture dropping them."""
    facts: list[Fact] = []
    for s in streams:
        if s.port != 5062:
            continue
        syns, unanswered = syns_of(s)
        direction = "inbound" if s.webex == "client" else ("outbound" if s.expressway == "client" else "")
        dropped = next((p for p in syns if p.dropped), None)
        base = {"port": "5062", "client": s.endpoint(True), "server": s.endpoint(False), "stream": str(s.id)}
        if dropped is not None:
            facts.append(Fact("firewall_drops_syn", direction or "unknown", dropped.line,
                              {**base, "reason": dropped.dropped}))
            continue
        here = sections.get(s.section)
        if not unanswered or here is None or not direction:
            continue
        seen_at, missing_at = ("outside", "inside") if direction == "inbound" else ("inside", "outside")
        if here.place != seen_at:
            continue
        for other in sections.values():
            if other.place == missing_at and _lacks(other, s, streams):
                facts.append(Fact("firewall_drops_syn", direction, syns[-1].line,
                                  {**base, seen_at: here.name, missing_at: other.name or missing_at,
                                   "packets_" + missing_at: str(other.declared if other.declared is not None
                                                                else _count(other, streams))}))
                break
    return facts


def _lacks(section: Section, s: TextStream, streams: list[TextStream]) -> bool:
    """The capture shows nothing of that connection: it captured 0 packets, or none to the same port from the
    same client address (NAT changes the server's address, not the client's, for a call in)."""
    if section.declared == 0:
        return True
    if section.declared is None and section.packets == 0:
        return False       # a heading with nothing after it says nothing
    for other in streams:
        if other.section == section.id and other.port == s.port and (
                other.client[0] == s.client[0] or other.server[0] == s.server[0]):
            return False
    return True


def _count(section: Section, streams: list[TextStream]) -> int:
    return sum(len(s.packets) for s in streams if s.section == section.id)
