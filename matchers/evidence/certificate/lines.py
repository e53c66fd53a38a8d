"""Certificate checks as the engine reads them: descriptive lines (so knowledge-base literals such as
"Temporary CA" fire) and facts pointing at those lines. `expand_pem_blocks` rewrites the PEM blocks pasted in
a message into such lines in place, keeping the line count so evidence line numbers stay those of the paste.

>>> expand_pem_blocks("no certificate here")[0]
'no certificate here'
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509

from ..model import Fact
from .checks import Check, run_checks
from .describe import CertInfo, format_date
from .load import PemBlock, find_pem_blocks, parse_der


@dataclass
class Analysis:
    certificates: list[CertInfo] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)       # descriptive text the engine reads
    facts: list[Fact] = field(default_factory=list)      # `line` indexes into `lines`
    line_of: dict[int, list[int]] = field(default_factory=dict)   # certificate index (0 = chain) -> its lines
    errors: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ analysis: checks, lines, facts
def analyse(certs: Sequence[x509.Certificate], now: dt.datetime | None = None) -> Analysis:
    now = now or dt.datetime.now(dt.UTC)
    infos, checks, errors = run_checks(certs, now)
    out = Analysis(certificates=infos, checks=checks, errors=errors)
    for info in infos:
        _lines_for(info, out)
    _facts(out, now)
    return out


def _lines_for(info: CertInfo, out: Analysis) -> None:
    sans = ", ".join(info.sans[:8]) + (" ..." if len(info.sans) > 8 else "") if info.sans else "none"
    first = (f"Certificate {info.index}: subject {info.subject}, issuer {info.issuer}, SAN: {sans}"
             + (f", Netscape Comment: {info.netscape_comment}" if info.netscape_comment else ""))
    eku = ", ".join(info.eku) if info.eku is not None else "not restricted"
    kind = {"webex": "Webex certificate", "ca": "CA certificate", "expressway": "server certificate"}[info.role]
    second = (f"Certificate {info.index}: {kind}, not before={format_date(info.not_before)} "
              f"not after={format_date(info.not_after)}, extended key usage={eku}"
              + (", self-signed" if info.self_signed else ""))
    out.line_of[info.index] = [len(out.lines), len(out.lines) + 1]
    out.lines += [_no_quotes(first), _no_quotes(second)]


def _no_quotes(line: str) -> str:
    return line.replace('"', "'")


def _facts(out: Analysis, now: dt.datetime) -> None:
    by_index = {i.index: i for i in out.certificates}
    for check in out.checks:
        if check.certificate == 0 or check.passed is not False:
            continue
        info = by_index[check.certificate]
        names_line, dates_line = out.line_of[info.index]
        values = {"certificate": info.label, **{k: v for k, v in check.values.items() if k != "issuer"}}
        if check.name == "validity":
            name = "cert_expired" if now > info.not_after else "cert_not_yet_valid"
            out.facts.append(Fact(name, info.role, dates_line, values))
        elif check.name == "issuer" and info.factory:
            out.facts.append(Fact("cert_expressway_temporary", "", names_line, values))
        elif check.name == "issuer" and info.self_signed:
            out.facts.append(Fact("cert_private_ca", "self_signed", names_line, values))
        elif check.name == "names" and info.role == "expressway" and not info.sans:
            out.facts.append(Fact("cert_no_san", "", names_line, values))
        elif check.name == "key_usage":
            missing = check.values.get("missing", "")
            value = "client_auth" if "Client" in missing and "Server" not in missing else (
                "server_auth" if "Client" not in missing else "both")
            out.facts.append(Fact("cert_eku_incomplete", value, dates_line, values))
    for check in out.checks:
        if check.certificate == 0 or check.name != "issuer" or check.passed is not None:
            continue
        info = by_index[check.certificate]
        if info.role == "expressway":
            out.facts.append(Fact("cert_private_ca", "private_ca", out.line_of[info.index][0],
                                  {"certificate": info.label, "issuer": info.issuer_cn}))
    _chain_facts(out)


def _chain_facts(out: Analysis) -> None:
    """Chain facts for server (Expressway) leaves only: a Webex chain says nothing about the Expressway-E."""
    if len(out.certificates) < 2:
        return
    chain_line = len(out.lines)
    added = False
    for check in out.checks:
        leaf = next((i for i in out.certificates if i.index == check.leaf), None)
        if check.name != "chain" or leaf is None or leaf.role == "webex" or leaf.self_signed:
            continue
        count = check.values.get("certificates", "1")
        values = {"certificates": count, "leaf": leaf.label, "path": check.values.get("path", "")}
        if count == "1":
            values["missing"] = check.values.get("missing", "")
            out.facts.append(Fact("cert_chain_leaf_only", "1", chain_line, values))
        else:
            out.facts.append(Fact("cert_chain_full", count, chain_line, values))
        added = True
    chains = [c for c in out.checks if c.name == "chain"]
    if chains:
        out.line_of[0] = [chain_line]
        summary = "; ".join(c.summary for c in chains)
        out.lines.append(_no_quotes(f"Chain of {len(out.certificates)} certificates given: {summary}"))
    elif added:  # pragma: no cover - chain facts come from chain checks
        out.lines.append("")


# ------------------------------------------------------------------ text with PEM blocks
def expand_pem_blocks(text: str, now: dt.datetime | None = None) -> tuple[str, list[Fact], Analysis | None]:
    """Replace the base64 of each PEM block in `text` by lines describing the certificate, keeping the line
    count (the BEGIN/END lines stay, unused lines become empty). Returns the text, facts whose `line` is an
    index into its lines, and the analysis (None when the text holds no PEM block)."""
    blocks = find_pem_blocks(text)
    if not blocks:
        return text, [], None
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    certs: list[x509.Certificate] = []
    owner: list[PemBlock] = []
    for block in blocks:
        cert = parse_der(block.der) if block.der else None
        if cert is None:
            _fill(lines, block, ["Certificate block could not be read: damaged base64 or not an X.509 certificate"])
            continue
        certs.append(cert)
        owner.append(block)
    if not certs:
        return "\n".join(lines), [], None
    analysis = analyse(certs, now)
    placed: dict[int, int] = {}       # analysis line -> text line
    for info in analysis.certificates:
        block = owner[info.index - 1]
        own = analysis.line_of[info.index]
        chain = analysis.line_of.get(0, []) if info.index == analysis.certificates[-1].index else []
        wanted = [*own, *chain]
        for k, text_line in enumerate(_fill(lines, block, [analysis.lines[j] for j in wanted])):
            placed[wanted[k]] = text_line
    facts = [Fact(f.name, f.value, placed.get(f.line) if f.line is not None else None, f.values, f.note)
             for f in analysis.facts]
    return "\n".join(lines), facts, analysis


def _fill(lines: list[str], block: PemBlock, new: list[str]) -> list[int]:
    """Write `new` over the block's body lines (joining the tail when the body is short); the rest are emptied.
    Returns the text line each new line landed on."""
    slots = list(range(block.begin + 1, block.end))
    if not slots:  # BEGIN and END on adjacent lines: use the BEGIN line itself
        slots = [block.begin]
    landed: list[int] = []
    for k, line in enumerate(new):
        slot = slots[min(k, len(slots) - 1)]
        if k >= len(slots):
            lines[slot] = f"{lines[slot]} | {line}"
        else:
            lines[slot] = line
        landed.append(slot)
    for slot in slots[len(new):]:
        lines[slot] = ""
    return landed
