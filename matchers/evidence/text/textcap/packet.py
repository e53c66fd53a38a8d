"""The common model every capture text form is read into, and the small text helpers the forms share.

>>> fix_numbers("2O3.0.ll3.73.4l7O6 > 198.5l.100.2O.5O62")
'203.0.113.73.41706 > 198.51.100.20.5062'
>>> alert_in("tlsv1.2 record layer: alert (level: fatal, description: unknown ca)")
('unknown_ca', 'fatal')
>>> alert_in("pescriptiongcertificate unknown")
('certificate_unknown', '')
>>> tls_labels("server hello, certificate, server key exchange, certificate request, server hello done")
['Server Hello', 'Certificate', 'Server Key Exchange', 'Certificate Request', 'Server Hello Done']
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ....normalize import clean_line, skeleton
from ...capture.tls_records import HANDSHAKE_NAMES
from ...tls_alerts import ALERTS
from ...webex import WEBEX_DOMAINS

SERVICE_PORTS = (5062, 5061)


@dataclass
class ListedCert:
    """One certificate of a Certificate message, as far as the text shows it."""

    line: int
    subject: dict[str, str] = field(default_factory=dict)    # cn, o, ou, ... (lower case)
    issuer: dict[str, str] = field(default_factory=dict)
    sans: list[str] = field(default_factory=list)
    temporary: bool = False          # "Temporary CA" / "Temporary Certificate" seen inside it

    @property
    def label(self) -> str:
        return self.subject.get("cn", "") or ", ".join(f"{k}={v}" for k, v in self.subject.items())

    @property
    def webex(self) -> bool:
        names = [self.subject.get("cn", ""), *self.sans]
        return any(n.rstrip(".").endswith(WEBEX_DOMAINS) for n in names if n)

    @property
    def factory(self) -> bool:
        """The Expressway factory certificate: OU "Temporary Certificate <id>", issuer "Temporary CA <id>"."""
        return (self.temporary or self.subject.get("ou", "").startswith("temporary certificate")
                or self.subject.get("o", "").startswith("temporary certificate")
                or self.issuer.get("cn", "").startswith("temporary ca"))


@dataclass
class CertMessage:
    """A TLS Certificate handshake message."""

    line: int
    total_length: int | None = None      # "Certificates Length: N"
    length_lines: int = 0                # one "Certificate Length: N" per certificate
    certs: list[ListedCert] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Certificates in the message; when OCR has eaten the list, the total length tells one from several."""
        count = max(self.length_lines, len(self.certs))
        if count or self.total_length is None:
            return count
        if self.total_length <= LEAF_ONLY_MAX_BYTES:
            return 1
        return 2 if self.total_length >= CHAIN_MIN_BYTES else 0

    @property
    def leaf(self) -> ListedCert | None:
        return self.certs[0] if self.certs else None


LEAF_ONLY_MAX_BYTES = 2300   # one RSA-2048 server certificate with a few SANs is 1.2-2.2 KB
CHAIN_MIN_BYTES = 3000       # two or more certificates


@dataclass
class Alert:
    name: str            # fact value, e.g. unknown_ca
    level: str           # fatal, warning or ""
    line: int


@dataclass
class ListedPacket:
    """One packet as a capture text shows it; what a form does not show stays empty."""

    line: int                        # the line to quote
    form: str                        # list, details, tcpdump, asa
    src: str = ""
    dst: str = ""
    sport: int | None = None
    dport: int | None = None
    flags: frozenset[str] = frozenset()      # syn, ack, rst, fin, psh
    retransmission: bool = False
    time: str = ""
    stream: str = ""                 # Wireshark's stream index, when shown
    number: str = ""                 # the frame number (list No. column, details "Frame N:")
    section: int = 0                 # which capture of the paste (ASA outside / inside, ...)
    tls: list[str] = field(default_factory=list)            # record labels: Client Hello, Certificate, ...
    alerts: list[Alert] = field(default_factory=list)
    certificates: list[CertMessage] = field(default_factory=list)
    dropped: str = ""                # ASA asp-drop capture: the drop reason

    @property
    def syn_only(self) -> bool:
        return "syn" in self.flags and "ack" not in self.flags

    @property
    def synack(self) -> bool:
        return {"syn", "ack"} <= self.flags


# ------------------------------------------------------------------ text helpers
IPV4 = r"\d{1,3}(?:\.\d{1,3}){3}"
IPV6 = r"[0-9a-f]{0,4}(?::[0-9a-f]{0,4}){2,7}"
_IPV4_TOKEN = re.compile(rf"^{IPV4}$")
_IPV6_TOKEN = re.compile(r"^(?=.*::|(?:.*:){7})[0-9a-f:]{3,39}$")
# an address- or number-like run where OCR put letters for digits: at least one real digit, dots between
_NUMERIC_RUN = re.compile(r"(?<![\w-])(?=[\doOlI|]*\d)[\doOlI|]{1,5}(?:\.[\doOlI|]{1,5}){1,4}(?![\w-])")
_RUN_TABLE = str.maketrans({"o": "0", "O": "0", "l": "1", "I": "1", "|": "1"})


