"""A capture's streams as text the engine reads (a summary line per stream, then a Wireshark-like list of the
packets that matter) and the facts, each pointing at its line."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Fact
from . import LIST_HEADER
from .streams import ACK, FIN, RST, SYN, Packet, Stream, TlsItem

MAX_LISTED_STREAMS = 100
MAX_LIST_LINES = 600
MAX_CERT_LINES = 6
QUIET_ALERTS = ("close_notify", "user_canceled")


@dataclass
class CaptureSummary:
    packets: int = 0
    link: str = ""
    format: str = ""
    streams: list[Stream] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)   # `line` indexes into `lines`
    notes: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def render(out: CaptureSummary, ports: tuple[int, ...]) -> tuple[list[str], list[Fact]]:
    """The summary's lines (a line per stream, notes, then the list) and the facts pointing at them."""
    streams = out.streams
    lines: list[str] = []
    facts: list[Fact] = []
    port_text = ", ".join(map(str, ports))
    lines.append(f"Packet capture: format={out.format} link={out.link} packets={out.packets} "
                 f"tcp_streams={len(streams)} (ports {port_text})")
    summary_line: dict[int, int] = {}
    for stream in streams[:MAX_LISTED_STREAMS]:
        summary_line[stream.id] = len(lines)
        lines.append(_summary(stream))
    rest = streams[MAX_LISTED_STREAMS:]
    if rest:
        summary_line.update({s.id: len(lines) for s in rest})
        lines.append(f"Streams {MAX_LISTED_STREAMS + 1}-{len(streams)}: count={len(rest)} "
                     f"not_summarised=limit of {MAX_LISTED_STREAMS} streams")
    for note in out.notes:
        lines.append(f"Capture note: scope=capture detail={note}")
    for stream in streams[:MAX_LISTED_STREAMS]:
        for note in stream.notes:
            lines.append(f"Capture note: stream={stream.id} detail={note}")
    if not streams:
        lines.append(f"Capture note: scope=capture detail=no TCP traffic on ports {port_text}")
        return lines, facts
    lines.append(LIST_HEADER)
    frame_line, cert_line = _listing(lines, streams)
    for stream in streams:
        facts.extend(_facts(stream, frame_line, cert_line, summary_line[stream.id]))
    return lines, facts


# ------------------------------------------------------------------ per-stream summary
def _summary(s: Stream) -> str:
    parts = [f"Stream {s.id}: client={s.describe_side(True).split(' ', 1)[1]} "
             f"server={s.describe_side(False).split(' ', 1)[1]}"]
    syns, synacks = s.syns, s.synacks
    server_rst = [p for p in s.resets if not p.from_client]
    if syns and not synacks and server_rst:
        parts.append(f"tcp=SYN answered by RST from the server (frame {server_rst[0].frame})")
    elif syns and not synacks:
        retrans = len(syns) - 1
        parts.append(f"tcp={len(syns)} SYN ({retrans} retransmissions), no SYN-ACK: never answered")
    elif synacks:
        parts.append("tcp=connected")
    else:
        parts.append("tcp=connection already open when the capture started")
    tls = _tls_summary(s)
    if tls:
        parts.append(f"tls={tls}")
    parts.append(f"end={_ending(s)}")
    return " ".join(parts)


def _tls_summary(s: Stream) -> str:
    bits: list[str] = []
    if s.version:
        bits.append(s.version)
    for item in s.tls:
        who = s.side_name(item.from_client) or ("client" if item.from_client else "server")
        if item.event.certificates:
            count = len(item.event.certificates)
            leaf = f", leaf {item.certificates[0].label} issued by {item.certificates[0].issuer_cn}" \
                if item.certificates else ""
            bits.append(f"{who} sent {count} certificate{'s' if count > 1 else ''}{leaf}")
        if item.event.kind == "alert":
            bits.append(f"{item.event.level} alert {item.event.alert_text} from {who} (frame {item.frame})")
        if item.event.tls13:
            bits.append("TLS 1.3: the certificates are encrypted and cannot be read from the capture")
    if s.tls and not any(t.event.kind == "alert" for t in s.tls) and any(
            t.event.kind == "application_data" for t in s.tls):
        bits.append("handshake completed (application data exchanged)")
    return "; ".join(bits)


def _ending(s: Stream) -> str:
    enders = [p for p in s.packets if p.flags & (RST | FIN)]
    if not enders:
        return "still open at the end of the capture"
    p = enders[0]
    who = s.describe_side(p.from_client)
    return f"{'reset' if p.flags & RST else 'closed'} by {who} ({'RST' if p.flags & RST else 'FIN'}, frame {p.frame})"


# ------------------------------------------------------------------ the list
def _flag_text(flags: int) -> str:
    names = [n for bit, n in ((FIN, "FIN"), (SYN, "SYN"), (RST, "RST"), (0x08, "PSH"), (ACK, "ACK")) if flags & bit]
    return ", ".join(names)


def _listed_packets(s: Stream) -> list[Packet]:
    tls_frames = {t.frame for t in s.tls}
    return [p for p in s.packets if p.flags & (SYN | RST | FIN) or p.frame in tls_frames]


