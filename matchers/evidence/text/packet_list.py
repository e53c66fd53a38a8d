"""Packet lists as pasted: Wireshark/tshark list and detail lines, tcpdump lines, TLS alerts (also OpenSSL's
wording in logs) and the certificate count of Certificate messages.

>>> p = parse_packet_line('212  0.000083  198.51.100.57  203.0.113.131  TCP  54  5062 → 34902 [RST, ACK] Seq=1 Ack=1')
>>> p.src, p.dst, p.sport, p.dport, sorted(p.flags)
('198.51.100.57', '203.0.113.131', '5062', '34902', ['ack', 'rst'])
>>> p = parse_packet_line('14:03:11.204518 IP 203.0.113.90.41236 > 198.51.100.15.5062: Flags [S], seq 3390441807')
>>> p.src, p.sport, p.dport, sorted(p.flags)
('203.0.113.90', '41236', '5062', ['syn'])
>>> alert_name('Alert (Level: Fatal, Description: Unknown ca)')
'unknown_ca'
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...normalize import clean_line
from ..model import Extractor, Fact, FactSet, Hits
from ..tls_alerts import BY_WORDING, OPENSSL_PHRASES

if TYPE_CHECKING:
    from ...document import Document

_IP = r"(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9a-f:]*:[0-9a-f:]+)"
_WS_LIST = re.compile(
    rf"^\s*\d+\s+[\d.]+\s+({_IP})\s+({_IP})\s+(\S+)\s+\d+\s+(.*)$"
)
_WS_PORTS = re.compile(r"(\d{2,5})\s*(?:→|->|>|â†’)\s*(\d{2,5})")
_WS_FLAGS = re.compile(r"\[([a-z, ]+)\]")
_TCPDUMP = re.compile(
    r"\bip6?\s+(\d{1,3}(?:\.\d{1,3}){3})\.(\d+)\s+>\s+(\d{1,3}(?:\.\d{1,3}){3})\.(\d+):\s+flags\s+\[([a-z.]+)\]"
)
_ASA = re.compile(  # firewall syslog, e.g. ASA "Deny tcp src outside:203.0.113.5/41000 dst inside:198.51.100.2/5062"
    r"deny\s+tcp\s+src\s+\S*?:?(\d{1,3}(?:\.\d{1,3}){3})/(\d+)\s+dst\s+\S*?:?(\d{1,3}(?:\.\d{1,3}){3})/(\d+)"
)
_ALERT = re.compile(r"alert\s*\(level:\s*(\w+),\s*description:\s*([a-z ]+?)\s*\)|description:\s*([a-z ]+?)\s*\(\d+\)")
_TCPDUMP_FLAGS = {"s": "syn", "r": "rst", "f": "fin", "p": "psh", ".": "ack"}


@dataclass(frozen=True)
class Packet:
    line: int
    src: str
    dst: str
    sport: str
    dport: str
    flags: frozenset[str]
    retransmission: bool = False


def parse_packet_line(raw: str, line: int = 0) -> Packet | None:
    text = clean_line(raw)
    m = _TCPDUMP.search(text)
    if m:
        flags = frozenset(_TCPDUMP_FLAGS[c] for c in m.group(5) if c in _TCPDUMP_FLAGS)
        return Packet(line, m.group(1), m.group(3), m.group(2), m.group(4), flags)
    m = _WS_LIST.match(text)
    if m:
        info = m.group(4)
        ports = _WS_PORTS.search(info)
        if not ports:
            return None
        named: set[str] = set()
        for group in _WS_FLAGS.findall(info):
            named.update(f.strip() for f in group.split(",") if f.strip() in {"syn", "ack", "rst", "fin", "psh"})
        return Packet(line, m.group(1), m.group(2), ports.group(1), ports.group(2), frozenset(named),
                      "retransmission" in info)
    return None


def alert_name(raw: str) -> str | None:
    m = _ALERT.search(clean_line(raw))
    if not m:
        return None
    desc = (m.group(2) or m.group(3) or "").strip()
    return BY_WORDING.get(desc, desc.replace(" ", "_") or None)


def tcp_facts(packets: list[Packet], ports: tuple[str, ...] = ("5062", "5061")) -> list[Fact]:
    """SYN answered by RST, and SYNs never answered, per service port."""
    facts: list[Fact] = []
    for port in ports:
        syns = [p for p in packets if p.dport == port and "syn" in p.flags and "ack" not in p.flags]
        if not syns:
            continue
        synacks = [p for p in packets if p.sport == port and {"syn", "ack"} <= p.flags]
        rsts = [p for p in packets if p.sport == port and "rst" in p.flags]
        first = syns[0]
        if rsts and not synacks:
            rst = rsts[0]
            facts.append(Fact("syn_answered_by_rst", port, rst.line,
                              {"port": port, "client": first.src, "server": rst.src}))
        elif not synacks and not rsts and (len(syns) > 1 or any(p.retransmission for p in syns)):
            facts.append(Fact("syn_unanswered", port, syns[-1].line,
                              {"port": port, "client": first.src, "server": first.dst,
                               "attempts": str(len(syns))}))
    return facts


def firewall_denies(raw: str, line: int) -> Packet | None:
    m = _ASA.search(clean_line(raw))
    if not m:
        return None
    return Packet(line, m.group(1), m.group(3), m.group(2), m.group(4), frozenset({"deny"}))


_CERTS_HEADER = re.compile(r"certificates length:?\s*\d|certificates \(\d+ bytes\)|certificate chain$")
_CERT_ITEM = re.compile(r"^(?:certificate:\s|\d+\s+s:)")
_CERT_LENGTH = re.compile(r"^certificate length:\s*\d+")
_CERT_SECTION_END = re.compile(r"handshake protocol:|record layer|^---$|server certificate|^frame \d+")


_TOTAL_LENGTH = re.compile(r"certificates (?:length:?\s*|\()(\d{3,5})")
LEAF_ONLY_MAX_BYTES = 2300   # one RSA-2048 server certificate with a few SANs is 1.2-2.2 KB
CHAIN_MIN_BYTES = 3000       # two or more certificates


def _estimate_from_length(header: str) -> int:
    """When OCR has eaten the certificate list, the total length still tells one from several."""
    m = _TOTAL_LENGTH.search(header)
    if not m:
        return 0
    total = int(m.group(1))
    return 1 if total <= LEAF_ONLY_MAX_BYTES else (2 if total >= CHAIN_MIN_BYTES else 0)


def certificate_chain_facts(lines: Sequence[str], header_indexes: Sequence[int]) -> list[Fact]:
    """Count certificates in each Certificate message (Wireshark detail) or s_client chain."""
    facts: list[Fact] = []
    seen: set[int] = set()
    for start in header_indexes:
        if start in seen:
            continue
        header = clean_line(lines[start])
        if not _CERTS_HEADER.search(header):
            continue
        count = lengths = 0
        last = start
        for j in range(start + 1, min(len(lines), start + 60)):
            text = clean_line(lines[j])
            seen.add(j)
            if not text:
                if count:
                    break
                continue
            if _CERT_SECTION_END.search(text) and j > start + 1:
                break
            if _CERT_ITEM.match(text):
                count += 1
                last = j
            elif _CERT_LENGTH.match(text):
                lengths += 1
                last = j
        count = max(count, lengths)  # Wireshark shows a length line and a body line per certificate
        if count == 0:
            count, last = _estimate_from_length(header), start
        if count == 1:
            facts.append(Fact("cert_chain_leaf_only", "1", last, {"certificates": "1"}))
        elif count >= 2:
            facts.append(Fact("cert_chain_full", str(count), last, {"certificates": str(count)}))
    return facts


def _alert_in_line(raw: str) -> str | None:
    name = alert_name(raw)
    if name is None:
        low = raw.lower()
        name = next((alert for phrase, alert in OPENSSL_PHRASES.items() if phrase in low), None)
    return name


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    lines = doc.lines
    packets = []
    for i in hits.get("packet", ()):
        p = parse_packet_line(lines[i], i) or firewall_denies(lines[i], i)
        if p:
            packets.append(p)
    if packets:
        out.kinds.add("capture")
        for fact in tcp_facts(packets):
            out.add(fact)
    for i in hits.get("alert", ()):
        name = _alert_in_line(lines[i])
        if name:
            out.add(Fact("tls_alert", name, i, {"alert": name}))
    for fact in certificate_chain_facts(lines, hits.get("certchain", ())):
        out.add(fact)


EXTRACTOR = Extractor(
    name="packet lists, TLS alerts and certificate chains in text",
    triggers={
        "packet": ("[SYN", "[RST", "Flags [", "Deny tcp"),
        "alert": ("Alert (Level", "Description:", "alert unknown ca", "alert certificate unknown",
                  "alert bad certificate", "alert handshake failure"),
        "certchain": ("Certificates Length", "Certificates (", "Certificate chain"),
    },
    facts={
        "tls_alert": 'Wireshark/tshark list or detail lines, openssl output (value: `unknown_ca`, '
                     '`certificate_unknown`, `bad_certificate`, `handshake_failure`, ...)',
        "cert_chain_leaf_only": 'a TLS Certificate message, `openssl s_client` chain, or a list holding one '
                                'certificate only',
        "cert_chain_full": 'a TLS Certificate message, `openssl s_client` chain, or a list holding two or more '
                           'certificates (value: number of certificates (>= 2))',
        "syn_answered_by_rst": 'a SYN to the port answered at once by RST (Wireshark list or tcpdump) (value: port)',
        "syn_unanswered": 'SYN retransmissions to the port with no SYN-ACK (Wireshark list or tcpdump) (value: port)',
    },
    kinds=("capture",),
    extract=_extract,
)