def fix_numbers(text: str) -> str:
    """Digits in dotted runs (addresses, address.port) where OCR read l, I, | or O: clean_line only repairs
    a letter with a digit on both sides, and "ll3" has none."""
    if not any(c in text for c in "oOlI|"):
        return text
    return _NUMERIC_RUN.sub(lambda m: m.group(0).translate(_RUN_TABLE), text)


def read_form(raw: str) -> str:
    """The form every capture reader works on: clean_line (lower case, blanks squeezed, OCR repaired from
    context), then the digits of dotted runs repaired."""
    return fix_numbers(clean_line(raw))


def is_address(token: str) -> bool:
    if _IPV4_TOKEN.match(token):
        return all(int(part) <= 255 for part in token.split("."))
    return bool(_IPV6_TOKEN.match(token))


def port_number(text: str | None) -> int | None:
    if text is None:
        return None
    text = text.strip()
    if text in _PORT_NAMES:
        return _PORT_NAMES[text]
    if text.isdigit() and 0 < int(text) < 65536:
        return int(text)
    return None


_PORT_NAMES = {"sip-tls": 5061, "sips": 5061, "sip": 5060}

_ALERT_NAMES = sorted(((skeleton(text), value) for value, text in ALERTS.values()), key=lambda t: -len(t[0]))
_ALERT_CODES = {str(code): value for code, (value, _) in ALERTS.items()}
_ALERT_CODE = re.compile(r"\((\d{1,3})\)")


def alert_in(clean: str) -> tuple[str, str] | None:
    """The alert named after "Alert (" or "Description" in a cleaned line: (fact value, level)."""
    sk = skeleton(clean)
    start = sk.find("escrlptlon")
    if start < 0:
        start = sk.find("alert(")
    if start < 0:
        return None
    tail = sk[start:]
    level = "fatal" if "fatal" in sk else ("warning" if "warnlng" in sk else "")
    for name, value in _ALERT_NAMES:
        if name in tail:
            return value, level
    at = clean.find("escription")
    code = _ALERT_CODE.search(clean, at) if at >= 0 else None
    if code and code.group(1) in _ALERT_CODES:
        return _ALERT_CODES[code.group(1)], level
    return None


_LABELS = ("Encrypted Handshake Message", "Encrypted Alert", "Application Data", "Change Cipher Spec",
           "Server Hello Done", *(n for n in HANDSHAKE_NAMES.values() if n != "Server Hello Done"),
           "Certificate Status", "Ignored Unknown Record", "Alert")
_ALERT_PAREN = re.compile(r"\(\s*level[^)]*\)?")
_LABEL_SKELETONS = sorted(((skeleton(label), label) for label in _LABELS), key=lambda t: -len(t[0]))


def tls_labels(text: str) -> list[str]:
    """TLS record labels in a comma-separated Info text ("Server Hello, Certificate, ...")."""
    out: list[str] = []
    for part in _ALERT_PAREN.sub("", text).split(","):
        sk = skeleton(part)
        for name, label in _LABEL_SKELETONS:
            if sk.startswith(name) or (len(name) > 8 and name in sk):
                if label not in out:
                    out.append(label)
                break
    return out


_NAME_KEYS = {"commonname": "cn", "organizationname": "o", "organizationalunitname": "ou", "countryname": "c",
              "localityname": "l", "stateorprovincename": "st", "cn": "cn", "o": "o", "ou": "ou", "c": "c"}
_NAME_PAIR = re.compile(r"(?:id-at-)?([a-z]+)\s*=\s*(.*)")


def parse_name(summary: str) -> dict[str, str]:
    """`id-at-commonName=a,id-at-organizationName=b\\, Inc.` (Wireshark's RDN summary) as {cn: a, o: b, Inc.}."""
    out: dict[str, str] = {}
    for part in re.split(r"(?<!\\),", summary):
        m = _NAME_PAIR.match(part.strip())
        if m and m.group(1) in _NAME_KEYS:
            out.setdefault(_NAME_KEYS[m.group(1)], m.group(2).replace("\\,", ",").strip().rstrip(")").strip())
    return out


_TIME = re.compile(r"(?:\d{4}-\d\d-\d\d[ t])?\d{1,2}:\d\d:\d\d(?:\.\d+)?")


def time_in(clean: str) -> str:
    m = _TIME.search(clean)
    return m.group(0) if m else ""
