"""X.509 certificates (PEM, one or many, pasted or in a file; DER; PKCS#7): reading them and the checks that
decide Hybrid Call TLS problems. `certificate_text` turns the checks into lines and facts for the engine.

>>> blocks = find_pem_blocks("hello\\n-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n")
>>> [(b.begin, b.end) for b in blocks]
[(1, 3)]
"""
from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
import threading
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.serialization import pkcs7
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

MAX_CERTIFICATES = 20          # per paste or file
MAX_PEM_BLOCK_BYTES = 64 * 1024
MAX_TEXT_FOR_PEM = 5_000_000  # certificates are pasted or attached; a bigger text is a log, held as it is
EXPIRY_WARNING_DAYS = 30
WEBEX_CALL_NAMES = ("callservice.ciscospark.com", "callservice.webex.com")
WEBEX_DOMAINS = ("ciscospark.com", "webex.com", "wbx2.com")
PUBLIC_CA_WORDS = (  # issuer names of the public CAs Webex's trust list is made of (a hint, not a verdict)
    "digicert", "sectigo", "comodo", "usertrust", "go daddy", "godaddy", "starfield", "globalsign", "entrust",
    "let's encrypt", "isrg", "identrust", "quovadis", "hydrantid", "geotrust", "thawte", "rapidssl", "amazon",
    "google trust services", "gts ", "buypass", "certum", "ssl.com", "actalis", "zerossl", "network solutions",
    "trustwave", "swisssign", "harica", "microsoft rsa tls", "microsoft azure", "baltimore", "verisign",
    "symantec", "secure site", "emsign", "telia", "d-trust", "t-trust", "izenpe", "cisco",
)
_LETS_ENCRYPT_CN = re.compile(r"^(r\d{1,2}|e\d{1,2}|ye\d|yr\d)$")
_PEM_BEGIN = re.compile(r"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----")
_PEM_END = re.compile(r"-----END (?:X509 |TRUSTED )?CERTIFICATE-----")
_PEM_BLOCK_BYTES = re.compile(
    rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----(.*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----", re.DOTALL)
_PKCS7_PEM = re.compile(rb"-----BEGIN PKCS7-----")
_B64_JUNK = re.compile(r"[^A-Za-z0-9+/=]")
_EKU_NAMES = {
    ExtendedKeyUsageOID.SERVER_AUTH: "TLS Web Server Authentication",
    ExtendedKeyUsageOID.CLIENT_AUTH: "TLS Web Client Authentication",
}
NETSCAPE_COMMENT_OID = x509.ObjectIdentifier("2.16.840.1.113730.1.13")


class CertificateError(ValueError):
    """The bytes hold no certificate that can be read; the message says why."""


# what cryptography raises on damaged certificates: ValueError mostly, InvalidVersion and a few others not
CERT_ERRORS: tuple[type[Exception], ...] = (ValueError, TypeError, x509.InvalidVersion, x509.DuplicateExtension,
                                            x509.UnsupportedGeneralNameType)


_QUIET = threading.RLock()   # warning filters are process-wide: one thread at a time changes and restores them


@contextmanager
def quiet() -> Iterator[None]:
    """Odd certificates make cryptography warn (negative serial number, bad country code): not a concern here."""
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def parse_der(der: bytes) -> x509.Certificate | None:
    """One DER certificate, or None when it cannot be read."""
    with quiet():
        try:
            return x509.load_der_x509_certificate(der)
        except CERT_ERRORS:
            return None


@dataclass(frozen=True)
class Check:
    """One check on one certificate (or on the chain): passed True/False, or None for information."""

    name: str                  # validity, names, issuer, key_usage, chain
    passed: bool | None
    summary: str
    certificate: int = 0       # 1-based; 0 = the set as a whole (chain)
    values: dict[str, str] = field(default_factory=dict)
    leaf: int = 0              # chain checks: the index of the leaf the chain starts from

    def as_dict(self) -> dict[str, object]:
        return {"certificate": self.certificate, "name": self.name, "passed": self.passed,
                "summary": self.summary, "values": dict(self.values)}


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
    sha256: str
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


# ------------------------------------------------------------------ loading
@dataclass(frozen=True)
class PemBlock:
    begin: int                 # line index of BEGIN
    end: int                   # line index of END
    der: bytes | None          # None when the base64 is damaged


def find_pem_blocks(text: str, limit: int = MAX_CERTIFICATES) -> list[PemBlock]:
    """PEM certificate blocks in pasted text (lines may carry indentation, quotes or chat decoration)."""
    if len(text) > MAX_TEXT_FOR_PEM or "-----BEGIN" not in text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[PemBlock] = []
    begin: int | None = None
    for i, line in enumerate(lines):
        if begin is None:
            start = _PEM_BEGIN.search(line)
            if start and _PEM_END.search(line, start.end()):  # a whole block on one line (a flattened paste)
                body = line[start.end():_PEM_END.search(line, start.end()).start()]
                out.append(PemBlock(i, i, _b64(body)))
                if len(out) >= limit:
                    break
            elif start:
                begin = i
            continue
        if _PEM_END.search(line) or i - begin > 2000:
            body = "".join(lines[j].strip().strip("|>\"'`") for j in range(begin + 1, i))
            out.append(PemBlock(begin, i, _b64(body)))
            begin = None
            if len(out) >= limit:
                break
        elif _PEM_BEGIN.search(line):
            begin = i
    return out


def _b64(body: str) -> bytes | None:
    body = _B64_JUNK.sub("", body)
    if not body or len(body) > MAX_PEM_BLOCK_BYTES * 4 // 3:
        return None
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None


def load_certificates(data: bytes, limit: int = MAX_CERTIFICATES) -> list[x509.Certificate]:
    """Every certificate in PEM (any number of blocks), DER or PKCS#7 (PEM or DER) bytes."""
    with quiet():
        return _load_certificates(data, limit)


def _load_certificates(data: bytes, limit: int) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    problems: list[str] = []
    if _PEM_BLOCK_BYTES.search(data):
        for n, m in enumerate(_PEM_BLOCK_BYTES.finditer(data), 1):
            if len(certs) >= limit:
                break
            body = re.sub(rb"[^A-Za-z0-9+/=]", b"", m.group(1))
            try:
                certs.append(x509.load_der_x509_certificate(base64.b64decode(body, validate=True)))
            except (*CERT_ERRORS, binascii.Error) as exc:
                problems.append(f"PEM block {n}: {_short(exc)}")
    elif _PKCS7_PEM.search(data):
        try:
            certs = list(pkcs7.load_pem_pkcs7_certificates(data))[:limit]
        except CERT_ERRORS as exc:
            problems.append(f"PKCS#7: {_short(exc)}")
    elif data[:1] == b"\x30":
        try:
            certs = [x509.load_der_x509_certificate(data)]
        except CERT_ERRORS as exc:
            try:
                certs = list(pkcs7.load_der_pkcs7_certificates(data))[:limit]
            except CERT_ERRORS:
                problems.append(f"DER: {_short(exc)}")
    else:
        problems.append("no PEM block (-----BEGIN CERTIFICATE-----) and not DER")
    if not certs:
        raise CertificateError("no certificate could be read: " + "; ".join(problems or ["empty"]))
    return certs


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text[:160]


# ------------------------------------------------------------------ describing one certificate
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
        sha256=cert.fingerprint(hashes.SHA256()).hex(), role=role,
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


# ------------------------------------------------------------------ checks
def _validity(info: CertInfo, now: dt.datetime) -> Check:
    values = {"not_before": format_date(info.not_before), "not_after": format_date(info.not_after)}
    if now > info.not_after:
        days = (now - info.not_after).days
        values["expired_days_ago"] = str(days)
        return Check("validity", False, f"expired on {values['not_after']} ({days} days ago)", info.index, values)
    if now < info.not_before:
        return Check("validity", False, f"not valid yet: valid from {values['not_before']}", info.index, values)
    left = (info.not_after - now).days
    values["days_left"] = str(left)
    note = f" - renew soon, {left} days left" if left <= EXPIRY_WARNING_DAYS else ""
    return Check("validity", True, f"valid from {values['not_before']} to {values['not_after']}{note}",
                 info.index, values)


def _names(info: CertInfo) -> Check | None:
    sans = ", ".join(info.sans) if info.sans else "none"
    values = {"subject_cn": info.subject_cn, "san": sans}
    if info.role == "ca":
        return None
    if info.role == "webex":
        found = [n for n in WEBEX_CALL_NAMES if n in (s.lower() for s in info.sans)]
        if found:
            return Check("names", True, f"Webex certificate with SAN {' and '.join(found)}", info.index, values)
        return Check("names", False, "Webex certificate without callservice.ciscospark.com or callservice.webex.com "
                     "in its SANs: the Expressway-E TLS verify subject name cannot match it", info.index, values)
    if not info.sans:
        return Check("names", False, "no Subject Alternative Name: Webex needs the Expressway-E FQDN, on a domain "
                     "verified in Control Hub, in the SANs", info.index, values)
    fqdns = [s for s in info.sans if "." in s and not s[0].isdigit() and not s.startswith("URI:")]
    if not fqdns:
        return Check("names", False, f"SANs hold no DNS name (only {sans}): Webex needs the Expressway-E FQDN",
                     info.index, values)
    cn_note = "" if not info.subject_cn or info.subject_cn.lower() in (f.lower() for f in fqdns) else \
        f"; the CN {info.subject_cn} is not among them"
    return Check("names", True, f"SANs {', '.join(fqdns[:6])}{' ...' if len(fqdns) > 6 else ''}{cn_note}: one of "
                 "them must be on a domain verified in Control Hub", info.index, values)


def _issuer(info: CertInfo) -> Check:
    values = {"issuer": info.issuer}
    if info.factory and info.role != "ca":
        values["netscape_comment"] = info.netscape_comment
        return Check("issuer", False, f"Expressway factory certificate: issuer {info.issuer_cn}"
                     + (", OU " + info.subject_ou if info.subject_ou else "")
                     + ("" if info.sans else ", no SAN")
                     + ". Webex rejects it; install a CA-signed certificate (tls-expe-default-selfsigned-cert)",
                     info.index, values)
    if info.role == "ca":
        kind = "root CA (self-signed)" if info.self_signed else "intermediate CA"
        return Check("issuer", None, f"{kind}: {info.subject_cn or info.subject}, issued by {info.issuer_cn}",
                     info.index, values)
    if info.self_signed:
        return Check("issuer", False, "self-signed: Webex trusts it only if it is uploaded to Control Hub "
                     "(Services > Hybrid Call > Settings > Certificates for Encrypted SIP Calls)", info.index, values)
    if info.role == "webex" or _is_public_issuer(info):
        return Check("issuer", True, f"issued by {info.issuer_cn}, a public CA", info.index, values)
    return Check("issuer", None, f"issued by {info.issuer_cn}, not a CA known to be public: if it is a private or "
                 "enterprise CA, upload that CA (and the Expressway-E certificate) to Control Hub under "
                 "Certificates for Encrypted SIP Calls", info.index, values)


def _key_usage(info: CertInfo) -> Check | None:
    if info.role == "ca":
        return None
    if info.eku is None:
        return Check("key_usage", True, "no extended key usage restriction (usable as TLS server and client)",
                     info.index, {"eku": "none"})
    server = _EKU_NAMES[ExtendedKeyUsageOID.SERVER_AUTH] in info.eku
    client = _EKU_NAMES[ExtendedKeyUsageOID.CLIENT_AUTH] in info.eku
    values = {"eku": ", ".join(info.eku)}
    if server and client:
        return Check("key_usage", True, "TLS Web Server and TLS Web Client Authentication (mutual TLS)",
                     info.index, values)
    missing = " and ".join(n for n, ok in (("TLS Web Server Authentication", server),
                                           ("TLS Web Client Authentication", client)) if not ok)
    values["missing"] = missing
    return Check("key_usage", False, f"missing {missing}: mutual TLS with Webex needs both server and client "
                 "authentication; have the certificate re-issued with both", info.index, values)


def _chain(pairs: list[tuple[CertInfo, x509.Certificate]]) -> list[Check]:
    """Walk each leaf to its root by issuer/subject (and signature); report gaps."""
    if len(pairs) < 2:
        return []
    infos = [info for info, _ in pairs]
    cert_of = {info.index: cert for info, cert in pairs}
    checks: list[Check] = []
    issuers_in_set = {i.issuer for i in infos if i.subject != i.issuer}
    leaves = [i for i in infos if i.role != "ca" and i.subject not in issuers_in_set] or [infos[0]]
    used: set[int] = set()
    for leaf in leaves:
        path = [leaf]
        gap = ""
        while not path[-1].self_signed and len(path) <= len(infos):
            current = path[-1]
            parent = next((p for p in infos if p.index not in {q.index for q in path} and p.subject == current.issuer
                           and _signed_by(cert_of[current.index], cert_of[p.index])), None)
            if parent is None:
                parent = next((p for p in infos if p.index not in {q.index for q in path}
                               and p.subject == current.issuer), None)
            if parent is None:
                gap = current.issuer_cn
                break
            path.append(parent)
        used.update(p.index for p in path)
        names = " -> ".join(p.label for p in path)
        values = {"path": names, "certificates": str(len(path)), "leaf": leaf.label}
        if len(path) == 1 and leaf.self_signed:
            checks.append(Check("chain", None, f"{leaf.label}: self-signed, no chain", 0, values, leaf.index))
        elif len(path) == 1:
            values["missing"] = gap
            checks.append(Check("chain", False, f"{leaf.label}: the CA that issued it ({gap}) is not among the "
                                f"certificates given: leaf only", 0, values, leaf.index))
        elif gap:
            values["ends_at"] = gap
            root_like = "root" in gap.lower()
            checks.append(Check("chain", True if root_like else None,
                                f"{names}, then {gap} not included" + (" (a root: peers have it)" if root_like else
                                                                       ": fine if it is a root CA, else a gap"),
                                0, values, leaf.index))
        else:
            checks.append(Check("chain", True, f"complete: {names} (root included)", 0, values, leaf.index))
    extra = [i.label for i in infos if i.index not in used]
    if extra:
        checks.append(Check("chain", None, "not part of any chain given: " + ", ".join(extra), 0,
                            {"unrelated": ", ".join(extra)}))
    return checks


def run_checks(certs: Sequence[x509.Certificate], now: dt.datetime | None = None,
               ) -> tuple[list[CertInfo], list[Check], list[str]]:
    """Every check on every certificate, then the chain checks; errors name certificates that could not be read."""
    with quiet():
        return _run_checks(certs, now or dt.datetime.now(dt.UTC))


def _run_checks(certs: Sequence[x509.Certificate], now: dt.datetime) -> tuple[list[CertInfo], list[Check], list[str]]:
    errors: list[str] = []
    pairs: list[tuple[CertInfo, x509.Certificate]] = []
    for n, cert in enumerate(list(certs)[:MAX_CERTIFICATES], 1):
        try:
            pairs.append((describe(cert, n), cert))
        except CERT_ERRORS as exc:  # a malformed extension
            errors.append(f"certificate {n}: {_short(exc)}")
    checks: list[Check] = []
    for info, _ in pairs:
        for check in (_validity(info, now), _names(info), _issuer(info), _key_usage(info)):
            if check is not None:
                checks.append(check)
    checks.extend(_chain(pairs))
    return [info for info, _ in pairs], checks, errors
