"""One certificate described: names, validity, issuer, key usage, whether it is the Expressway factory
certificate, and its role (Webex's, a server certificate such as the Expressway-E's, or a CA)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ..webex import WEBEX_DOMAINS
from .load import quiet

PUBLIC_CA_WORDS = (  # issuer names of the public CAs Webex's trust list is made of (a hint, not a verdict)
    "digicert", "sectigo", "comodo", "usertrust", "go daddy", "godaddy", "starfield", "globalsign", "entrust",
    "let's encrypt", "isrg", "identrust", "quovadis", "hydrantid", "geotrust", "thawte", "rapidssl", "amazon",
    "google trust services", "gts ", "buypass", "certum", "ssl.com", "actalis", "zerossl", "network solutions",
    "trustwave", "swisssign", "harica", "microsoft rsa tls", "microsoft azure", "baltimore", "verisign",
    "symantec", "secure site", "emsign", "telia", "d-trust", "t-trust", "izenpe", "cisco",
)
_LETS_ENCRYPT_CN = re.compile(r"^(r\d{1,2}|e\d{1,2}|ye\d|yr\d)$")
_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "TLS Web Server Authentication",
    ExtendedKeyUsageOID.CLIENT_AUTH: "TLS Web Client Authentication",
}
NETSCAPE_COMMENT_OID = x509.ObjectIdentifier("2.16.840.1.113730.1.13")


@dataclass(frozen=True)
class CertInfo:
    index: int                 # 1-based, order given
    subject: str
    subject_cn: str
    subject_ou: str
    issuer: str
    issuer_cn: str
    sans: tuple[str, ...]
    not_before: dt.datetime
    not_after: dt.datetime
    is_ca: bool
    self_signed: bool
    eku: tuple[str, ...] | None    # None: no extended key usage extension (any use)
    netscape_comment: str
    role: str                  # webex, expressway (a server certificate that is not Webex's), ca

    @property
    def label(self) -> str:
        return self.subject_cn or self.subject or f"certificate {self.index}"

    @property
    def factory(self) -> bool:
        """The Expressway's factory certificate: "Temporary Certificate <guid>", issued by "Temporary CA <guid>"."""
        return (self.subject_ou.lower().startswith("temporary certificate")
                or self.issuer_cn.lower().startswith("temporary ca")
                or self.netscape_comment.lower().startswith("temporary certificate"))


def _attr(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = [str(a.value) for a in name.get_attributes_for_oid(oid)]
    return ", ".join(values)


def _name_text(name: x509.Name) -> str:
    """The name in its encoded order, as openssl prints it: `CN=expe-lab, OU=Temporary Certificate ...`."""
    parts = []
    for attr in name:
        try:
            key = attr.rfc4514_attribute_name
        except (AttributeError, ValueError):
            key = attr.oid.dotted_string
        parts.append(f"{key}={attr.value!s}")
    return ", ".join(parts)


def _ext(cert: x509.Certificate, cls: type) -> object | None:
    try:
        return cert.extensions.get_extension_for_class(cls).value
    except (x509.ExtensionNotFound, ValueError):
        return None


def _netscape_comment(cert: x509.Certificate) -> str:
    try:
        ext = cert.extensions.get_extension_for_oid(NETSCAPE_COMMENT_OID).value
    except (x509.ExtensionNotFound, ValueError):
        return ""
    raw = getattr(ext, "value", b"")
    if not isinstance(raw, bytes) or len(raw) < 2:
        return ""
    # an ASN.1 IA5String: tag 0x16, short length
    text = raw[2:] if raw[0] in (0x16, 0x0C, 0x13) and raw[1] < 0x80 else raw
    return text.decode("latin-1", errors="replace").strip()[:200]


def describe(cert: x509.Certificate, index: int) -> CertInfo:
    with quiet():
        return _describe(cert, index)


def _describe(cert: x509.Certificate, index: int) -> CertInfo:
    san = _ext(cert, x509.SubjectAlternativeName)
    sans: list[str] = []
    if isinstance(san, x509.SubjectAlternativeName):
        sans += san.get_values_for_type(x509.DNSName)
        sans += [str(ip) for ip in san.get_values_for_type(x509.IPAddress)]
        sans += [f"URI:{u}" for u in san.get_values_for_type(x509.UniformResourceIdentifier)]
    basic = _ext(cert, x509.BasicConstraints)
    is_ca = isinstance(basic, x509.BasicConstraints) and basic.ca
    eku_ext = _ext(cert, x509.ExtendedKeyUsage)
    eku = tuple(_EKU_NAMES.get(o, o.dotted_string) for o in eku_ext) if isinstance(eku_ext, x509.ExtendedKeyUsage) \
        else None
    subject_cn = _attr(cert.subject, NameOID.COMMON_NAME)
    self_signed = cert.issuer == cert.subject and _signed_by(cert, cert)
    names = [subject_cn.lower(), *(s.lower() for s in sans)]
    if is_ca or (self_signed and not sans and "temporary ca" in subject_cn.lower()):
        role = "ca"
    elif any(n.rstrip(".").endswith(WEBEX_DOMAINS) for n in names if n):
        role = "webex"
    else:
        role = "expressway"
    return CertInfo(
        index=index, subject=_name_text(cert.subject), subject_cn=subject_cn,
        subject_ou=_attr(cert.subject, NameOID.ORGANIZATIONAL_UNIT_NAME), issuer=_name_text(cert.issuer),
        issuer_cn=_attr(cert.issuer, NameOID.COMMON_NAME) or _name_text(cert.issuer), sans=tuple(sans),
        not_before=cert.not_valid_before_utc, not_after=cert.not_valid_after_utc, is_ca=is_ca,
        self_signed=self_signed, eku=eku, netscape_comment=_netscape_comment(cert),
        role=role,
    )


def _signed_by(cert: x509.Certificate, issuer: x509.Certificate) -> bool:
    try:
        cert.verify_directly_issued_by(issuer)
    except Exception:  # noqa: BLE001 - InvalidSignature, or an unusual key or damaged certificate raising its own
        return False
    return True


def format_date(value: dt.datetime) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC")


def _is_public_issuer(info: CertInfo) -> bool:
    issuer = info.issuer.lower()
    return any(w in issuer for w in PUBLIC_CA_WORDS) or bool(_LETS_ENCRYPT_CN.match(info.issuer_cn.lower()))
