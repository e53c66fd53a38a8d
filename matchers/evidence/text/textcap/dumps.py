"""One-line packet dumps: `tcpdump -nn` (with -v/-vv the addresses and flags are on the indented second line),
FTD `capture-traffic`, and Cisco ASA/FTD `show capture NAME` (flags S R P F U and ".", then `ack N`).

>>> from .packet import read_form
>>> p = parse_dump(read_form("   1: 10:14:07.388921       203.0.113.73.39114 > 198.51.100.20.5062: S "
...                          "2716211883:2716211883(0) win 29200 <mss 1380,sackOK,timestamp 41511 0>"), 4)
>>> p.form, p.src, p.sport, p.dport, sorted(p.flags), p.time
('asa', '203.0.113.73', 39114, 5062, ['syn'], '10:14:07.388921')
>>> p = parse_dump(read_form("  198.51.100.20.5062 > 203.0.113.73.39114: Flags [R.], cksum 0x51f2, seq 0, ack 1"), 9)
>>> p.form, p.src, sorted(p.flags)
('tcpdump', '198.51.100.20', ['ack', 'rst'])
"""
from __future__ import annotations

import re

from .packet import IPV4, IPV6, ListedPacket, port_number, time_in

_HOST = rf"({IPV4}|{IPV6}|[a-z][\w-]*(?:\.[a-z][\w-]*)*)"
_PORT = r"(\d{1,5}|sip-tls|sips|sip)"
_DUMP = re.compile(rf"(?<![\w.:]){_HOST}\.{_PORT}\s*>\s*{_HOST}\.{_PORT}\s*:\s*(.*)$")
_TCPDUMP_FLAGS = re.compile(r"^flags\s*\[([sfrpuew.]*|none)\]")
_ASA_FLAGS = re.compile(r"^([sfrpuew]{1,6}|\.)\s+(?=\w+:\w+\(\w+\)|ack\b|win\b)")   # seq:seq(len), OCR or not
_FLAG_LETTERS = {"s": "syn", "r": "rst", "f": "fin", "p": "psh", ".": "ack"}
_ACK = re.compile(r"\back\s+\d")
_DROP = re.compile(r"drop-reason\s*:\s*(.*?)(?:,\s*drop-location|$)")


def parse_dump(text: str, line: int, previous: str = "") -> ListedPacket | None:
    """A tcpdump or ASA capture line, cleaned (`read_form`); `previous` is the line before, also cleaned
    (tcpdump -v puts the time there)."""
    if ">" not in text:
        return None
    m = _DUMP.search(text)
    if not m:
        return None
    sport, dport, rest = port_number(m.group(2)), port_number(m.group(4)), m.group(5)
    if sport is None or dport is None:
        return None
    tcpdump = _TCPDUMP_FLAGS.match(rest)
    asa = None if tcpdump else _ASA_FLAGS.match(rest)
    if tcpdump:
        letters = tcpdump.group(1)
        flags = {_FLAG_LETTERS[c] for c in letters if c in _FLAG_LETTERS}
    elif asa:
        flags = {_FLAG_LETTERS[c] for c in asa.group(1) if c in _FLAG_LETTERS}
        if _ACK.search(rest):
            flags.add("ack")
    else:
        return None   # UDP, ICMP or another protocol's decode
    when = time_in(text[:m.start()]) or time_in(previous)
    p = ListedPacket(line, "tcpdump" if tcpdump else "asa", m.group(1), m.group(3), sport, dport,
                     frozenset(flags), time=when)
    drop = _DROP.search(rest)
    if drop:
        p.dropped = drop.group(1).strip()
    return p
