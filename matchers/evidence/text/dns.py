"""DNS evidence: Expressway `network.dns` lines, nslookup and dig output.

>>> srv_query_kind('Detail="Sending DNS query" Name="_sips._tcp.acme.call.ciscospark.com" Type="SRV"')
'subdomain'
>>> srv_query_kind('dig SRV _sips._tcp.callservice.webex.com')
'callservice'
>>> srv_ports("Resolved hostname to: ['IPv4''TCP''203.0.113.64:5061'] (A/AAAA) Hostname:'l2sip-a.wbx2.com' Port:'5061'")
['5061']
>>> srv_ports('_sips._tcp.callservice.webex.com. 300 IN SRV 5 10 5062 l2sip-b.wbx2.com.')
['5062']
>>> lookup_failed('*** ns1.example can\\'t find _sips._tcp.mtls.example: Non-existent domain')
True
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...normalize import clean_line
from ..model import Extractor, Fact, FactSet, Hits

if TYPE_CHECKING:
    from ...document import Document

_SRV_NAME = re.compile(r"_sips?\._tcp\.([a-z0-9.-]+)")
_PORT_FIELD = re.compile(r"port:\s*'?(\d{2,5})'?")
_DIG_SRV = re.compile(r"\bin\s+srv\s+\d+\s+\d+\s+(\d{2,5})\s+\S+")
_NSLOOKUP_PORT = re.compile(r"\bport\s*=\s*(\d{2,5})")
_FAILED = re.compile(
    r"dns request timed out|request to .{0,80} timed-?out|can't find .{0,120}(non-existent domain|nxdomain|"
    r"no answer|server failed)|status: (nxdomain|servfail|refused)|connection timed out; no servers could be "
    r"reached|dns lookup failed|\bnxdomain\b"
)


def srv_query_kind(raw: str) -> str | None:
    m = _SRV_NAME.search(clean_line(raw))
    if not m:
        return None
    name = m.group(1).rstrip(".")
    if name.startswith("callservice."):
        return "callservice"
    if name.endswith((".call.ciscospark.com", ".calls.webex.com")):
        return "subdomain"
    return "other"


def srv_ports(raw: str) -> list[str]:
    text = clean_line(raw)
    if "srv" not in text and "resolved hostname" not in text and "port" not in text:
        return []
    ports = _DIG_SRV.findall(text) or _NSLOOKUP_PORT.findall(text)
    if not ports and "resolved hostname" in text:
        ports = _PORT_FIELD.findall(text)
    return list(dict.fromkeys(ports))


def lookup_failed(raw: str) -> bool:
    return bool(_FAILED.search(clean_line(raw)))


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    lines = doc.lines
    for i in hits["dns"]:
        kind = srv_query_kind(lines[i])
        if kind:
            out.add(Fact("srv_query", kind, i, {"query": kind}))
        for port in srv_ports(lines[i]):
            out.add(Fact("srv_port", port, i, {"port": port}))
        if lookup_failed(lines[i]):
            out.add(Fact("dns_lookup_failed", "", i))
            out.kinds.add("dns")


EXTRACTOR = Extractor(
    name="DNS lookups",
    triggers={"dns": ("_sips._tcp", "Resolved hostname", "timed out", "timed-out", "can't find", "NXDOMAIN",
                      "SERVFAIL", "no servers could be reached", "DNS Lookup failed")},
    facts={
        "srv_query": 'Expressway `Sending DNS query Name="_sips._tcp.…"`, dig/nslookup queries (value: `callservice`, '
                     "`subdomain` (a Webex call subdomain) or `other` (any other domain, e.g. the customer's SIP "
                     'destination))',
        "srv_port": "SRV answers (Expressway `Resolved hostname … Port:'5061'`, dig/nslookup SRV records) (value: "
                    'port)',
        "dns_lookup_failed": "nslookup/dig: timed out, NXDOMAIN, can't find, SERVFAIL, no answer",
    },
    kinds=("dns",),
    extract=_extract,
)
