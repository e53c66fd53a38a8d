"""Values of the customer's own setup that a paste shows and the resolution steps name: the Webex subdomain and the
Webex domain in use, the zone, the Expressway that logged the error, the address that sent a Warning, the SIP
destination tested in Control Hub. A step writes `{{subdomain|your Webex subdomain}}`; the reply fills in what the
paste shows, and keeps the default otherwise (bot/render/steps.py).

Only the lines around the evidence are read (and the chat lines): a value from another call hundreds of lines away
is not this customer's value for this problem.

>>> values = paste_values(["Dst-alias=\\"sip:ana@acme.calls.webex.com\\" egress-zone=HybridTraversal",
...                        "Warning: 399 192.0.2.6:7003 \\"Policy Response\\""], range(2))
>>> values["subdomain"], values["callservice"], values["zone"], values["warning_from"]
('acme', 'callservice.webex.com', 'HybridTraversal', '192.0.2.6:7003')
>>> values["webex_caller_domain_regex"]
'acme\\\\.calls\\\\.webex\\\\.com'
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

REACH = 40            # lines either side of an evidence line
MAX_LINES = 2000      # lines read at most
_WEBEX_DOMAIN = re.compile(r"(?:_sips\._tcp\.|@|\b)([a-z0-9][a-z0-9-]*)\.(calls?\.webex\.com|rooms\.webex\.com|"
                           r"call\.ciscospark\.com)\b", re.IGNORECASE)
_ZONE = re.compile(r"\b(?:egress|ingress)-zone=([A-Za-z0-9_.-]+)|\bZones Zone (\d+) Name:\s*\"([^\"]+)\"|"
                   r"\bZone(?:-name)?=\"([^\"]+)\"", re.IGNORECASE)
_HOST = re.compile(r"^\d{4}-\d\d-\d\dT[\d:.]+(?:[+-]\d\d:\d\d|Z)?\s+([A-Za-z0-9][A-Za-z0-9.-]*)\s+tvcs:")
_WARNING = re.compile(r"\bWarning:\s*399\s+([A-Za-z0-9.:\[\]-]+)")
_SIP_DESTINATION = re.compile(r"\bSIP Destination\W{0,3}\s*([a-z0-9][a-z0-9.-]*\.[a-z]{2,})\b", re.IGNORECASE)


def _lines_to_read(count: int, anchors: Iterable[int]) -> list[int]:
    wanted: set[int] = set()
    for n in anchors:
        wanted.update(range(max(0, n - REACH), min(count, n + REACH + 1)))
        if len(wanted) >= MAX_LINES:
            break
    return sorted(wanted)[:MAX_LINES]


def paste_values(lines: Sequence[str], anchors: Iterable[int]) -> dict[str, str]:
    """The values found on the lines around `anchors` (0-based line indexes), the first of each kind."""
    out: dict[str, str] = {}
    for i in _lines_to_read(len(lines), anchors):
        line = lines[i]
        if "webex" in line.lower() or "ciscospark" in line.lower():
            m = _WEBEX_DOMAIN.search(line)
            if m and m.group(1).lower() not in {"callservice", "_sips", "l2sip-cfa-01"}:
                out.setdefault("subdomain", m.group(1).lower())
                domain = f"{m.group(1)}.{m.group(2)}".lower()
                out.setdefault("webex_caller_domain", domain)
                out.setdefault("webex_caller_domain_regex", domain.replace(".", "\\."))
            lowered = line.lower()
            if "webex.com" in lowered:   # the current domain wins over the old one seen elsewhere
                out["callservice"] = "callservice.webex.com"
            elif "ciscospark.com" in lowered:
                out.setdefault("callservice", "callservice.ciscospark.com")
        for kind, pattern in (("warning_from", _WARNING), ("sip_destination", _SIP_DESTINATION)):
            m = pattern.search(line)
            if m:
                out.setdefault(kind, m.group(1))
        m = _ZONE.search(line)
        if m:
            out.setdefault("zone", m.group(1) or m.group(3) or m.group(4))
            if m.group(2):
                out.setdefault("zone_number", m.group(2))
        m = _HOST.match(line)
        if m:
            out.setdefault("expressway", m.group(1))
    return out
