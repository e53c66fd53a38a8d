"""Expressway log records: `Key="value"` pairs, tolerant of lost or doubled quotes.

>>> r = parse_record('tvcs: Event="Inbound TLS Negotiation Error" Src-ip="203.0.113.5" Dst-port="5062" '
...                  'Detail="sslv3 alert certificate unknown"')
>>> r["event"], r["dst-port"], r["detail"]
('Inbound TLS Negotiation Error', '5062', 'sslv3 alert certificate unknown')
>>> parse_record('Detail=TCP Connection Failed Dst-port=""5061""')["dst-port"]
'5061'
"""
from __future__ import annotations

import re

from ..normalize import to_nfkc

_PAIR = re.compile(r'([A-Za-z][A-Za-z0-9_.-]{0,40})\s*=\s*(?:"+([^"]*)"+|(\S+))')


def parse_record(line: str) -> dict[str, str]:
    """Key (lower case) to value for every key=value pair on the line; later duplicates are dropped."""
    out: dict[str, str] = {}
    for m in _PAIR.finditer(to_nfkc(line)):
        key = m.group(1).lower()
        if key not in out:
            value = m.group(2) if m.group(2) is not None else m.group(3)
            out[key] = value.strip()
    return out


def looks_like_log_line(line: str) -> bool:
    """Expressway/syslog-style line: has at least two key=value pairs or a syslog host prefix."""
    return line.count("=") >= 2 or " tvcs:" in line
