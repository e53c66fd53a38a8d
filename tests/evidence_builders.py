"""Certificates, packet captures and screenshots built in the tests: nothing is downloaded, nothing is shipped."""
from __future__ import annotations

import datetime as dt
import io
import struct
from dataclasses import dataclass
from pathlib import Path

import dpkt
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from PIL import Image, ImageDraw, ImageFont

NOW = dt.datetime.now(dt.UTC).replace(microsecond=0)
SERVER_AND_CLIENT = (ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH)
NETSCAPE_COMMENT = x509.ObjectIdentifier("2.16.840.1.113730.1.13")


@dataclass
class Issued:
    cert: x509.Certificate
    key: ec.EllipticCurvePrivateKey

    @property
    def pem(self) -> str:
        return self.cert.public_bytes(serialization.Encoding.PEM).decode()

    @property
    def der(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.DER)


def _name(cn: str, ou: str | None = None, org: str | None = None) -> x509.Name:
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, cn)]
    if ou:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    if org:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, org))
    return x509.Name(attrs)


def issue(cn: str, *, issuer: Issued | None = None, sans: tuple[str, ...] = (), ou: str | None = None,
          org: str | None = None, ca: bool = False, eku: tuple[x509.ObjectIdentifier, ...] | None = SERVER_AND_CLIENT,
          not_before: dt.datetime | None = None, not_after: dt.datetime | None = None,
          comment: str | None = None) -> Issued:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = _name(cn, ou, org)
    builder = (x509.CertificateBuilder().subject_name(subject)
               .issuer_name(issuer.cert.subject if issuer else subject)
               .public_key(key.public_key()).serial_number(x509.random_serial_number())
               .not_valid_before(not_before or NOW - dt.timedelta(days=30))
               .not_valid_after(not_after or NOW + dt.timedelta(days=365)))
    builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]), critical=False)
    if eku and not ca:
        builder = builder.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=False)
    if comment:
        raw = comment.encode()
        builder = builder.add_extension(
            x509.UnrecognizedExtension(NETSCAPE_COMMENT, bytes([0x16, len(raw)]) + raw), critical=False)
    cert = builder.sign(issuer.key if issuer else key, hashes.SHA256())
    return Issued(cert, key)


def factory_certificate(host: str = "expe-lab") -> tuple[Issued, Issued]:
    """The Expressway's factory pair: "Temporary CA <guid>" and the "Temporary Certificate <guid>" it signed."""
    guid = "3f9a0c27-6b1e-4d52-8e0a-c41b77e2d916"
    ca = issue(f"Temporary CA {guid}", ca=True, ou=f"Temporary CA {guid}")
    leaf = issue(host, issuer=ca, ou=f"Temporary Certificate {guid}", eku=SERVER_AND_CLIENT,
                 comment="Temporary Certificate")
    return ca, leaf


def public_chain(host: str = "expe.contoso.example") -> tuple[Issued, Issued, Issued]:
    root = issue("Contoso Test Root CA", org="DigiCert Inc", ca=True)
    inter = issue("DigiCert Global G2 TLS RSA SHA256 2020 CA1", org="DigiCert Inc", issuer=root, ca=True)
    leaf = issue(host, issuer=inter, sans=(host,))
    return root, inter, leaf


def webex_chain() -> tuple[Issued, Issued, Issued]:
    root = issue("QuoVadis Root CA 2 G3", org="QuoVadis Limited", ca=True)
    inter = issue("HydrantID Server CA O1", org="IdenTrust", issuer=root, ca=True)
    leaf = issue("l2sip-cfa-01.wbx2.com", issuer=inter,
                 sans=("l2sip-cfa-01.wbx2.com", "callservice.ciscospark.com", "callservice.webex.com"))
    return root, inter, leaf


# ------------------------------------------------------------------ TLS records
def tls_record(content_type: int, body: bytes, version: int = 0x0303) -> bytes:
    return struct.pack("!BHH", content_type, version, len(body)) + body


def handshake(msg_type: int, body: bytes) -> bytes:
    return struct.pack("!B", msg_type) + len(body).to_bytes(3, "big") + body


def client_hello() -> bytes:
    body = b"\x03\x03" + b"\x11" * 32 + b"\x00" + b"\x00\x02\xc0\x2f" + b"\x01\x00" + b"\x00\x00"
    return tls_record(22, handshake(1, body), 0x0301)


def server_hello_certificate(certs: list[Issued], request_client_cert: bool = True) -> bytes:
    hello = handshake(2, b"\x03\x03" + b"\x22" * 32 + b"\x00" + b"\xc0\x2f" + b"\x00" + b"\x00\x00")
    msgs = hello + certificate_message(certs)
    if request_client_cert:
        msgs += handshake(13, b"\x01\x01" + b"\x00\x04\x04\x01\x04\x03" + b"\x00\x00")
    msgs += handshake(14, b"")
    return tls_record(22, msgs)


def certificate_message(certs: list[Issued]) -> bytes:
    items = b"".join(len(c.der).to_bytes(3, "big") + c.der for c in certs)
    return handshake(11, len(items).to_bytes(3, "big") + items)


def client_certificate_flight(certs: list[Issued]) -> bytes:
    return tls_record(22, certificate_message(certs) + handshake(16, b"\x41" + b"\x04" * 65))


def alert(description: int, level: int = 2) -> bytes:
    return tls_record(21, bytes([level, description]))


