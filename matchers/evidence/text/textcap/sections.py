"""Which capture of the paste a packet belongs to: ASA/FTD `show capture` output for several interfaces pasted
together ("capture outside:", "show capture CAPI", "0 packet captured"), or a tcpdump run with its
"N packets captured" at the end. Each section knows whether it was taken outside or inside the firewall.

>>> placement("show capture capout"), placement("capture inside:"), placement("cap_in"), placement("tcpdump -ni eth0")
('outside', 'inside', 'inside', '')
>>> placement("capture on the firewall outside interface:")
'outside'

"""
from __future__ import annotations

import re
from dataclasses import dataclass

_OUTSIDE = {"out", "outside", "outer", "external", "ext", "untrust", "untrusted", "internet", "wan", "public",
            "unsecure"}
_INSIDE = {"in", "inside", "inner", "internal", "dmz", "trust", "trusted", "lan", "private", "secure",
           "expe", "expressway", "vcse", "vcs-e"}
_CAPTURE_PREFIX = re.compile(r"^(?:capture|capt|cap)[-_]?")
_SHOW = re.compile(r"\bshow\s+cap(?:ture)?\s+(\S+)")
_DEFINED = re.compile(r"^capture\s+(\S+)\s+.*?\binterface\s+(\S+)")        # a `show capture` listing line
_COUNT = re.compile(r"^(\d+)\s+packets?\s+captured\b")
_SHOWN = re.compile(r"^\d+\s+packets?\s+shown\b")
_TCPDUMP = re.compile(r"\btcpdump\b(?!\s*:)|^listening on\s")
_HEADING = re.compile(r"\bcaptures?\b|\binterface\b|^(?:outside|inside|dmz)\b\W*$")


def placement(text: str) -> str:
    """outside, inside or "" from a capture's name, interface or heading words."""
    words = re.split(r"[^a-z0-9-]+", text.lower().replace("interface", " "))
    found = ""
    for word in words:
        stripped = _CAPTURE_PREFIX.sub("", word)
        for w in {word, stripped}:
            if w in _OUTSIDE or (w == "o" and stripped != word):
                return "outside"
            if (w in _INSIDE or (w == "i" and stripped != word)) and not found:
                found = "inside"
    return found


@dataclass
class Section:
    id: int
    line: int
    name: str = ""
    place: str = ""                 # outside, inside or ""
    kind: str = ""                  # asa or tcpdump
    declared: int | None = None     # "N packets captured"
    count_line: int | None = None
    packets: int = 0
    closed: bool = False


class Sections:
    def __init__(self) -> None:
        self.sections: list[Section] = []
        self.interfaces: dict[str, str] = {}      # capture name -> interface, from a `show capture` listing

    @property
    def current(self) -> int:
        return self.sections[-1].id if self.sections else 0

    def feed(self, text: str, line: int) -> bool:
        """Read a cleaned line that may start, count or end a capture; False when it does none of those."""
        if len(text) > 160:
            return False
        m = _DEFINED.match(text)
        if m:
            self.interfaces[m.group(1)] = m.group(2)
            return True
        m = _SHOW.search(text)
        if m:
            name = m.group(1)
            self._start(line, name, placement(self.interfaces.get(name, "")) or placement(name), "asa")
            return True
        m = _COUNT.match(text)
        if m:
            self._count(int(m.group(1)), line)
            return True
        if _SHOWN.match(text):
            if self.sections:
                self.sections[-1].closed = True
            return True
        if _TCPDUMP.search(text):
            last = self.sections[-1] if self.sections else None
            if last is None or last.kind != "tcpdump" or last.closed or last.packets:
                # tcpdump is what the Expressway-E itself captures with: inside the firewall unless it says
                self._start(line, "tcpdump", placement(text) or "inside", "tcpdump")
            return True
        if _HEADING.search(text) and len(text) <= 80:
            place = placement(text)
            if place:
                self._start(line, text.strip(":= -"), place, "")
                return True
        return False

    def finish(self) -> list[Section]:
        """Sections named by `show capture NAME` take the interface of NAME from a listing pasted after them."""
        for section in self.sections:
            interface = self.interfaces.get(section.name)
            if interface and placement(interface):
                section.place = placement(interface)
        return self.sections

    def packet(self) -> int:
        """The section the next packet belongs to."""
        if not self.sections or self.sections[-1].closed:
            self._start(-1, "", "", "")
        self.sections[-1].packets += 1
        return self.sections[-1].id

    def _count(self, count: int, line: int) -> None:
        last = self.sections[-1] if self.sections else None
        if last is not None and last.kind == "tcpdump" and not last.closed:
            last.declared, last.count_line, last.closed = count, line, True    # tcpdump counts at the end
            return
        if last is None or last.closed or last.declared is not None or last.packets:
            last = self._start(line, "", "", "asa")
        last.declared, last.count_line = count, line
        if count == 0:
            last.closed = True

    def _start(self, line: int, name: str, place: str, kind: str) -> Section:
        last = self.sections[-1] if self.sections else None
        fresh = last is not None and not last.packets and last.declared is None and not last.closed
        if last is not None and fresh and last.kind != "tcpdump":
            # a heading then `show capture X`, or "capture outside:" then its count: one section
            last.name = name or last.name
            last.place = place or last.place
            last.kind = kind or last.kind
            return last
        section = Section(len(self.sections) + 1, line, name, place, kind)
        self.sections.append(section)
        return section
