"""Expressway log records: `Key="value"` pairs, tolerant of lost or doubled quotes; TCP connection failures and
TLS handshake outcomes.

>>> r = parse_record('tvcs: Event="Inbound TLS Negotiation Error" Src-ip="203.0.113.5" Dst-port="5062" '
...                  'Detail="sslv3 alert certificate unknown"')
>>> r["event"], r["dst-port"], r["detail"]
('Inbound TLS Negotiation Error', '5062', 'sslv3 alert certificate unknown')
>>> parse_record('Detail=TCP Connection Failed Dst-port=""5061""')["dst-port"]
'5061'
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...normalize import clean_line, skeleton, to_nfkc
from ..model import Extractor, Fact, FactSet, Hits

if TYPE_CHECKING:
    from ...document import Document

_PAIR = re.compile(r'([A-Za-z][A-Za-z0-9_.-]{0,40})\s*=\s*(?:"+([^"]*)"+|(\S+))')


def parse_record(line: str) -> dict[str, str]:
    """Key (lower case) to value for every key=value pair on the line; later duplicates are dropped."""
    out: dict[str, str] = {}
    for m in _PAIR.finditer(to_nfkc(line)):
        key = m.group(1).lower()
        if key not in out:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            out[key] = value.strip()
    return out


_DST_PORT = re.compile(r"dst-?\s*port\W{0,4}(\d{2,5})")
_PORT_AFTER_FAILED = re.compile(r"tcp connection failed\D{0,20}?\b(50\d\d)\b")
_SUCCEEDED = skeleton("Handshake succeeded")
PORT_UNKNOWN = "unknown"


def _connection_failures(doc: Document, lines: list[int], out: FactSet) -> None:
    for i in lines:
        record = parse_record(doc.lines[i])
        port = record.get("dst-port", "")
        if not port.isdigit():
            cleaned = clean_line(doc.lines[i])
            damaged = _DST_PORT.search(cleaned) or _PORT_AFTER_FAILED.search(cleaned)
            port = damaged.group(1) if damaged else ""
        # a line cut off before its port still says the connection failed, not towards which port
        out.add(Fact("tcp_connection_failed", port or PORT_UNKNOWN, i,
                     {"port": port, "dst-ip": record.get("dst-ip", "")}))


_PORTS = re.compile(r'(?:dst|src)-port\W{0,3}(\d{2,5})', re.IGNORECASE)
_CONNECTION = re.compile(r"TCP Connect|Connection Established|Incoming connection", re.IGNORECASE)
CONNECTION_REACH = 12   # lines back from a handshake record to the connection record it belongs to


def _other_peer(doc: Document, index: int) -> bool:
    """Whether the connection just before a handshake record is to a peer other than Webex (a Unified CM on 5061,
    a traversal zone on 7001): that handshake says nothing about the mutual TLS connection on 5062."""
    for j in range(index - 1, max(-1, index - CONNECTION_REACH), -1):
        line = doc.lines[j]
        if _CONNECTION.search(line):
            ports = set(_PORTS.findall(line))
            return bool(ports) and "5062" not in ports
    return False


def _handshakes(doc: Document, lines: list[int], out: FactSet) -> None:
    ok = [i for i in lines if _SUCCEEDED in doc.skeleton_line(i)]
    if ok and len(ok) == len(lines):
        webex = [i for i in ok if not _other_peer(doc, i)]
        if webex:
            out.add(Fact("healthy_handshake", "", webex[0]))


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    if hits.get("tcp_failed"):
        _connection_failures(doc, list(hits["tcp_failed"]), out)
    if hits.get("handshake"):
        _handshakes(doc, list(hits["handshake"]), out)


EXTRACTOR = Extractor(
    name="Expressway connection and handshake records",
    triggers={
        "tcp_failed": ("TCP Connection Failed",),
        # a success, and every way a TLS failure shows in a log: one failure anywhere means the paste is not
        # a healthy handshake, whichever line states it
        "handshake": ("Handshake succeeded", "Negotiation Error", "Handshake Failed", "Failed to establish",
                      "certificate verify failed", "self signed certificate", "self-signed certificate",
                      "unable to get local issuer", "alert unknown ca", "alert certificate", "alert bad certificate",
                      "alert handshake failure", "alert unsupported certificate", "certificate has expired",
                      "TTSSLErrorOutput", "ssl_error_reason", "No SSL error available", "unexpected eof",
                      "identity was unacceptable", "certificate unknown"),
    },
    facts={
        "tcp_connection_failed": 'Expressway `Detail="TCP Connection Failed"` with its `Dst-port` (value: port; '
                                 '`unknown` when the line lost it)',
        "healthy_handshake": '`Handshake succeeded` with no TLS error in the paste, not on a connection to another '
                             'peer (a Unified CM on 5061, a traversal zone)',
    },
    extract=_extract,
)
