"""Search-rule evidence: the routing log ("Considering search rule ...") and rule xConfiguration.

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

from ..normalize import clean_line
from .base import Fact
from .xconfig import Setting

_CONSIDER = re.compile(
    r"considering search rule '([^']*)' towards target '([^']*)' at priority '(\d+)'(?: with alias '([^']*)')?"
)
WEBEX_ALIAS = re.compile(r"@[\w.-]*\.(?:call\.ciscospark\.com|calls\.webex\.com)|\.ciscospark\\?\.com|webex\\?\.com")
WEBEX_ZONE_WORDS = ("hybrid", "webex", "spark", "callservice", "call service", "cloud")
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


def is_webex_alias(alias: str) -> bool:
    return bool(WEBEX_ALIAS.search(alias.lower()))


def is_webex_zone(name: str) -> bool:
    lowered = name.lower()
    return any(w in lowered for w in WEBEX_ZONE_WORDS)


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


def _rules(settings: list[Setting]) -> dict[str, dict[str, Setting]]:
    rules: dict[str, dict[str, Setting]] = {}
    for s in settings:
        if s.rule is None:
            continue
        tail = s.path.split(f"rule {s.rule} ", 1)[-1]
        rules.setdefault(s.rule, {})[tail] = s
    return rules


def _is_catch_all(rule: dict[str, Setting]) -> bool:
    mode = rule.get("mode")
    if mode and mode.value.lower() == "anyalias":
        return True
    pattern = rule.get("pattern string")
    if pattern is None:
        return False
    value = pattern.value.lower()
    if is_webex_alias(value) or ".*" not in value:
        return False
    # "anything that is not one of my domains", e.g. (?!.*@%localdomains%.*$).*
    without_local = re.sub(r"\(\?!.*?\)", "", value).replace("@%localdomains%", "")
    return "@" not in without_local


def _is_webex_rule(rule: dict[str, Setting]) -> bool:
    pattern = rule.get("pattern string")
    if pattern and is_webex_alias(pattern.value):
        return True
    target = rule.get("target name")
    name = rule.get("name")
    return bool(target and is_webex_zone(target.value) and name and "to" in name.value.lower()
                and pattern is not None and ("spark" in pattern.value.lower() or "webex" in pattern.value.lower()))


def _priority(rule: dict[str, Setting]) -> int | None:
    p = rule.get("priority")
    try:
        return int(p.value) if p else None
    except ValueError:
        return None


def xconfig_rule_facts(settings: list[Setting]) -> list[Fact]:
    """A catch-all rule with Stop and a lower priority number than the Webex rule."""
    rules = _rules(settings)
    facts: list[Fact] = []
    webex = [(num, r) for num, r in rules.items() if _is_webex_rule(r) and _priority(r) is not None]
    for wnum, wrule in webex:
        wprio = _priority(wrule)
        for num, rule in rules.items():
            if num == wnum or not _is_catch_all(rule):
                continue
            prio = _priority(rule)
            progress = rule.get("progress")
            enabled = rule.get("state")
            if enabled is not None and enabled.value.lower() == "disabled":
                continue
            if prio is None or wprio is None or prio >= wprio:
                continue
            if progress is not None and progress.value.lower() != "stop":
                continue
            name = rule.get("name")
            wname = wrule.get("name")
            anchor = rule.get("priority") or progress or name
            line = anchor.line if anchor else None
            facts.append(Fact("search_rule_preempts_webex", "", line, {
                "catch_all_rule": name.value if name else f"Rule {num}", "catch_all_priority": str(prio),
                "webex_rule": wname.value if wname else f"Rule {wnum}", "webex_priority": str(wprio),
            }))
    return facts
