"""TLS records in one direction of a reassembled TCP stream: handshake messages, certificates, alerts.

Only what is sent in the clear is read: up to ChangeCipherSpec in TLS 1.2, up to ServerHello in TLS 1.3
(its certificates are encrypted). Never raises on damaged data: parsing stops with a note.

>>> events, _ = parse_direction(bytes([21, 3, 3, 0, 2, 2, 48]))
>>> events[0].kind, events[0].alert, events[0].level
('alert', 'unknown_ca', 'fatal')
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..tls_alerts import ALERTS

MAX_RECORD = 16384 + 2048
MAX_CERTS_PER_MESSAGE = 10
MAX_HANDSHAKE_BUFFER = 256 * 1024
HANDSHAKE_NAMES = {
    0: "Hello Request", 1: "Client Hello", 2: "Server Hello", 4: "New Session Ticket", 8: "Encrypted Extensions",
    11: "Certificate", 12: "Server Key Exchange", 13: "Certificate Request", 14: "Server Hello Done",
    15: "Certificate Verify", 16: "Client Key Exchange", 20: "Finished",
}
VERSIONS = {0x0300: "SSLv3", 0x0301: "TLSv1", 0x0302: "TLSv1.1", 0x0303: "TLSv1.2", 0x0304: "TLSv1.3"}


@dataclass
class TlsEvent:
    """One record (or the readable part of it), at `offset` .. `end` in the direction's byte stream."""

    offset: int
    end: int
    kind: str                       # handshake, alert, encrypted_alert, change_cipher_spec, application_data
    labels: list[str] = field(default_factory=list)     # Wireshark-like: "Server Hello", "Certificate", ...
    version: str = ""
    alert: str = ""                 # fact value, e.g. unknown_ca
    alert_text: str = ""            # e.g. Unknown CA
    level: str = ""                 # warning / fatal
    certificates: list[bytes] = field(default_factory=list)   # DER, from a Certificate message
    tls13: bool = False             # a ServerHello choosing TLS 1.3


def parse_direction(data: bytes) -> tuple[list[TlsEvent], list[str]]:
    """Records in one direction's bytes (from the start of the connection). Returns events and notes."""
    events: list[TlsEvent] = []
    notes: list[str] = []
    pos = 0
    encrypted = False
    handshake = bytearray()
    hs_start = 0
    while pos + 5 <= len(data):
        ctype, major, length = data[pos], data[pos + 1], int.from_bytes(data[pos + 3:pos + 5], "big")
        if ctype not in (20, 21, 22, 23) or major != 3 or length > MAX_RECORD:
            if pos == 0:
                notes.append("not TLS (plain TCP or another protocol)")
            else:
                notes.append(f"unreadable TLS record at byte {pos}")
            break
        if pos + 5 + length > len(data):
            notes.append("the capture ends inside a TLS record")
            break
        body = data[pos + 5:pos + 5 + length]
        version = VERSIONS.get(int.from_bytes(data[pos + 1:pos + 3], "big"), "TLS")
        end = pos + 5 + length
        if ctype == 21:
            events.append(_alert(body, pos, end, version, encrypted))
        elif ctype == 20:
            encrypted = True
            events.append(TlsEvent(pos, end, "change_cipher_spec", ["Change Cipher Spec"], version))
        elif ctype == 23:
            events.append(TlsEvent(pos, end, "application_data", ["Application Data"], version))
        elif encrypted:
            events.append(TlsEvent(pos, end, "handshake", ["Encrypted Handshake Message"], version))
        else:
            if not handshake:
                hs_start = pos
            if len(handshake) + len(body) <= MAX_HANDSHAKE_BUFFER:
                handshake += body
            event, used = _handshake_messages(bytes(handshake), hs_start, end, version)
            del handshake[:used]
            if event.labels:
                events.append(event)
                if event.tls13:
                    encrypted = True
        pos = end
    return events, notes


def _alert(body: bytes, pos: int, end: int, version: str, encrypted: bool) -> TlsEvent:
    if encrypted or len(body) != 2:
        return TlsEvent(pos, end, "encrypted_alert", ["Encrypted Alert"], version)
    level = {1: "warning", 2: "fatal"}.get(body[0], str(body[0]))
    value, text = ALERTS.get(body[1], (f"alert_{body[1]}", f"Unknown ({body[1]})"))
    label = f"Alert (Level: {level.capitalize()}, Description: {text})"
    return TlsEvent(pos, end, "alert", [label], version, alert=value, alert_text=text, level=level)


def _handshake_messages(buf: bytes, start: int, end: int, version: str) -> tuple[TlsEvent, int]:
    """Complete handshake messages at the front of `buf`; returns the event and the bytes consumed."""
    event = TlsEvent(start, end, "handshake", [], version)
    pos = 0
    while pos + 4 <= len(buf):
        mtype, length = buf[pos], int.from_bytes(buf[pos + 1:pos + 4], "big")
        if pos + 4 + length > len(buf):
            break
        body = buf[pos + 4:pos + 4 + length]
        event.labels.append(HANDSHAKE_NAMES.get(mtype, f"Handshake type {mtype}"))
        if mtype == 11:
            event.certificates = _certificates(body)
        elif mtype == 2:
            chosen = _server_hello_version(body)
            if chosen:
                event.version = chosen
                event.tls13 = chosen == "TLSv1.3"
        pos += 4 + length
    return event, pos


def _certificates(body: bytes) -> list[bytes]:
    if len(body) >= 4 and int.from_bytes(body[:3], "big") + 3 != len(body) and body[0] == 0:
        body = body[1:]  # TLS 1.3 layout starts with a certificate_request_context; only seen in the clear rarely
    certs: list[bytes] = []
    pos = 3
    total = min(len(body), 3 + int.from_bytes(body[:3], "big")) if len(body) >= 3 else 0
    while pos + 3 <= total and len(certs) < MAX_CERTS_PER_MESSAGE:
        length = int.from_bytes(body[pos:pos + 3], "big")
        if length == 0 or pos + 3 + length > total:
            break
        certs.append(body[pos + 3:pos + 3 + length])
        pos += 3 + length
    return certs


def _server_hello_version(body: bytes) -> str:
    """The negotiated version: the supported_versions extension (TLS 1.3) or the legacy field."""
    if len(body) < 38:
        return ""
    legacy = VERSIONS.get(int.from_bytes(body[:2], "big"), "")
    pos = 2 + 32
    sid_len = body[pos]
    pos += 1 + sid_len + 2 + 1  # session id, cipher suite, compression
    if pos + 2 > len(body):
        return legacy
    ext_end = min(len(body), pos + 2 + int.from_bytes(body[pos:pos + 2], "big"))
    pos += 2
    while pos + 4 <= ext_end:
        etype, elen = int.from_bytes(body[pos:pos + 2], "big"), int.from_bytes(body[pos + 2:pos + 4], "big")
        if etype == 43 and elen == 2 and pos + 6 <= ext_end:
            return VERSIONS.get(int.from_bytes(body[pos + 4:pos + 6], "big"), legacy)
        pos += 4 + elen
    return legacy
