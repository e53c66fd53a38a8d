"""The Expressway search log ("Considering search rule ... towards target ... with alias ..."): which rule
was tried first for a Webex alias.

>>> c = considered_rule("Detail=\\"Considering search rule 'to DNS' towards target 'DNS' at priority '100' "
...                     "with alias 'bob@acme.call.ciscospark.com'\\"")
>>> c.rule, c.target, c.priority, c.alias
('to dns', 'dns', '100', 'bob@acme.call.ciscospark.com')
>>> is_webex_alias(c.alias), is_webex_zone(c.target)
(True, False)
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...normalize import clean_line
from ..model import Extractor, Fact, FactSet, Hits
from ..webex import is_webex_alias, is_webex_zone

if TYPE_CHECKING:
    from ...document import Document

_CONSIDER = re.compile(
    r"considering search rule '([^']*)' towards target '([^']*)' at priority '(\d+)'(?: with alias '([^']*)')?"
)
LOCAL_TARGETS = ("localzone", "local zone")


@dataclass(frozen=True)
class ConsideredRule:
    rule: str
    target: str
    priority: str
    alias: str
    line: int = 0


def considered_rule(raw: str, line: int = 0) -> ConsideredRule | None:
    m = _CONSIDER.search(clean_line(raw))
    if not m:
        return None
    return ConsideredRule(m.group(1), m.group(2), m.group(3), m.group(4) or "", line)


def search_log_facts(considered: list[ConsideredRule]) -> list[Fact]:
    """A non-Webex target considered for a Webex alias before (or instead of) the Webex zone."""
    facts: list[Fact] = []
    webex_seen = False
    for c in considered:
        if c.alias and not is_webex_alias(c.alias):
            continue
        if is_webex_zone(c.target):
            webex_seen = True
            facts.append(Fact("webex_search_rule_considered", "", c.line,
                              {"rule": c.rule, "target": c.target, "priority": c.priority}))
        elif not webex_seen and c.target.lower() not in LOCAL_TARGETS and c.alias:
            facts.append(Fact("search_rule_preempts_webex", "", c.line,
                              {"rule": c.rule, "target": c.target, "priority": c.priority, "alias": c.alias}))
    return facts


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    lines = doc.lines
    considered = [c for c in (considered_rule(lines[i], i) for i in hits["search"]) if c]
    for fact in search_log_facts(considered):
        out.add(fact)


EXTRACTOR = Extractor(
    name="search log",
    triggers={"search": ("Considering search rule",)},
    facts={
        "search_rule_preempts_webex": 'a catch-all rule with `Stop` and a lower priority number than the Webex rule '
                                      '(xConfiguration), or the search log considering a non-Webex rule for a Webex '
                                      'alias while no rule targets the Webex zone',
        "webex_search_rule_considered": 'the search log considers a rule towards the Hybrid/Webex DNS zone',
    },
    extract=_extract,
)
