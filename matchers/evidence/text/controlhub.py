"""Control Hub's SIP destination test, as copied from the page: one row per check, Successful or Failed.

>>> from matchers.document import Document
>>> doc = Document.from_text("DNS Lookup Successful\\nConnecting to IP Successful\\nSocket test Successful")
>>> out = FactSet()
>>> _extract(doc, {"controlhub": [1, 2]}, out)
>>> [f.name for f in out.facts], sorted(out.kinds)
(['controlhub_test_ok'], ['controlhub'])
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ...normalize import skeleton
from ..model import Extractor, Fact, FactSet, Hits

if TYPE_CHECKING:
    from ...document import Document

_SUCCESSFUL = skeleton("Successful")


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    rows = hits["controlhub"]
    if all(_SUCCESSFUL in doc.skeleton_line(i) for i in rows) and len(rows) >= 2:
        out.add(Fact("controlhub_test_ok", "", rows[0]))
    out.kinds.add("controlhub")


EXTRACTOR = Extractor(
    name="Control Hub SIP destination test",
    triggers={"controlhub": ("Socket test", "SSL Handshake", "Connecting to IP")},
    facts={
        "controlhub_test_ok": 'Control Hub test rows all Successful',
    },
    kinds=("controlhub",),
    extract=_extract,
)
