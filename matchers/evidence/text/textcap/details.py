"""The Wireshark packet details pane copied as text, File > Export Packet Dissections, and `tshark -V`: a
frame's tree, line by line (indentation and tree arrows do not matter, so OCR'd screenshots read too).

Only the lines that carry something are fed in, in order; `DetailReader` keeps the frame they belong to.

>>> from .packet import read_form
>>> r = DetailReader()
>>> for i, line in enumerate([
...         "Frame 19: 73 bytes on wire (584 bits), 73 bytes captured (584 bits)",
...         "Internet Protocol Version 4, Src: 198.51.100.20, Dst: 203.0.113.73",
...         "Transmission Control Protocol, Src Port: 5062, Dst Port: 57538, Seq: 2456, Ack: 3120, Len: 7",
...         "    Flags: 0x018 (PSH, ACK)",
...         "    TLSv1.2 Record Layer: Alert (Level: Fatal, Description: Unknown CA)",
...         "            Description: Unknown CA (48)"]):
...     _ = r.feed(read_form(line), i)
>>> [(p.src, p.sport, sorted(p.flags), [a.name for a in p.alerts]) for p in r.finish()]
[('198.51.100.20', 5062, ['ack', 'psh'], ['unknown_ca'])]
"""
from __future__ import annotations

import re
from collections.abc import Callable

from ....normalize import skeleton
from .packet import (
    Alert,
    CertMessage,
    ListedCert,
    ListedPacket,
    alert_in,
    is_address,
    parse_name,
    port_number,
    tls_labels,
)

_TREE = re.compile(r"^(?:[>▸▾▶▼►▽▷+\-|*•·\[\]]\s*|v\s+(?=[a-z]))*")   # tree arrows, OCR'd as > or v
_IP_HEADER = skeleton("Internet Protocol Version")
_FRAME = re.compile(r"^\S{0,2}\s*frame\s*(\d+)\s*:")   # OCR leaves a stray letter of the tree arrow
_SRC = re.compile(r"\bsrc\s*:\s*([^,\s()]+)(?:\s*\(([^)]+)\))?")
_DST = re.compile(r"\bdst\s*:\s*([^,\s()]+)(?:\s*\(([^)]+)\))?")
_SRC_PORT = re.compile(r"s(?:rc|ource)\s*port\s*:\s*(?:([a-z][\w-]*)\s*\(\s*)?(\d{1,5})?")
_DST_PORT = re.compile(r"d(?:st|estination)\s*port\s*:\s*(?:([a-z][\w-]*)\s*\(\s*)?(\d{1,5})?")
_ADDRESS_LINE = re.compile(r"^(source|destination)(?:\s*address)?\s*:\s*(\S+)")
_FLAGS = re.compile(r"flags\s*:\s*0x([0-9a-f]{1,4})\s*(?:\(([^)]*)\))?")
_TCP_BITS = (("fin", 0x01), ("syn", 0x02), ("rst", 0x04), ("psh", 0x08), ("ack", 0x10))
_STREAM = re.compile(r"stream\s*index\s*:\s*(\d+)")
_RECORD = re.compile(r"record\s*layer\s*:\s*(.*)")
_HANDSHAKE = re.compile(r"^handshake\s*protocol\s*:\s*(.*)")
_NUMBER = re.compile(r"(\d{1,6})")
_CERT = r"cert[il1|]f[il1|]cate"
_CERTS_TOTAL = re.compile(rf"^{_CERT}s\s*(?:length\s*:?\s*|\()\s*(\d{{1,6}})")
_CERT_LENGTH = re.compile(rf"^{_CERT}\s*length\s*:?\s*\d")
_CERT_ITEM = re.compile(rf"^{_CERT}\s*(?::|\()\s*(?!length|request|verify|type|status|author)")
_RDN = re.compile(r"^(?:(issuer|subject)\s*:\s*)?rdnsequence\b[^(]*(?:\((.*))?")
_DNS_NAME = re.compile(r"^dnsname\s*:\s*(\S+)")
MAX_FRAMES = 20000


