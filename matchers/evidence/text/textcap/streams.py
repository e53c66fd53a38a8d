"""Packets read from text grouped into TCP streams, each with its client and server and which side is Webex
and which the Expressway-E (as `pcap_streams._tell_sides` does for a .pcap, plus what text needs when no
certificate is in sight)."""
from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field

from .packet import SERVICE_PORTS, ListedPacket

MAX_STREAMS = 2000
EXPRESSWAY_OUTBOUND_PORTS = range(25000, 30000)   # the Expressway's source ports for outbound SIP TCP/TLS
_PRIVATE = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
                                                   "100.64.0.0/10", "fc00::/7"))

Endpoint = tuple[str, int | None]


@dataclass
class TextStream:
    id: int
    section: int
    ends: tuple[Endpoint, Endpoint]
    packets: list[ListedPacket] = field(default_factory=list)
    client: Endpoint = ("", None)
    server: Endpoint = ("", None)
    webex: str = ""            # client or server
    expressway: str = ""
    side_basis: str = ""       # certificate, address, private address, port range, port

    @property
    def port(self) -> int | None:
        return self.server[1]

    @property
    def closed(self) -> bool:
        return any(p.flags & {"rst", "fin"} for p in self.packets)

    def from_client(self, p: ListedPacket) -> bool:
        if self.client[1] is not None and p.sport is not None:
            return (p.src, p.sport) == self.client
        return p.src == self.client[0]

    def endpoint(self, client: bool) -> str:
        host, port = self.client if client else self.server
        if not host:
            return ""
        if port is None:
            return host
        return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"

    def side_name(self, client: bool) -> str:
        role = "client" if client else "server"
        return "Webex" if role == self.webex else ("Expressway-E" if role == self.expressway else "")

    def describe_side(self, client: bool) -> str:
        name = self.side_name(client)
        where = self.endpoint(client)
        if not where and not name:
            return ""
        text = ("client" if client else "server") + (f" {where}" if where else "")
        return text + (f" ({name})" if name else "")


def group(packets: list[ListedPacket]) -> list[TextStream]:
    """Streams in order of their first packet. A packet without ports (a TLS row of a list with no port
    columns) joins the latest stream between the same two addresses."""
    streams: list[TextStream] = []
    by_ends: dict[tuple[int, frozenset[Endpoint]], TextStream] = {}
    by_pair: dict[tuple[int, frozenset[str]], TextStream] = {}
    by_index: dict[tuple[int, str], TextStream] = {}
    for p in packets:
        pair = (p.section, frozenset((p.src, p.dst)))
        stream = by_index.get((p.section, p.stream)) if p.stream else None
        if stream is None and p.sport is not None and p.dport is not None:
            ends = (p.section, frozenset(((p.src, p.sport), (p.dst, p.dport))))
            stream = by_ends.get(ends)
            if stream is not None and p.syn_only and stream.closed:
                stream = None          # the port pair is reused by a new connection
            if stream is None:
                loose = by_pair.get(pair)
                if loose is not None and all(q.sport is None for q in loose.packets):
                    stream = loose     # rows without ports came first; this stream is theirs
                else:
                    stream = _new(streams, p, ((p.src, p.sport), (p.dst, p.dport)))
            if stream is None:
                continue
            stream.ends = ((p.src, p.sport), (p.dst, p.dport))
            by_ends[ends] = stream
        elif stream is None:
            stream = by_pair.get(pair) or _new(streams, p, ((p.src, None), (p.dst, None)))
            if stream is None:
                continue
        stream.packets.append(p)
        by_pair[pair] = stream
        if p.stream:
            by_index[(p.section, p.stream)] = stream
    for stream in streams:
        _roles(stream)
        _fill_ports(stream)
    tell_sides(streams)
    return streams


def _new(streams: list[TextStream], p: ListedPacket, ends: tuple[Endpoint, Endpoint]) -> TextStream | None:
    if len(streams) >= MAX_STREAMS:
        return None
    stream = TextStream(len(streams) + 1, p.section, ends)
    streams.append(stream)
    return stream


