"""`netstat -an` listening sockets.

>>> listening_address('tcp        0      0 127.0.0.1:5062          0.0.0.0:*               LISTEN')
('127.0.0.1', '5062')
>>> listening_address('tcp   0   0 ::1:5062           :::*        LISTEN')
('::1', '5062')
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ...normalize import clean_line
from ..model import Extractor, Fact, FactSet, Hits

if TYPE_CHECKING:
    from ...document import Document

_LISTEN = re.compile(r"^\s*tcp6?\s+\d+\s+\d+\s+(\S+):(\d+)\s+\S+\s+listen\b")


def listening_address(raw: str) -> tuple[str, str] | None:
    m = _LISTEN.match(clean_line(raw))
    return (m.group(1), m.group(2)) if m else None


def is_loopback(address: str) -> bool:
    return address.startswith("127.") or address in {"::1", "[::1]", "localhost"}


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    lines = doc.lines
    indexes = hits["netstat"]
    listening = [a for a in (listening_address(lines[i]) for i in indexes) if a]
    on_5062 = [(addr, i) for (addr, port), i in zip(listening, indexes, strict=False) if port == "5062"]
    if listening:
        out.kinds.add("netstat")
    if on_5062:
        if all(is_loopback(addr) for addr, _ in on_5062):
            addresses = ", ".join(a for a, _ in on_5062)
            out.add(Fact("netstat_5062_loopback_only", "", on_5062[-1][1], {"addresses": addresses}))
        else:
            out.add(Fact("netstat_5062_external", "", on_5062[0][1]))


EXTRACTOR = Extractor(
    name="netstat listening sockets",
    triggers={"netstat": ("LISTEN",)},
    facts={
        "netstat_5062_loopback_only": 'netstat shows 5062 LISTEN only on 127.0.0.1 / ::1',
        "netstat_5062_external": 'netstat shows 5062 LISTEN on a non-loopback address',
    },
    kinds=("netstat",),
    extract=_extract,
)
