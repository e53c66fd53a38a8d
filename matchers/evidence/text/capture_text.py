"""Capture text in every common form -> the per-stream facts a .pcap gives (`capture.summary._facts`).

Forms: the Wireshark packet list (any columns and order, header or not, tabs or aligned spaces, tshark's
one-line output), the Wireshark packet details pane / Export Packet Dissections / `tshark -V`, `tcpdump -nn`
with and without -v/-vv, and Cisco ASA/FTD `show capture NAME` (several interfaces pasted together). Each is
read into `textcap.packet.ListedPacket`, the packets grouped into TCP streams with their Webex and
Expressway-E sides, and the facts derived per stream: SYN answered by RST or never answered (and in which
direction), TLS alerts and their sender, the Expressway-E's Certificate message, and a firewall seen
dropping the SYNs (a capture outside it with the SYNs, one inside it without).

Pure and bounded: only the lines holding a trigger are read (and, for a list row, the 40 lines above it for
its header), at most MAX_LINES of them; damaged text is skipped, never raised on.

>>> text = '''capture outside:
... 2 packets captured
...    1: 10:14:07.388921 203.0.113.73.39114 > 198.51.100.20.5062: S 2716211883:2716211883(0) win 29200
...    2: 10:14:08.391005 203.0.113.73.39114 > 198.51.100.20.5062: S 2716211883:2716211883(0) win 29200
... 2 packets shown
... capture inside:
... 0 packet captured
... 0 packet shown'''.splitlines()
>>> [(f.name, f.value) for f in extract(text, range(len(text)))]
[('syn_unanswered', '5062'), ('syn_unanswered_inbound', '5062'), ('firewall_drops_syn', 'inbound')]
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model import Extractor, Fact, FactSet, Hits
from .textcap.derive import firewall_facts, stream_facts
from .textcap.details import DetailReader
from .textcap.dumps import parse_dump
from .textcap.listing import Header, parse_header, parse_row
from .textcap.packet import ListedPacket, read_form
from .textcap.sections import Section, Sections
from .textcap.streams import TextStream, group

if TYPE_CHECKING:
    from ...document import Document

MAX_LINES = 50_000          # trigger lines read; the prefilter already keeps 200 per trigger
MAX_LINE_CHARS = 4000       # a certificate summary is long, a hex dump line longer still
HEADER_LOOKBACK = 40

TRIGGERS: tuple[str, ...] = (
    # packet list rows on the Hybrid Call ports (Info "41706 → 5062 [SYN]"; OCR reads the arrow as "-"), and,
    # for rows whose arrow OCR lost, the flags and the fields of a SYN or a RST
    "→ 5062", "5062 →", "-> 5062", "5062 ->", "> 5062", "5062 >", "- 5062", "5062 -",
    "→ 5061", "5061 →", "-> 5061", "5061 ->", "> 5061", "5061 >", "- 5061", "5061 -",
    "[SYN, ACK]", "[RST, ACK]", "[FIN, ACK]", "[PSH, ACK]", "Seq=0 Win=", "Win=0 Len=0", "Retransmission",
    # list rows of TLS records carry no ports: their protocol column and Info labels
    "TLSv1", "SSLv3", "Client Hello", "Server Hello", "Certificate Request", "Client Key Exchange",
    "Change Cipher Spec", "Encrypted Handshake", "Application Data", "Alert (Level", "Encrypted Alert",
    # tcpdump and ASA/FTD lines: address.port on the Hybrid Call ports; tcpdump's flags
    ".5062:", ".5062 >", ".5061:", ".5061 >", "Flags [", "Drop-reason",
    # the details pane and tshark -V
    "bytes on wire", "Internet Protocol Version", "Source Address", "Destination Address",
    "Transmission Control Protocol", "Src Port:", "Source Port:", "Destination Port:", "Flags: 0x",
    "Stream index", "Record Layer", "Handshake Protocol", "escription:",   # "escription": OCR reads D as p
    "Certificates Length", "Certificates (", "Certificate Length", "id-at-commonName", "rdnSequence", "dNSName",
    "Temporary CA", "Temporary Certificate",
    # which capture: ASA/FTD show capture, tcpdump runs, headings naming the interface
    "show capture", "raw-data", "packet captured", "packets captured", "packet shown", "packets shown",
    "tcpdump", "listening on", "capture outside", "capture inside", "outside capture", "inside capture",
    "interface outside", "interface inside", "outside interface", "inside interface",
)

FACTS: dict[str, str] = {
    "syn_unanswered_inbound": "Webex's SYNs to the Expressway-E on 5062 get no SYN-ACK and no RST in a capture "
                              "(value: port)",
    "syn_unanswered_outbound": "the Expressway-E's SYNs to Webex on 5062 get no SYN-ACK and no RST in a capture "
                               "(value: port)",
    "firewall_drops_syn": "SYNs to 5062 captured on one side of a firewall and absent (0 packets) on the other, "
                          "or an ASA asp-drop capture dropping them (value: inbound, outbound or unknown)",
}


@dataclass
class CaptureText:
    packets: list[ListedPacket] = field(default_factory=list)
    streams: list[TextStream] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)      # the lines read as part of a capture


def extract(lines: Sequence[str], hit_lines: Sequence[int]) -> list[Fact]:
    return read(lines, hit_lines).facts


def read(lines: Sequence[str], hit_lines: Sequence[int]) -> CaptureText:
    out = CaptureText()
    sections = Sections()
    details = DetailReader(sections.packet)
    header: Header | None = None
    scanned = -1                      # the list header is looked for above each row, each line once
    for i in sorted(set(hit_lines))[:MAX_LINES]:
        if not 0 <= i < len(lines):
            continue
        raw = lines[i][:MAX_LINE_CHARS]
        try:
            text = read_form(raw)
            p = parse_dump(text, i, read_form(lines[i - 1][:200]) if i and ">" in text else "")
            if p is None:
                for j in range(max(scanned + 1, i - HEADER_LOOKBACK), i + 1):   # a row never reads as one
                    header = parse_header(lines[j][:MAX_LINE_CHARS]) or header
                scanned = i
                p = parse_row(raw, text, i, header)
            if p is not None:
                details.close()
                p.section = sections.packet()
                out.packets.append(p)
                out.lines.add(i)
            elif sections.feed(text, i):
                details.close()
                out.lines.add(i)
            elif details.feed(text, i):
                out.lines.add(i)
        except (ValueError, IndexError, KeyError, TypeError, AttributeError):
            continue                  # damaged beyond reading: the line is skipped
    out.packets = _merge(out.packets, details.finish())
    out.sections = sections.finish()
    out.streams = group(out.packets)
    by_id = {s.id: s for s in out.sections}
    for stream in out.streams:
        out.facts.extend(stream_facts(stream, by_id))
    out.facts.extend(firewall_facts(out.streams, by_id))
    return out


def _merge(rows: list[ListedPacket], frames: list[ListedPacket]) -> list[ListedPacket]:
    """Export Packet Dissections (and tshark -V -P) print each frame's list row above its details: the row
    and "Frame N:" are one packet, and the details say more."""
    detailed = {(f.section, f.number) for f in frames if f.number}
    kept = [p for p in rows if not (p.number and p.form == "list" and (p.section, p.number) in detailed)]
    return sorted(kept + frames, key=lambda p: p.line)


# ------------------------------------------------------------------ as an extractor (after packet_list's)
_SUBSUMED = frozenset({"syn_answered_by_rst", "syn_unanswered", "tls_alert", "cert_chain_leaf_only",
                       "cert_chain_full"})


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    """Per-stream facts with senders; on the lines it read they replace packet_list's line-by-line ones."""
    captured = read(doc.lines, hits["capture_text"])
    if captured.packets:
        out.kinds.add("capture")
    if captured.lines:
        out.facts = [f for f in out.facts if f.name not in _SUBSUMED or f.line not in captured.lines]
        out.facts.extend(captured.facts)


EXTRACTOR = Extractor(
    name="capture text in every form",
    triggers={"capture_text": TRIGGERS},
    facts=FACTS,
    kinds=("capture",),
    extract=_extract,
)
