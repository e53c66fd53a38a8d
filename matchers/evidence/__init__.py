"""Evidence: what a paste, a certificate, a capture or a screenshot's text establishes, as facts with lines.

`registry` lists every extractor of pasted text; `text/` holds one module per source (Expressway log records,
xConfiguration, the search log, SIP, DNS, netstat, Control Hub, firewall logs, packet lists); `certificate/` and
`capture/` read what is not text; `derived` computes facts over facts; `intake` turns files and archives into
pieces of evidence for the engine.
"""
from __future__ import annotations

from .model import Extractor, Fact, FactSet
from .registry import EXTRACTORS, FACT_NAMES, TRIGGER_SKELETONS, extract_facts

__all__ = ["EXTRACTORS", "FACT_NAMES", "TRIGGER_SKELETONS", "Extractor", "Fact", "FactSet", "extract_facts"]