# ------------------------------------------------------------------ captures
class Capture:
    """TCP conversations written as an Ethernet pcap (or pcapng) in memory."""

    def __init__(self, pcapng: bool = False) -> None:
        self.buf = io.BytesIO()
        self.writer = dpkt.pcapng.Writer(self.buf) if pcapng else dpkt.pcap.Writer(self.buf)
        self.t = 1_700_000_000.0

    def packet(self, src: str, dst: str, sport: int, dport: int, flags: int, seq: int = 0, ack: int = 0,
               data: bytes = b"", gap: float = 0.01) -> None:
        tcp = dpkt.tcp.TCP(sport=sport, dport=dport, seq=seq, ack=ack, flags=flags, win=64240, data=data)
        ip = dpkt.ip.IP(src=_ip(src), dst=_ip(dst), p=dpkt.ip.IP_PROTO_TCP, ttl=64, data=tcp)
        ip.len = len(ip)
        eth = dpkt.ethernet.Ethernet(src=b"\x00\x11\x22\x33\x44\x55", dst=b"\x66\x77\x88\x99\xaa\xbb",
                                     type=dpkt.ethernet.ETH_TYPE_IP, data=ip)
        self.t += gap
        self.writer.writepkt(bytes(eth), ts=self.t)

    def bytes(self) -> bytes:
        return self.buf.getvalue()


def _ip(text: str) -> bytes:
    return bytes(int(x) for x in text.split("."))


SYN, ACK, PSH, FIN, RST = dpkt.tcp.TH_SYN, dpkt.tcp.TH_ACK, dpkt.tcp.TH_PUSH, dpkt.tcp.TH_FIN, dpkt.tcp.TH_RST


class Conversation:
    """One TCP connection in a Capture, keeping sequence numbers; `send` splits data into segments."""

    def __init__(self, cap: Capture, client: str, server: str, cport: int, sport: int) -> None:
        self.cap, self.client, self.server, self.cport, self.sport = cap, client, server, cport, sport
        self.cseq, self.sseq = 1000, 5000

    def handshake(self) -> None:
        self.cap.packet(self.client, self.server, self.cport, self.sport, SYN, self.cseq)
        self.cap.packet(self.server, self.client, self.sport, self.cport, SYN | ACK, self.sseq, self.cseq + 1)
        self.cseq += 1
        self.sseq += 1
        self.cap.packet(self.client, self.server, self.cport, self.sport, ACK, self.cseq, self.sseq)

    def send(self, from_client: bool, data: bytes, mss: int = 1400) -> None:
        for i in range(0, len(data), mss):
            chunk = data[i:i + mss]
            if from_client:
                self.cap.packet(self.client, self.server, self.cport, self.sport, PSH | ACK, self.cseq, self.sseq,
                                chunk)
                self.cseq += len(chunk)
            else:
                self.cap.packet(self.server, self.client, self.sport, self.cport, PSH | ACK, self.sseq, self.cseq,
                                chunk)
                self.sseq += len(chunk)

    def close(self, from_client: bool, flags: int = FIN | ACK) -> None:
        if from_client:
            self.cap.packet(self.client, self.server, self.cport, self.sport, flags, self.cseq, self.sseq)
        else:
            self.cap.packet(self.server, self.client, self.sport, self.cport, flags, self.sseq, self.cseq)


# ---------------------------------------------------------------- screenshots
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")   # Debian fonts-dejavu-core (scripts/ci-system-deps.sh)

UNTRUSTED = [
    '2024-05-02T10:18:40 expe tvcs: Event="Inbound TLS Negotiation Error" Service="SIP"',
    'Src-ip="203.0.113.45" Dst-port="5062" Detail="self signed certificate in certificate chain"',
    'Protocol="TLS" Level="1"',
]


def screenshot(lines: list[str], font: str, size: int, dark: bool, jpeg: bool, seed: int = 1) -> bytes:
    face = ImageFont.truetype(str(FONT_DIR / font), size)
    step = size + size // 2
    width = max(int(face.getlength(line)) for line in lines) + 40
    height = step * len(lines) + 40
    background, ink = ((32, 33, 36), (225, 225, 225)) if dark else ((250, 250, 250), (25, 25, 25))
    img = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((20, 20 + i * step), line, font=face, fill=ink)
    noise = Image.effect_noise((width, height), 40).convert("RGB")   # sensor-like grain
    img = Image.blend(img, noise, 0.08)
    out = io.BytesIO()
    img.save(out, "JPEG" if jpeg else "PNG", quality=75)
    return out.getvalue()


def tesseract_installed() -> bool:
    import shutil

    import pytesseract

    return shutil.which(pytesseract.pytesseract.tesseract_cmd) is not None


def diagnose_file(engine, name: str, data: bytes):  # noqa: ANN001, ANN201 - test helper
    """One file diagnosed on its own, as the CLI does: its report and the evidence shown above the diagnosis."""
    from bot.ocr import image_to_text
    from bot.render.evidence import evidence_markdown
    from matchers import Outcome, Report, read_evidence

    intake = read_evidence(files=[(name, data)], image_reader=image_to_text)
    if not intake.pieces:
        return Report(outcome=Outcome.UNREADABLE, diagnoses=[], message="; ".join(intake.errors)), []
    report = engine.diagnose_pieces(intake.pieces, name_single_file=False)
    return report, [md for md in map(evidence_markdown, intake.pieces) if md]
