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
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ...normalize import clean_line
from ..model import Extractor, Fact, FactSet, Hits

if TYPE_CHECKING:
    from ...document import Document

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


def parse_messages(lines: Sequence[str], start_indexes: Sequence[int]) -> list[SipMessage]:
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


# ------------------------------------------------------------------ facts
def _extract(doc: Document, hits: Hits, out: FactSet) -> None:
    lines = doc.lines
    starts = hits.get("sip_start", [])
    for i in starts:
        code = status_code(lines[i])
        if code:
            out.sip_codes.append((code, i))
    messages = parse_messages(lines, starts)
    if messages:
        out.kinds.add("sip")
    received = [m for m in messages if m.start == "INVITE" and _squared(m.contact)]
    for m in messages:
        if m.start != "INVITE" or m.direction != "sent" or _squared(m.contact):
            continue
        if not m.contact:
            continue
        for r in received:
            same_call = (not m.call_id or not r.call_id or m.call_id.strip() == r.call_id.strip()
                         or (m.request_uri and m.request_uri == r.request_uri))
            if same_call and r.first_line < m.first_line:
                contact_line = _header_line(lines, m.first_line, "contact")
                out.add(Fact("call_type_squared_stripped", "", contact_line,
                             {"received_contact": r.contact[:120], "sent_contact": m.contact[:120]}))
                break

    kept = _squared_kept(messages)
    if kept is not None and not out.named("call_type_squared_stripped"):
        out.add(Fact("call_type_squared_kept", "", _header_line(lines, kept.first_line, "contact")))

    audio_lines = hits.get("sdp", [])
    for i in audio_lines:
        media = audio_media_line(lines[i])
        if not media:
            continue
        port, payloads = media
        if port == "0":
            out.add(Fact("sdp_audio_port_zero", "", i))
            continue
        codecs = {}
        for j in range(i + 1, min(len(lines), i + 20)):
            if audio_media_line(lines[j]) or lines[j].lower().lstrip("|").startswith("m="):
                break
            mapped = rtpmap(lines[j])
            if mapped:
                codecs[mapped[0]] = mapped[1]
        real = [p for p in payloads if p != "*" and "telephone-event" not in codecs.get(p, "")]
        names = {codecs.get(p, {"18": "g729", "0": "pcmu", "8": "pcma", "9": "g722"}.get(p, p)) for p in real}
        if names and all(n.startswith("g729") or n == "18" for n in names):
            out.add(Fact("sdp_audio_g729_only", "", i, {"payloads": " ".join(payloads)}))

    for i in hits.get("q850", []):
        cause = q850_cause(lines[i])
        if cause:
            out.add(Fact("q850_cause", cause, i, {"cause": cause}))


def _squared_kept(messages: list[SipMessage]) -> SipMessage | None:
    """An INVITE received with call-type=squared and sent on with it: parameter preservation works."""
    received = [m for m in messages if m.start == "INVITE" and m.direction == "received" and _squared(m.contact)]
    for m in messages:
        if m.start == "INVITE" and m.direction == "sent" and _squared(m.contact):
            if any(r.first_line < m.first_line for r in received):
                return m
    return None


def _squared(contact: str) -> bool:
    return "call-type=squared" in contact.replace(" ", "").lower()


def _header_line(lines: Sequence[str], start: int, header: str) -> int:
    for j in range(start, min(len(lines), start + 80)):
        if lines[j].strip().lstrip("|").lower().startswith(header + ":"):
            return j
    return start


EXTRACTOR = Extractor(
    name="SIP messages, SDP and Q.850 causes",
    triggers={
        # status lines by their code's first digit: "SIP/2.0" alone is on every Via header, and would use up
        # the prefilter's lines per key on a big log long before its responses
        "sip_start": ("SIP/2.0 1", "SIP/2.0 2", "SIP/2.0 3", "SIP/2.0 4", "SIP/2.0 5", "SIP/2.0 6",
                      "INVITE sip", "BYE sip", "CANCEL sip", "ACK sip", "Response-code", "Response Code="),
        "sdp": ("m=audio",),
        "q850": ("Q.850", "cause"),
    },
    facts={
        "call_type_squared_stripped": 'an INVITE received with `;call-type=squared` in Contact is sent on without it',
        "call_type_squared_kept": 'an INVITE received with `;call-type=squared` is sent on with it: parameter '
                                  'preservation works on that hop',
        "sdp_audio_port_zero": 'an SDP `m=audio 0 ` line (a refused audio stream)',
        "sdp_audio_g729_only": 'an SDP audio offer whose only codec is G.729 (payload 18), telephone-event aside',
        "q850_cause": '`Reason: Q.850;cause=N`, or words `cause 47` (value: cause number)',
    },
    kinds=("sip",),
    extract=_extract,
)