def _roles(s: TextStream) -> None:
    """Client and server: the SYN's sender, the SYN-ACK's receiver, the side not on a service port, the Client
    Hello's sender, the Server Hello's receiver, the higher port; else the first packet's sender."""
    a, b = s.ends
    first = s.packets[0]
    client: Endpoint | None = None
    for p in s.packets:
        if p.syn_only:
            client = (p.src, p.sport)
        elif p.synack:
            client = (p.dst, p.dport)
        if client:
            break
    if client is None:
        ports = (a[1], b[1])
        if ports[0] in SERVICE_PORTS and ports[1] not in SERVICE_PORTS:
            client = b
        elif ports[1] in SERVICE_PORTS and ports[0] not in SERVICE_PORTS:
            client = a
    if client is None:
        for p in s.packets:
            if "Client Hello" in p.tls:
                client = (p.src, p.sport)
            elif "Server Hello" in p.tls or "Certificate Request" in p.tls:
                client = (p.dst, p.dport)
            if client:
                break
    if client is None and a[1] is not None and b[1] is not None:
        client = a if a[1] > b[1] else b
    if client is None:
        client = (first.src, first.sport)
    if client[0] == a[0] and client[1] in (a[1], None):
        s.client, s.server = a, b
    else:
        s.client, s.server = b, a


def _fill_ports(s: TextStream) -> None:
    """Rows shown without ports take them from their stream, so every packet reads alike."""
    by_host = {s.client[0]: s.client[1], s.server[0]: s.server[1]}
    if None in by_host.values() or len(by_host) < 2:
        return
    for p in s.packets:
        if p.sport is None and p.dport is None:
            p.sport, p.dport = by_host.get(p.src), by_host.get(p.dst)


def tell_sides(streams: list[TextStream]) -> None:
    """The side presenting a *.ciscospark.com / *.webex.com / *.wbx2.com certificate is Webex, the other the
    Expressway-E; on 5062 a side presenting another certificate is the Expressway-E. Addresses learnt so carry
    over to the other streams. Without certificates, on 5062: the one private (RFC 1918) side is the
    Expressway-E; a client on the Expressway's outbound ports 25000-29999 is the Expressway-E calling Webex;
    else the listener is the Expressway-E (a call from Webex, the usual capture)."""
    roles: dict[str, str] = {}
    for s in streams:
        if _by_certificate(s):
            for client, (host, _) in ((True, s.client), (False, s.server)):
                if host:
                    roles.setdefault(host, s.side_name(client))
    for s in streams:
        if s.webex or s.port not in (5062, None) or not s.client[0]:
            continue
        client_role, server_role = roles.get(s.client[0], ""), roles.get(s.server[0], "")
        if client_role or server_role:
            webex_is_client = client_role == "Webex" or server_role == "Expressway-E"
            _set(s, webex_is_client, "address")
        elif s.port == 5062:
            _by_port(s)


def _by_certificate(s: TextStream) -> bool:
    senders = [(s.from_client(p), m) for p in s.packets for m in p.certificates if m.leaf is not None]
    for from_client, message in senders:
        if message.leaf is not None and message.leaf.webex:
            _set(s, from_client, "certificate")
            return True
    if s.port in (5062, None):
        for from_client, _ in senders:
            _set(s, not from_client, "certificate")
            return True
    return False


def _by_port(s: TextStream) -> None:
    client_private, server_private = _private(s.client[0]), _private(s.server[0])
    if client_private != server_private:
        _set(s, server_private, "private address")
    elif s.client[1] in EXPRESSWAY_OUTBOUND_PORTS:
        _set(s, False, "port range")
    else:
        _set(s, True, "port")


def _set(s: TextStream, webex_is_client: bool, basis: str) -> None:
    s.webex, s.expressway = ("client", "server") if webex_is_client else ("server", "client")
    s.side_basis = basis


def _private(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in net for net in _PRIVATE if net.version == address.version)