def _listing(lines: list[str], streams: list[Stream]) -> tuple[dict[int, int], dict[tuple[int, int], int]]:
    """Wireshark-like lines; returns frame -> line, and (stream id, frame) -> first certificate detail line."""
    frame_line: dict[int, int] = {}
    cert_line: dict[tuple[int, int], int] = {}
    rows: list[tuple[int, Stream, Packet]] = []
    for s in streams:
        rows.extend((p.frame, s, p) for p in _listed_packets(s))
    rows.sort(key=lambda r: r[0])
    shown_app_data: set[tuple[int, bool]] = set()
    for n, (frame, s, p) in enumerate(rows):
        if len(lines) >= MAX_LIST_LINES + 50:
            lines.append(f"Capture note: scope=list detail={len(rows) - n} more packets not listed")
            break
        items = [t for t in s.tls if t.frame == frame and t.from_client == p.from_client]
        if items and all(t.event.kind == "application_data" for t in items):
            if (s.id, p.from_client) in shown_app_data and not p.flags & (RST | FIN | SYN):
                continue
            shown_app_data.add((s.id, p.from_client))
        frame_line.setdefault(frame, len(lines))
        lines.append(_packet_line(s, p, items))
        for item in items:
            if item.event.certificates:
                cert_line[(s.id, frame)] = len(lines)
                lines.extend(_certificate_lines(s, item))
    return frame_line, cert_line


def _packet_line(s: Stream, p: Packet, items: list[TlsItem]) -> str:
    head = f"{p.frame} {p.time:.6f} {p.src} {p.dst}"
    if items:
        labels = ", ".join(label for t in items for label in t.event.labels)
        version = next((t.event.version for t in items if t.event.version), "TLS")
        suffix = ""
        if any(t.event.kind in ("alert", "encrypted_alert") for t in items):
            suffix = f" [from {s.describe_side(p.from_client)}]"
        if p.flags & (RST | FIN):
            suffix += f" [{_flag_text(p.flags)}]"
        return f"{head} {version} {p.length} {labels}{suffix}"
    retrans = "[TCP Retransmission] " if p.retransmission else ""
    flow = s.flows[0 if p.from_client else 1]
    base = flow.base if flow.base is not None else p.seq
    seq = 0 if p.flags & SYN else (p.seq - base) % 2 ** 32
    return f"{head} TCP {p.length} {retrans}{p.sport} → {p.dport} [{_flag_text(p.flags)}] Seq={seq} Len={p.payload}"


def _certificate_lines(s: Stream, item: TlsItem) -> list[str]:
    who = s.describe_side(item.from_client)
    count = len(item.event.certificates)
    lines = [f"    Certificate message: sender={who} certificates={count}"]
    for info in item.certificates[:MAX_CERT_LINES]:
        sans = ", ".join(info.sans[:4]) + (" ..." if len(info.sans) > 4 else "") if info.sans else "none"
        comment = f", Netscape Comment: {info.netscape_comment}" if info.netscape_comment else ""
        lines.append(f"    Certificate {info.index} of {count}: subject {info.subject}, issuer {info.issuer}, "
                     f"SAN: {sans}{comment}".replace('"', "'"))
    return lines


# ------------------------------------------------------------------ facts
def _facts(s: Stream, frame_line: dict[int, int], cert_line: dict[tuple[int, int], int], summary: int) -> list[Fact]:
    facts: list[Fact] = []
    base = {"stream": str(s.id), "client": s.endpoint(True), "server": s.endpoint(False), "port": str(s.port)}
    syns, synacks = s.syns, s.synacks
    server_rst = [p for p in s.resets if not p.from_client]
    if syns and not synacks and server_rst:
        rst = server_rst[0]
        facts.append(Fact("syn_answered_by_rst", str(s.port), frame_line.get(rst.frame, summary),
                          {**base, "frame": str(rst.frame)}))
    elif len(syns) >= 2 and not synacks and not s.resets:
        facts.append(Fact("syn_unanswered", str(s.port), frame_line.get(syns[-1].frame, summary),
                          {**base, "attempts": str(len(syns))}))
    for item in s.tls:
        event = item.event
        line = frame_line.get(item.frame, summary)
        if event.kind == "alert" and event.alert not in QUIET_ALERTS:
            side = s.side_name(item.from_client)
            values = {**base, "alert": event.alert, "level": event.level, "frame": str(item.frame),
                      "sender": s.describe_side(item.from_client)}
            facts.append(Fact("tls_alert", event.alert, line, values))
            if side == "Webex":
                facts.append(Fact("tls_alert_by_webex", event.alert, line, values))
            elif side == "Expressway-E":
                facts.append(Fact("tls_alert_by_expressway", event.alert, line, values))
    facts.extend(_chain_facts(s, cert_line, summary))
    return facts


def _chain_facts(s: Stream, cert_line: dict[tuple[int, int], int], summary: int) -> list[Fact]:
    """The first Certificate message the Expressway-E sent: its length, and the factory certificate."""
    for item in s.tls:
        if not item.event.certificates or s.side_name(item.from_client) != "Expressway-E":
            continue
        line = cert_line.get((s.id, item.frame), summary)
        count = len(item.event.certificates)
        leaf = item.certificates[0].label if item.certificates else ""
        values = {"stream": str(s.id), "sender": s.describe_side(item.from_client), "certificates": str(count),
                  "leaf": leaf, "side_from": s.side_basis}
        facts = [Fact("cert_chain_leaf_only" if count == 1 else "cert_chain_full", str(count), line, values)]
        if item.certificates and item.certificates[0].factory:
            facts.append(Fact("cert_expressway_temporary", "", line + 1, {**values, "issuer": item.certificates[0]
                                                                          .issuer_cn}))
        return facts
    return []
