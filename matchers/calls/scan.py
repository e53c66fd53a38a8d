"""One pass over the lines of a text: every SIP message (Expressway network.sip records with their SIPMSG body,
INFO summaries, Unified CM SDL messages, Wireshark rows and packet details, bare pastes) and every Expressway
call, TLS and TCP event. Each line is looked at once, with substring tests first, so a 20 MB log costs about
what reading it does.

>>> ev = scan(['2024-05-02T09:14:03.118+02:00 expc01 tvcs: Module="network.sip" Level="DEBUG": Action="Received" '
...            'Local-ip="192.0.2.30" Local-port="26112" Src-ip="192.0.2.31" Src-port="7003" Msg-Hash="1"',
...            ' SIPMSG:', ' |INVITE sip:bo@example.com SIP/2.0', ' Call-ID: a1@127.0.0.1', ' CSeq: 1 INVITE', ' |'])
>>> [(r.line, r.method, r.host, r.call_id) for r in ev.sip]
[(2, 'INVITE', 'expc01', 'a1@127.0.0.1')]
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from . import expressway
from .formats import sdl_peer, sdl_time, wire_context, wire_line
from .records import PASTE, UCM_TRACE, WIRE, Evidence, SipRecord
from .text import PHRASES, add_header, local_day_seconds, start_line

HEADER_SPAN = 250        # lines after a start line that may still be its headers
RECORD_GAP = 8           # lines between a network.sip record and its SIP start line (SIPMSG:, OCR blank lines)
SDL_GAP = 4              # lines between an SDL "Incoming SIP ... message" line and the message ([NNN,NET] first)
WIRE_GAP = 80            # lines between a packet's address lines and its SIP start line in packet details
CLOCK_GAP = 3            # a bare message this close under a timed log line happened at about that time


class _Scanner:
    def __init__(self) -> None:
        self.out = Evidence()
        self.pending: SipRecord | None = None      # network.sip record waiting for its message
        self.pending_at = -RECORD_GAP - 1
        self.current: SipRecord | None = None      # message whose headers are being read
        self.until = -1
        self.sdl: tuple[str, str, int, str] | None = None
        self.sdl_at = -SDL_GAP - 1
        self.wire: dict[str, Any] = {}
        self.wire_at = -WIRE_GAP - 1
        self.clock_line = ""                      # last log line, for the time of a bare message under it
        self.last_host = ""                       # host of the last network.sip record, for ones pasted without
        self.clock_at = -CLOCK_GAP - 1

    def feed(self, i: int, line: str) -> None:
        if "Module=" in line or "Event=" in line or " tvcs:" in line or "Action=" in line:
            self._record(line, i)
            return
        head = line[:32]
        if "|" in head and head.lstrip()[:1].isdigit():
            clock = sdl_time(line)
            if clock is not None:
                self._sdl(line, i, clock)
                return
        at = line.find("SIPMSG:")
        text = line[at + 7:] if at >= 0 else line
        parsed = start_line(text)
        if parsed is not None:
            self._start(parsed, i)
            return
        if at >= 0:
            return
        if ("Src" in line or "Epoch" in line) and wire_context(line, self.wire):
            self.wire_at, self.current = i, None          # the next packet of a packet-details listing
            return
        if "SIP" in line and ("Request: " in line or "Status: " in line):
            rec = wire_line(line, i)
            if rec is not None:
                self.out.sip.append(rec)
                self.current = None
                return
        if self.current is not None and i <= self.until:
            stripped = text.strip()
            if stripped == "|":
                self.current = None
            elif stripped:
                add_header(self.current.headers, stripped.lstrip("|"))

    def _record(self, line: str, i: int) -> None:
        self.current = None
        self.pending = None
        self.clock_line, self.clock_at = line, i
        if "network.sip" in line or "Action=" in line:
            rec = expressway.sip_record(line, i)
            if rec is None:
                return
            if rec.host:
                self.last_host = rec.host
            else:                                 # a pasted excerpt that lost the host and Local-ip fields
                rec.host = self.last_host
            if rec.summary:
                self.out.sip.append(rec)
                return
            self.pending, self.pending_at = rec, i
            at = line.find("SIPMSG:")
            if at >= 0:
                parsed = start_line(line[at + 7:])
                if parsed is not None:
                    self._start(parsed, i)
            return
        if "Resolved hostname to:" in line:
            expressway.resolved(line, self.out.names)
            return
        if "Event=" in line:
            ev = expressway.event_record(line, i)
        elif "network.tcp" in line:
            ev = expressway.tcp_record(line, i)
        else:
            return
        if ev is not None:
            self.out.events.append(ev)

    def _sdl(self, line: str, i: int, clock: str) -> None:
        self.current = None
        peer = sdl_peer(line)
        if peer is not None:
            self.sdl, self.sdl_at = (*peer, clock), i

    def _start(self, parsed: tuple[str, int, str, str, str], i: int) -> None:
        method, code, phrase, ruri, rest = parsed
        if self.pending is not None and i - self.pending_at <= RECORD_GAP:
            rec, self.pending = self.pending, None
        elif self.sdl is not None and i - self.sdl_at <= SDL_GAP:
            rec = self._from_sdl(i)
        elif self.wire and i - self.wire_at <= WIRE_GAP:
            rec = self._from_wire(i)
        else:
            rec = SipRecord(line=i, method="", code=0, source=PASTE)
            if i - self.clock_at <= CLOCK_GAP:
                rec.stamp, rec.time, rec.day = expressway.when(self.clock_line)
        rec.line, rec.method, rec.code, rec.ruri = i, method, code, ruri
        phrase, _, tail = phrase.partition("|")
        rec.phrase = phrase.strip() or PHRASES.get(code, "")
        for piece in (rest + "|" + tail).split("|"):
            if piece.strip():
                add_header(rec.headers, piece.strip())
        self.out.sip.append(rec)
        self.current, self.until = rec, i + HEADER_SPAN

    def _from_sdl(self, i: int) -> SipRecord:
        assert self.sdl is not None
        action, ip, number, clock = self.sdl
        self.sdl = None
        rec = SipRecord(line=i, method="", code=0, source=UCM_TRACE, action=action, stamp=clock,
                        day=local_day_seconds(clock))
        if action == "received":
            rec.src_ip, rec.src_port = ip, number
        else:
            rec.dst_ip, rec.dst_port = ip, number
        return rec

    def _from_wire(self, i: int) -> SipRecord:
        ctx, self.wire = self.wire, {}
        rec = SipRecord(line=i, method="", code=0, source=WIRE, src_ip=ctx.get("src_ip", ""),
                        dst_ip=ctx.get("dst_ip", ""))
        rec.src_port = int(ctx["src_port"]) if ctx.get("src_port", "").isdigit() else 0
        rec.dst_port = int(ctx["dst_port"]) if ctx.get("dst_port", "").isdigit() else 0
        if "time" in ctx:
            rec.time = ctx["time"]
            rec.stamp = f"{ctx['time']:.6f}"
        return rec


def scan(lines: Sequence[str]) -> Evidence:
    scanner = _Scanner()
    feed = scanner.feed
    for i, line in enumerate(lines):
        if line and not line.isspace():
            feed(i, line)
    return scanner.out
