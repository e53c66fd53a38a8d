"""Every evidence extractor, in the order they run, and what is derived from the list: the trigger literals the
prefilter scans for, the fact vocabulary, and `extract_facts`.

The list is explicit, not discovered: order matters (search-rule facts from xConfiguration come before those of
the search log; the chain summary comes after every chain fact), and a reader sees every source in one place.

>>> from matchers.document import Document
>>> doc = Document.from_text('tcp  0  0 127.0.0.1:5062  0.0.0.0:*  LISTEN')
>>> [f.name for f in extract_facts(doc, {"netstat": [0]}).facts]
['netstat_5062_loopback_only']
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from ..normalize import skeleton
from . import capture, certificate, derived
from .model import Extractor, FactSet
from .text import (
    capture_text,
    controlhub,
    dns,
    expressway_log,
    firewall,
    netstat,
    packet_list,
    search_log,
    sip,
    xconfig,
)

if TYPE_CHECKING:
    from ..document import Document

EXTRACTORS: tuple[Extractor, ...] = (
    xconfig.EXTRACTOR,
    packet_list.EXTRACTOR,
    capture_text.EXTRACTOR,        # after packet_list: replaces its facts on the lines it reads
    dns.EXTRACTOR,
    netstat.EXTRACTOR,
    sip.EXTRACTOR,
    expressway_log.EXTRACTOR,
    search_log.EXTRACTOR,
    firewall.EXTRACTOR,
    controlhub.EXTRACTOR,
    derived.WEBEX_MARKER,
)
# facts of evidence that is not pasted text: certificates (files or PEM blocks) and packet captures
OTHER_SOURCES: tuple[Extractor, ...] = (certificate.FACTS, capture.FACTS)

TRIGGERS: dict[str, tuple[str, ...]] = {group: items for x in EXTRACTORS for group, items in x.triggers.items()}
TRIGGER_SKELETONS: dict[str, tuple[str, ...]] = {
    group: tuple(dict.fromkeys(skeleton(t) for t in items)) for group, items in TRIGGERS.items()
}
FACT_NAMES: dict[str, str] = {}
for _source in (*EXTRACTORS, *OTHER_SOURCES):
    for _name, _meaning in _source.facts.items():
        FACT_NAMES.setdefault(_name, _meaning)


def extract_facts(doc: Document, hits: Mapping[str, Sequence[int]]) -> FactSet:
    """Run each extractor whose trigger groups hold lines, in registry order."""
    out = FactSet()
    for extractor in EXTRACTORS:
        if extractor.extract is None:
            continue
        mine = {group: hits[group] for group in extractor.triggers if hits.get(group)}
        if mine:
            extractor.extract(doc, mine, out)
    derived.summarise_chains(out)
    return out
