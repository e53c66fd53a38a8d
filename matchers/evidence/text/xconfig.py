"""`xConfiguration` lines (and the same settings as the Expressway web UI shows them).

>>> s = parse_xconfig_line(
...     '*c xConfiguration Zones Zone 6 DNS SIP TLS Verify Subject Name: "calllservice.ciscospark.com"')
>>> s.path, s.zone, s.zone_type, s.value
('zones zone 6 dns sip tls verify subject name', '6', 'dns', 'calllservice.ciscospark.com')
>>> parse_xconfig_line('*c xConfiguratlon Zones Zone 3 DNS SlP TLS Verify lnboundClassification: "0ff"').value
'0ff'
>>> parse_ui_line('TLS verify inbound mapping    Off').path
'tls verify inboundclassification'
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ...normalize import skeleton, to_nfkc
from ..model import Extractor, Fact, FactSet, Hits
from ..webex import is_webex_alias, is_webex_zone

if TYPE_CHECKING:
    from ...document import Document

ZONE_TYPES = ("traversalserver", "traversalclient", "dns", "neighbor", "neighbour", "webex", "enum")

# OCR'd spellings too: "xConflguration", "xC0nfiguration", and no space before the path ("xConfigurationZones")
_XCONF = re.compile(r"x\s*c\s*[o0]\s*n\s*f\s*[il1|]\s*g\s*u\s*r\s*a\s*t\s*[il1|]\s*[o0]\s*n\s*(?=[A-Za-z0-9])(.*)$",
                    re.IGNORECASE)
_VALUE = re.compile(r'^(.*?)\s*:\s*(?:"+([^"]*)"*|(\S.*?))?\s*(?:<--.*)?$')
_HOSTLIKE = re.compile(r"^[\w-]+(\.[\w-]+)+\.?$")
_ZONE = re.compile(r"^zones\s+zone\s+(\d+)?\s*(.*)$")
_RULE = re.compile(r"^zones\s+policy\s+searchrules\s+rule\s+(\d+)?\s*(.*)$")

# Web UI labels -> the xConfiguration setting they show (path tail, lower case).
UI_LABELS = {
    "tls verify subject name": "tls verify subject name",
    "tls verify inbound mapping": "tls verify inboundclassification",
    "tls verify mode": "tls verify mode",
    "preloaded sip routes support": "sip preloadedsiproutes accept",
    "sip parameter preservation": "sip parameterpreservation mode",
    "modify dns request": "dns sip dnsoverride override",
    "domain to search for": "dns sip dnsoverride name",
    "mutual tls mode": "sip mtls mode",
    "mutual tls port": "sip mtls port",
    "call policy mode": "policy administratorpolicy mode",
    "on successful match": "progress",
}
_UI = re.compile(r"^\s*(" + "|".join(re.escape(k) for k in UI_LABELS) + r")\s*[:\t ]\s*\"?([^\"]+?)\"?\s*$",
                 re.IGNORECASE)


@dataclass(frozen=True)
class Setting:
    path: str                 # lower case, single spaces, after "xConfiguration"
    value: str
    zone: str | None = None   # zone number
    zone_type: str | None = None
    rule: str | None = None   # search rule number
    line: int | None = None
    path_skeleton: str = ""

    def __post_init__(self) -> None:
        if not self.path_skeleton:
            object.__setattr__(self, "path_skeleton", skeleton(self.path))

    def tail_keys(self) -> list[str]:
        """Skeletons of every word-suffix of the path: the keys a knowledge-base `setting` can match."""
        parts = self.path.split()
        return [skeleton(" ".join(parts[i:])) for i in range(len(parts))]


_ZONE_TYPES_SK = {skeleton(z): z for z in ZONE_TYPES}


def _zone_type(rest: str) -> str | None:
    """Canonical zone type named by the first word of `rest`, OCR-tolerant."""
    first = rest.split(" ", 1)[0] if rest else ""
    return _ZONE_TYPES_SK.get(skeleton(first))


def parse_xconfig_line(line: str, next_line: str | None = None) -> Setting | None:
    m = _XCONF.search(to_nfkc(line))
    if not m:
        return None
    body = m.group(1).strip()
    if body.count('"') == 1 and next_line is not None and next_line.count('"') == 1:
        body += next_line.strip()  # OCR or a narrow terminal split the quoted value over two lines
    vm = _VALUE.match(body)
    if not vm or ":" not in body:
        return None
    path = " ".join(vm.group(1).lower().split())
    value = vm.group(2) if vm.group(2) is not None else (vm.group(3) or "")
    value = value.strip()
    if " " in value and _HOSTLIKE.match(value.replace(" ", "")):
        value = value.replace(" ", "")  # a host name wrapped over two lines and joined back
    if not value and next_line is not None:
        stripped = next_line.strip()
        if stripped.startswith('"') and "xconfiguration" not in stripped.lower():
            value = stripped.strip('"')
    zone = zone_type = rule = None
    zm = _ZONE.match(path)
    if zm:
        zone, zone_type = zm.group(1), _zone_type(zm.group(2))
    rm = _RULE.match(path)
    if rm:
        rule = rm.group(1)
    return Setting(path=path, value=value, zone=zone, zone_type=zone_type, rule=rule)


_ORPHAN = re.compile(r"^\s*(traversal\s*server|traversal\s*cl[il1]ent|dns|neighbou?r)\s+(s[il1]p|h323)\s",
                     re.IGNORECASE)


def parse_orphan_line(line: str) -> Setting | None:
    """A zone setting whose `*c xConfiguration Zones Zone N` prefix was lost (OCR, a cut copy).

    >>> parse_orphan_line('TraversalServer SIP ParameterPreservation Mode: "Off" <--').path
    'zones zone traversalserver sip parameterpreservation mode'
    """
    if not _ORPHAN.match(line):
        return None
    return parse_xconfig_line("xConfiguration Zones Zone " + line.strip())


def parse_ui_line(line: str) -> Setting | None:
    m = _UI.match(to_nfkc(line))
    if not m:
        return None
    return Setting(path=UI_LABELS[" ".join(m.group(1).lower().split())], value=m.group(2).strip())


def parse_settings(lines: Sequence[str], indexes: Sequence[int]) -> list[Setting]:
    """Settings on the given lines; zone types are completed from each zone's `Type:` line."""
    out: list[Setting] = []
    for i in indexes:
        nxt = lines[i + 1] if i + 1 < len(lines) else None
        s = parse_xconfig_line(lines[i], nxt) or parse_orphan_line(lines[i]) or parse_ui_line(lines[i])
        if s:
            out.append(Setting(s.path, s.value, s.zone, s.zone_type, s.rule, i))
    types = {s.zone: _zone_type(s.value) for s in out if s.zone and s.path.endswith(" type")}
    return [
        Setting(s.path, s.value, s.zone, s.zone_type or (types.get(s.zone) if s.zone else None), s.rule, s.line)
        for s in out
    ]


# ------------------------------------------------------------------ search rules in xConfiguration
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


def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    out.settings = parse_settings(doc.lines, hits["xconfig"])
    if out.settings:
        out.kinds.add("xconfig")
        for fact in xconfig_rule_facts(out.settings):
            out.add(fact)


EXTRACTOR = Extractor(
    name="xConfiguration and web UI settings",
    triggers={"xconfig": ("xConfiguration", "TraversalServer SIP", "TraversalClient SIP", "DNS SIP", "Neighbor SIP",
                          *UI_LABELS.keys())},
    facts={
        "search_rule_preempts_webex": 'a catch-all rule with `Stop` and a lower priority number than the Webex rule '
                                      '(xConfiguration), or the search log considering a non-Webex rule for a Webex '
                                      'alias while no rule targets the Webex zone',
    },
    kinds=("xconfig",),
    extract=_extract,
)
