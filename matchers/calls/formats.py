"""SIP as Unified CM SDL traces and Wireshark/tshark packet lists write it.

>>> sdl_time('53138763.005 |09:05:19.762 |AppInfo  |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message ...')
'09:05:19.762'
>>> sdl_peer('SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message size 1288 from 192.0.2.71:[5060]:')
('received', '192.0.2.71', 5060)
>>> sdl_peer('SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to 192.0.2.71 on port 5060 index 47')
('sent', '192.0.2.71', 5060)
>>> r = wire_line('   12 0.512300 192.0.2.80 → 192.0.2.71 SIP/SDP 1012 Request: INVITE sip:ann@example.com |', 3)
>>> r.src_ip, r.dst_ip, r.method, r.ruri, r.time
('192.0.2.80', '192.0.2.71', 'INVITE', 'sip:ann@example.com', 0.5123)
>>> r = wire_line('"14","0.530","192.0.2.71","192.0.2.80","SIP","430","Status: 404 Not Found (INVITE) | "', 5)
>>> r.code, r.phrase, r.cseq
(404, 'Not Found', (0, 'INVITE'))
"""
from __future__ import annotations

import re
from typing import Any

from .records import WIRE, SipRecord
from .text import PHRASES, iso_seconds, local_day_seconds, start_line

_SDL = re.compile(r"\s*\d{3,}\.\d{3}\s*\|\s*(\d\d:\d\d:\d\d\.\d{3})\s*\|")
_SDL_PEER = re.compile(r"(Incoming|Outgoing) SIP (?:TCP|UDP|TLS) message (?:size \d+ )?(?:from|to) "
                       r"([0-9A-Fa-f.:]{3,45}?)(?::\[(\d{1,5})\]| on port (\d{1,5}))")
_WIRE_CONTEXT = re.compile(r"(?:Src|Dst)(?: Port)?: ([0-9A-Fa-f.:]{1,45})")


def sdl_time(line: str) -> str | None:
    m = _SDL.match(line)
    return m.group(1) if m else None


def sdl_peer(line: str) -> tuple[str, str, int] | None:
    """("received" | "sent", peer address, peer port) of an SDL line announcing a SIP message."""
    if " SIP " not in line:
        return None
    m = _SDL_PEER.search(line)
    if not m:
        return None
    return ("received" if m.group(1) == "Incoming" else "sent", m.group(2), int(m.group(3) or m.group(4)))


def _is_address(token: str) -> bool:
    if token.count(".") == 3:
        return all(part.isdigit() for part in token.split("."))
    return token.count(":") >= 2 and all(c in "0123456789abcdefABCDEF:" for c in token)


def wire_line(line: str, index: int) -> SipRecord | None:
    """One row of a Wireshark packet list (tshark output, a copied list or its CSV export) for a SIP packet."""
    flat = line.replace('","', " ").replace('"', " ").replace("\t", " ")
    for marker in (" Request: ", " Status: "):
        at = flat.find(marker)
        if at >= 0:
            break
    else:
        return None
    tokens = flat[:at].split()
    # ... <source> [→] <destination> <SIP or SIP/SDP> <length>
    if len(tokens) < 4 or not tokens[-1].isdigit() or not tokens[-2].startswith("SIP"):
        return None
    dst = tokens[-3]
    src_at = len(tokens) - 4
    if src_at >= 0 and tokens[src_at] in ("→", "->"):
        src_at -= 1
    if src_at < 0 or not _is_address(tokens[src_at]) or not _is_address(dst):
        return None
    info = flat[at + len(marker):].strip().rstrip("|").strip()
    rec = SipRecord(line=index, method="", code=0, source=WIRE, src_ip=tokens[src_at], dst_ip=dst)
    _wire_time(rec, tokens[:src_at])
    if marker == " Request: ":
        parsed = start_line(info + " SIP/2.0")
        if parsed is None:
            return None
        rec.method, rec.ruri = parsed[0], parsed[3]
        return rec
    words = info.split()
    if not words or not words[0].isdigit():
        return None
    rec.code = int(words[0])
    phrase = info[len(words[0]):].strip()
    if phrase.endswith(")") and "(" in phrase:          # newer Wireshark: "200 OK (INVITE)"
        phrase, _, method = phrase[:-1].rpartition("(")
        rec.headers["cseq"] = f"0 {method.strip().upper()}"
    rec.phrase = phrase.split(",")[0].strip() or PHRASES.get(rec.code, "")
    return rec


def _wire_time(rec: SipRecord, before: list[str]) -> None:
    """Relative seconds ("0.512300") or a date and time ("2024-05-02 09:14:03.118")."""
    if len(before) < 2:
        return
    last = before[-1]
    if last.replace(".", "", 1).isdigit():
        rec.stamp, rec.time = last, float(last)
        return
    stamp = f"{before[-2]} {last}" if len(before) >= 3 and before[-2][:4].isdigit() else last
    rec.stamp, rec.time, rec.day = stamp, iso_seconds(stamp), local_day_seconds(stamp)


def wire_context(line: str, context: dict[str, Any]) -> bool:
    """Addresses and ports of a packet in tshark -V / Wireshark 'packet details' text; True when it was one."""
    stripped = line.strip()
    if stripped.startswith("Internet Protocol Version") or stripped.startswith(("User Datagram Protocol",
                                                                              "Transmission Control Protocol")):
        found = _WIRE_CONTEXT.findall(stripped)
        if len(found) >= 2:
            kind = "ip" if stripped.startswith("Internet") else "port"
            context[f"src_{kind}"], context[f"dst_{kind}"] = found[0], found[1]
            return True
    elif stripped.startswith(("Epoch Arrival Time:", "Epoch Time:")):
        value = stripped.split(":", 1)[1].split()[0] if stripped.split(":", 1)[1].split() else ""
        try:
            context["time"] = float(value)
        except ValueError:
            return False
        return True
    return False