class DetailReader:
    def __init__(self, section: Callable[[], int] = lambda: 0) -> None:
        self.section = section            # gives the capture section a new frame belongs to
        self.frames: list[ListedPacket] = []
        self.frame: ListedPacket | None = None
        self.layer = ""                   # ip, tcp or tls: which header the current lines belong to
        self.message: CertMessage | None = None
        self.name_of = ""                 # issuer / subject: the RDN sequence the next line gives

    def feed(self, cleaned: str, line: int) -> bool:
        """Read one details line (as `read_form` gives it); False when it is none of the lines this reader
        knows."""
        if len(self.frames) >= MAX_FRAMES:
            return False
        text = _TREE.sub("", cleaned).strip()
        sk = skeleton(text)
        m = _FRAME.match(text)
        if m:
            self._new_frame(line).number = m.group(1)
            return True
        if _starts(sk, _IP_HEADER):
            if self.frame is not None and (self.frame.src or self.frame.sport is not None):
                self._new_frame(line)
            frame = self._current(line)
            frame.src, frame.dst = _address(_SRC.search(text)), _address(_DST.search(text))
            self.layer = "ip"
            return True
        if _starts(sk, "transmlssloncontrolprotocol"):
            frame = self._current(line)
            frame.sport = _port(_SRC_PORT.search(text))
            frame.dport = _port(_DST_PORT.search(text))
            self.layer = "tcp"
            return True
        if self.frame is None and not _starts_tls(sk):
            return False
        return self._field(text, sk, line)

    def _field(self, text: str, sk: str, line: int) -> bool:
        frame = self._current(line)
        m = _ADDRESS_LINE.match(text)
        if m and is_address(m.group(2)):
            if m.group(1) == "source":
                frame.src = m.group(2)
            else:
                frame.dst = m.group(2)
            return True
        if sk.startswith(("sourceport", "destlnatlonport")):
            port = _port(_SRC_PORT.search(text) if sk.startswith("s") else _DST_PORT.search(text))
            if sk.startswith("s"):
                frame.sport = port if port is not None else frame.sport
            else:
                frame.dport = port if port is not None else frame.dport
            return True
        m = _FLAGS.search(text)
        if m and (self.layer == "tcp" or any(f in (m.group(2) or "") for f in ("syn", "ack", "rst", "fin"))):
            value = int(m.group(1), 16)
            frame.flags = frozenset(name for name, bit in _TCP_BITS if value & bit)
            return True
        m = _STREAM.search(text)
        if m:
            frame.stream = m.group(1)
            return True
        if "retransmlsslon" in sk:
            frame.retransmission = True
            return True
        return self._tls(text, sk, line, frame)

    def _tls(self, text: str, sk: str, line: int, frame: ListedPacket) -> bool:
        m = _RECORD.search(text)
        if m:
            self.layer = "tls"
            self._record(m.group(1), line, frame)
            return True
        m = _HANDSHAKE.match(text)
        if m:
            self._labels(tls_labels(m.group(1)), line, frame)
            return True
        if _starts(sk, "escrlptlon") or "alert(" in sk:
            found = alert_in(text)
            if found and not any(a.name == found[0] for a in frame.alerts):
                frame.alerts.append(Alert(found[0], found[1], line))
            return bool(found)
        return self._certificates(text, line, frame)

    def _record(self, content: str, line: int, frame: ListedPacket) -> None:
        found = alert_in(content)
        if found:
            if not any(a.name == found[0] for a in frame.alerts):
                frame.alerts.append(Alert(found[0], found[1], line))
            self._labels(["Alert"], line, frame)
            return
        for prefix in ("handshake protocol:", "change cipher spec protocol:", "application data protocol:"):
            if content.startswith(prefix):
                label = content[len(prefix):].strip()
                if prefix.startswith("application"):
                    label = "application data"
                self._labels(tls_labels(label), line, frame)
                return
        self._labels(tls_labels(content), line, frame)

    def _labels(self, labels: list[str], line: int, frame: ListedPacket) -> None:
        for label in labels:
            if label not in frame.tls:
                frame.tls.append(label)
            if label == "Certificate" and not self._owned_by(frame):
                self._start_message(line, frame)

    def _certificates(self, text: str, line: int, frame: ListedPacket) -> bool:
        m = _CERTS_TOTAL.match(text)
        if m:
            message = self._message(line, frame)
            message.total_length = message.total_length or int(m.group(1))
            return True
        if _CERT_LENGTH.match(text):
            self._message(line, frame).length_lines += 1
            return True
        if _CERT_ITEM.match(text):
            item = ListedCert(line)
            if "(" in text:
                item.subject = parse_name(text[text.index("(") + 1:])
            self._message(line, frame).certs.append(item)
            item.temporary = "temporary c" in text
            self.name_of = ""
            return True
        cert = self.message.certs[-1] if self.message is not None and self.message.certs else None
        if cert is None:
            return False
        m = _RDN.match(text)
        if m:
            names = m.group(2) if m.group(2) and "=" in m.group(2) else ""
            kind = m.group(1) or self.name_of
            self.name_of = m.group(1) if m.group(1) and not names else ""
            if kind and names:
                getattr(cert, kind).update(parse_name(names))
            cert.temporary = cert.temporary or "temporary c" in text
            return True
        m = _DNS_NAME.match(text)
        if m:
            cert.sans.append(m.group(1))
            return True
        if "temporary c" in text:
            cert.temporary = True
            return True
        return False

    def _owned_by(self, frame: ListedPacket) -> bool:
        return self.message is not None and any(m is self.message for m in frame.certificates)

    def _start_message(self, line: int, frame: ListedPacket) -> CertMessage:
        self.message = CertMessage(line)
        frame.certificates.append(self.message)
        if "Certificate" not in frame.tls:
            frame.tls.append("Certificate")
        return self.message

    def _message(self, line: int, frame: ListedPacket) -> CertMessage:
        if self.message is not None and self._owned_by(frame):
            return self.message
        return self._start_message(line, frame)

    def _new_frame(self, line: int) -> ListedPacket:
        if self.frame is not None:
            self.frames.append(self.frame)
        self.frame = ListedPacket(line, "details", section=self.section())
        self.layer = ""
        self.message = None
        return self.frame

    def _current(self, line: int) -> ListedPacket:
        return self.frame if self.frame is not None else self._new_frame(line)

    def close(self) -> None:
        """The frame in progress ends (another form's line came)."""
        if self.frame is not None:
            self.frames.append(self.frame)
        self.frame, self.message, self.layer = None, None, ""

    def finish(self) -> list[ListedPacket]:
        self.close()
        return [f for f in self.frames if f.src or f.sport is not None or f.tls or f.alerts or f.flags]


def _starts(sk: str, word: str) -> bool:
    """`word` opens the line, after at most three characters of OCR'd tree arrows."""
    return word in sk[:len(word) + 3]


def _starts_tls(sk: str) -> bool:
    """A TLS subtree copied on its own (no frame, IP or TCP line): its record, handshake or certificate lines."""
    return any(word in sk for word in ("recordlayer", "handshakeprotocol", "certlflcates", "alert(level"))


def _address(m: re.Match[str] | None) -> str:
    if m is None:
        return ""
    for candidate in (m.group(2), m.group(1)):
        if candidate and is_address(candidate.strip()):
            return candidate.strip()
    return ""


def _port(m: re.Match[str] | None) -> int | None:
    if m is None:
        return None
    return port_number(m.group(2)) if m.group(2) else port_number(m.group(1))
