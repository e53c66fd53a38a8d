"""Firewall log lines (ASA/FTD syslog, Palo Alto traffic logs, iptables) that block TCP 5062, and which way."""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...normalize import clean_line
from ..model import Extractor, Fact, FactSet, Hits

if TYPE_CHECKING:
    from ...document import Document

_BLOCK_WORDS = re.compile(r"\b(deny|denied|drop|dropped|block|blocked|reset-both|reset-server|policy-deny)\b")
_PORT_5062 = re.compile(r"(?<![\d.])5062(?!\d)")
_OUTSIDE = re.compile(r"\b(outside|untrust|untrusted|internet|external|wan)\b")
_INSIDE = re.compile(r"\b(dmz|inside|trust|internal|lan)\b")


def firewall_block_direction(raw: str) -> str | None:
    """For a firewall log line that blocks TCP 5062: 'inbound', 'outbound' or 'unknown'; else None.

    >>> firewall_block_direction("%ASA-4-106023: Deny tcp src outside:203.0.113.9/41022 dst dmz:198.51.100.4/5062")
    'inbound'
    >>> firewall_block_direction("13:02:11 TRAFFIC dmz untrust 198.51.100.2 203.0.113.5 5062 incomplete deny")
    'outbound'
    """
    text = clean_line(raw)
    if not _BLOCK_WORDS.search(text) or not _PORT_5062.search(text) or "header" in text:
        return None
    outside = _OUTSIDE.search(text)
    inside = _INSIDE.search(text)
    if outside and inside:
        return "inbound" if outside.start() < inside.start() else "outbound"
    return "unknown"




def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    for i in hits["firewall"]:
        direction = firewall_block_direction(doc.lines[i])
        if direction:
            out.add(Fact("firewall_blocks_5062", direction, i, {"direction": direction}))
            out.kinds.add("firewall")


EXTRACTOR = Extractor(
    name="firewall logs",
    triggers={"firewall": ("deny", "drop", "denied", "blocked", "reset-both")},
    facts={
        "firewall_blocks_5062": 'a firewall log line (ASA, Palo Alto, ...) denying or dropping TCP 5062; direction '
                                'from the interface/zone names (value: `inbound`, `outbound` or `unknown`)',
    },
    kinds=("firewall",),
    extract=_extract,
)
