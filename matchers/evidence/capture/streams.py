"""TCP streams of a capture: packets kept for the list, each direction's bytes reassembled, TLS records read,
and which side is Webex and which the Expressway-E."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

import dpkt

from ..certificate.describe import CertInfo, describe
from ..certificate.load import CERT_ERRORS, parse_der
from .tls_records import TlsEvent, parse_direction

MAX_STREAMS = 2000
MAX_STREAM_BYTES = 512 * 1024      # per direction
MAX_SEGMENTS = 4000                # per direction
SYN, ACK, FIN, RST = dpkt.tcp.TH_SYN, dpkt.tcp.TH_ACK, dpkt.tcp.TH_FIN, dpkt.tcp.TH_RST
MOD = 2 ** 32


@dataclass
class Packet:
    frame: int
    time: float
    length: int
    src: str
    dst: str
    sport: int
    dport: int
    flags: int
    seq: int
    ack: int
    payload: int
    from_client: bool
    retransmission: bool = False


@dataclass
class Flow:
    """One direction: segments by sequence number, then the reassembled bytes and the frame of each byte."""

    base: int | None = None
    segments: list[tuple[int, int, bytes]] = field(default_factory=list)   # (relative seq, frame, data)
    kept: int = 0
    data: bytes = b""
    starts: list[int] = field(default_factory=list)
    frames: list[int] = field(default_factory=list)
    gap: bool = False

    def add(self, seq: int, frame: int, data: bytes) -> None:
        if self.base is None:
            self.base = seq
        rel = (seq - self.base) % MOD
        if rel >= MOD // 2 or self.kept >= MAX_STREAM_BYTES or len(self.segments) >= MAX_SEGMENTS:
            return
        self.segments.append((rel, frame, data))
        self.kept += len(data)

    def assemble(self) -> None:
        out = bytearray()
        for rel, frame, data in sorted(self.segments, key=lambda s: (s[0], s[1])):
            if rel > len(out):
                self.gap = True
                break
            if rel + len(data) <= len(out):
                continue
            self.starts.append(len(out))
            self.frames.append(frame)
            out += data[len(out) - rel:]
            if len(out) >= MAX_STREAM_BYTES:
                break
        self.data = bytes(out[:MAX_STREAM_BYTES])

    def frame_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.frames[max(i, 0)] if self.frames else 0


@dataclass
class TlsItem:
    frame: int
    from_client: bool
    event: TlsEvent
    certificates: list[CertInfo] = field(default_factory=list)


@dataclass
class Stream:
    id: int
    client: tuple[str, int]
    server: tuple[str, int]
    port: int
    packets: list[Packet] = field(default_factory=list)
    flows: tuple[Flow, Flow] = field(default_factory=lambda: (Flow(), Flow()))   # client->server, server->client
    tls: list[TlsItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    closed: bool = False
    webex: str = ""            # "client" or "server": the side that presented a Webex certificate
    expressway: str = ""       # "client" or "server"
    side_basis: str = ""       # how the Expressway-E side was told: certificate or port
    version: str = ""

    def endpoint(self, from_client: bool) -> str:
        host, port = self.client if from_client else self.server
        return f"{host}:{port}" if ":" not in host else f"[{host}]:{port}"

    def side_name(self, from_client: bool) -> str:
        role = "client" if from_client else "server"
        if role == self.webex:
            return "Webex"
        if role == self.expressway:
            return "Expressway-E"
        return ""

    def describe_side(self, from_client: bool) -> str:
        name = self.side_name(from_client)
        role = "client" if from_client else "server"
        return f"{role} {self.endpoint(from_client)}" + (f" ({name})" if name else "")

    @property
    def syns(self) -> list[Packet]:
        return [p for p in self.packets if p.from_client and p.flags & SYN and not p.flags & ACK]

    @property
    def synacks(self) -> list[Packet]:
        return [p for p in self.packets if not p.from_client and p.flags & SYN and p.flags & ACK]

    @property
    def resets(self) -> list[Packet]:
        return [p for p in self.packets if p.flags & RST]



class StreamTable:
    def __init__(self, ports: tuple[int, ...]) -> None:
        self.ports = ports
        self.open: dict[tuple[tuple[str, int], tuple[str, int]], Stream] = {}
        self.streams: list[Stream] = []
        self.dropped = 0
        self.notes: list[str] = []

    def add(self, frame: int, time: float, length: int, src: str, dst: str, tcp: dpkt.tcp.TCP) -> None:
        sport, dport = tcp.sport, tcp.dport
        if sport not in self.ports and dport not in self.ports:
            return
        a, b = (src, sport), (dst, dport)
        key = (a, b) if a <= b else (b, a)
        flags = tcp.flags
        stream = self.open.get(key)
        syn_only = bool(flags & SYN) and not flags & ACK
        if stream is not None and syn_only and stream.closed:
            stream = None   # the port pair is reused by a new connection
        if stream is None:
            if len(self.streams) >= MAX_STREAMS:
                self.dropped += 1
                return
            if syn_only or (dport in self.ports and sport not in self.ports):
                client, server = a, b
            elif flags & SYN or (sport in self.ports and dport not in self.ports):
                client, server = b, a
            else:
                client, server = (a, b) if dport <= sport else (b, a)
            stream = Stream(len(self.streams) + 1, client, server, server[1] if server[1] in self.ports else client[1])
            self.streams.append(stream)
            self.open[key] = stream
        from_client = a == stream.client
        data = bytes(tcp.data) if isinstance(tcp.data, bytes | bytearray) else b""
        retrans = syn_only and any(p.flags & SYN and not p.flags & ACK and p.seq == tcp.seq for p in stream.syns)
        stream.packets.append(Packet(frame, time, length, src, dst, sport, dport, flags, tcp.seq, tcp.ack,
                                     len(data), from_client, retrans))
        flow = stream.flows[0 if from_client else 1]
        if flags & SYN:
            flow.base = (tcp.seq + 1) % MOD
        if data:
            flow.add(tcp.seq, frame, data)
        if flags & (RST | FIN):
            stream.closed = True

    def finish(self) -> list[Stream]:
        if self.dropped:
            self.notes.append(f"more than {MAX_STREAMS} TCP streams: {self.dropped} packets of later streams "
                              "were not read")
        for stream in self.streams:
            _read_tls(stream)
            _tell_sides(stream)
        return self.streams


def _read_tls(stream: Stream) -> None:
    for from_client, flow in ((True, stream.flows[0]), (False, stream.flows[1])):
        flow.assemble()
        if not flow.data:
            continue
        events, notes = parse_direction(flow.data)
        if flow.gap:
            notes.append("bytes are missing (packets lost from the capture)")
        stream.notes.extend(f"{'client' if from_client else 'server'}: {n}" for n in notes)
        for event in events:
            item = TlsItem(flow.frame_at(max(event.end - 1, 0)), from_client, event)
            for n, der in enumerate(event.certificates, 1):
                cert = parse_der(der)
                try:
                    if cert is not None:
                        item.certificates.append(describe(cert, n))
                except CERT_ERRORS:
                    continue
            if event.version and (not stream.version or "Server Hello" in event.labels):
                stream.version = event.version
            stream.tls.append(item)
    stream.tls.sort(key=lambda t: (t.frame, not t.from_client))


def _tell_sides(stream: Stream) -> None:
    """The Webex side presents a *.ciscospark.com / *.webex.com / *.wbx2.com certificate; the Expressway-E is the
    other side. Without certificates, the listener on 5062 is taken to be the Expressway-E (a capture of calls
    from Webex, the usual one to take)."""
    for item in stream.tls:
        if item.certificates and item.certificates[0].role == "webex":
            stream.webex = "client" if item.from_client else "server"
            stream.expressway = "server" if item.from_client else "client"
            stream.side_basis = "certificate"
            return
    if stream.port != 5062:
        return
    for item in stream.tls:
        if item.certificates:
            stream.expressway = "client" if item.from_client else "server"
            stream.webex = "server" if item.from_client else "client"
            stream.side_basis = "certificate"
            return
    stream.expressway, stream.webex, stream.side_basis = "server", "client", "port"
