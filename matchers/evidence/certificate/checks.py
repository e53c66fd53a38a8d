"""The checks that decide Hybrid Call TLS problems, per certificate (validity, names, issuer, key usage) and
for the chain each leaf starts."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID

from ..webex import WEBEX_CALL_NAMES
from .describe import _EKU_NAMES, CertInfo, _is_public_issuer, _signed_by, describe, format_date
from .load import CERT_ERRORS, MAX_CERTIFICATES, _short, quiet

EXPIRY_WARNING_DAYS = 30


@dataclass(frozen=True)
class Check:
    """One check on one certificate (or on the chain): passed True/False, or None for information."""

    name: str                  # validity, names, issuer, key_usage, chain
    passed: bool | None
    summary: str
    certificate: int = 0       # 1-based; 0 = the set as a whole (chain)
    values: dict[str, str] = field(default_factory=dict)
    leaf: int = 0              # chain checks: the index of the leaf the chain starts from
    warning: bool = False      # passed, but needs action soon (a certificate close to expiry)

    def as_dict(self) -> dict[str, object]:
        return {"certificate": self.certificate, "name": self.name, "passed": self.passed,
                "summary": self.summary, "values": dict(self.values)}


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
                 info.index, values, warning=bool(note))


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
