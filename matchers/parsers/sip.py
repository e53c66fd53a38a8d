"""SIP messages as they appear in Expressway logs, Wireshark or plain pastes.

>>> status_code('|SIP/2.0 404 Not Found')
404
>>> q850_cause('Reason: Q.850 ;cause=47')
'47'
>>> m = audio_media_line('m=audio 31410 RTP/SAVP 18 101')
>>> m
('31410', ['18', '101'])
>>> codes_in_prose("calls to webex get 404, and sometimes a 603 decline at 10.1.1.404")
[404, 603]
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..normalize import clean_line

_STATUS = re.compile(r"sip/2\.0\s+([1-6]\d\d)\b")
_RESPONSE_CODE = re.compile(r"response-?code\s*=\s*\"?([1-6]\d\d)|sending response code=([1-6]\d\d)")
_REQUEST = re.compile(r"^\W*(invite|ack|bye|cancel|options|update|prack|info|refer|notify|subscribe|message)\s+sips?:")
_Q850 = re.compile(r"q\.?\s*850\s*;?\s*cause\s*=\s*(\d{1,3})|\bcause\s*(?:code\s*)?=?\s*(\d{1,3})\b")
_AUDIO = re.compile(r"^m=audio\s+(\d+)\s+\S+\s*([\d *]*)")
_RTPMAP = re.compile(r"^a=rtpmap:(\d+)\s+([\w.-]+)")
# a code ends a sentence ("we get 404.") but is not part of an address, time or version ("10.1.1.404", "4.404.1")
_PROSE_CODE = re.compile(r"([3-6](?<![\d.:/-][3-6])\d\d)(?![\d:/-]|\.\d)")
KNOWN_CODES = {
    301, 302, 400, 401, 403, 404, 405, 407, 408, 410, 415, 420, 422, 480, 481, 482, 483, 484, 485, 486,
    487, 488, 491, 500, 501, 502, 503, 504, 505, 513, 600, 603, 604, 606,
}
REASONS = {
    403: "forbidden", 404: "not found", 408: "request timeout", 480: "temporarily unavailable",
    481: "does not exist", 486: "busy", 487: "request terminated", 488: "not acceptable",
    500: "server internal error", 503: "service unavailable", 603: "decline",
}


def status_code(raw: str) -> int | None:
    text = clean_line(raw)
    m = _STATUS.search(text)
    if m:
        return int(m.group(1))
    m = _RESPONSE_CODE.search(text)
    if m:
        return int(m.group(1) or m.group(2))
    return None


def request_method(raw: str) -> str | None:
    m = _REQUEST.match(clean_line(raw))
    return m.group(1).upper() if m else None


def q850_cause(raw: str) -> str | None:
    m = _Q850.search(clean_line(raw))
    return (m.group(1) or m.group(2)) if m else None


def audio_media_line(raw: str) -> tuple[str, list[str]] | None:
    m = _AUDIO.match(clean_line(raw).lstrip("|"))
    return (m.group(1), m.group(2).split()) if m else None


def rtpmap(raw: str) -> tuple[str, str] | None:
    m = _RTPMAP.match(clean_line(raw).lstrip("|"))
    return (m.group(1), m.group(2).lower()) if m else None


def codes_in_prose(text: str) -> list[int]:
    """SIP response codes named in words ("getting 404", "603 decline"), ignoring addresses and times."""
    found = []
    for m in _PROSE_CODE.finditer(text.lower()):
        code = int(m.group(1))
        if code in KNOWN_CODES and code not in found:
            found.append(code)
    return found


@dataclass
class SipMessage:
    first_line: int
    start: str                       # request method or "SIP/2.0 <code>"
    direction: str = ""              # received | sent | ""
    call_id: str = ""
    contact: str = ""
    request_uri: str = ""
    headers: dict[str, str] = field(default_factory=dict)


_HEADER = re.compile(r"^\W*([A-Za-z][A-Za-z-]{0,30})\s*:\s*(.*)$")
_ACTION = re.compile(r'action\s*=\s*"?(received|sent)', re.IGNORECASE)


def parse_messages(lines: list[str], start_indexes: list[int]) -> list[SipMessage]:
    """Collect the headers of each SIP message starting at the given lines."""
    messages = []
    for start in start_indexes:
        raw = lines[start]
        method = request_method(raw)
        code = status_code(raw) if method is None else None
        if method is None and code is None:
            continue
        msg = SipMessage(first_line=start, start=method or f"SIP/2.0 {code}")
        if method:
            parts = raw.strip().lstrip("|").split()
            msg.request_uri = parts[1].lower() if len(parts) > 1 else ""
        for back in range(start, max(-1, start - 4), -1):
            action = _ACTION.search(lines[back])
            if action:
                msg.direction = action.group(1).lower()
                break
        for j in range(start + 1, min(len(lines), start + 80)):
            text = lines[j].strip().lstrip("|")
            if not text or request_method(text) or _STATUS.search(text.lower()) or _ACTION.search(text):
                break
            hm = _HEADER.match(text)
            if hm:
                name = hm.group(1).lower()
                msg.headers.setdefault(name, hm.group(2).strip())
        msg.call_id = msg.headers.get("call-id", msg.headers.get("i", ""))
        msg.contact = msg.headers.get("contact", msg.headers.get("m", ""))
        messages.append(msg)
    return messages
