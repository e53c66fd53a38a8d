"""`netstat -an` listening sockets.

>>> listening_address('tcp        0      0 127.0.0.1:5062          0.0.0.0:*               LISTEN')
('127.0.0.1', '5062')
>>> listening_address('tcp   0   0 ::1:5062           :::*        LISTEN')
('::1', '5062')
"""
from __future__ import annotations

import re

from ..normalize import clean_line

_LISTEN = re.compile(r"^\s*tcp6?\s+\d+\s+\d+\s+(\S+):(\d+)\s+\S+\s+listen\b")


def listening_address(raw: str) -> tuple[str, str] | None:
    m = _LISTEN.match(clean_line(raw))
    return (m.group(1), m.group(2)) if m else None


def is_loopback(address: str) -> bool:
    return address.startswith("127.") or address in {"::1", "[::1]", "localhost"}
