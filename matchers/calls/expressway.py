"""Expressway log records: the network.sip record that heads a logged SIP message (or, at INFO level, summarises
it in its Detail), the call events (Call Attempted, Search Completed, Call Rejected...), the TLS negotiation
errors and the network.tcp connection lines.

>>> r = sip_record('2024-05-02T09:14:03.118+02:00 expc01 tvcs: UTCTime="2024-05-02 07:14:03,118" '
...     'Module="network.sip" Level="DEBUG":  Action="Received" Local-ip="192.0.2.30" Local-port="26112" '
...     'Src-ip="192.0.2.31" Src-port="7003" Msg-Hash="77"', 4)
>>> r.host, r.src_ip, r.src_port, r.dst_ip, r.dst_port, r.msg_hash, r.stamp
('expc01', '192.0.2.31', 7003, '192.0.2.30', 26112, '77', '2024-05-02T09:14:03.118+02:00')
>>> s = sip_record('x tvcs: Module="network.sip" Level="INFO": Action="Sent" Local-ip="192.0.2.30" '
...     'Local-port="26112" Dst-ip="192.0.2.31" Dst-port="7003" Detail="Sending Response Code=404, Method=INVITE, '
...     'CSeq=1, To=sip:bo@example.com, Call-ID=ab@127.0.0.1, From-Tag=12, To-Tag=34, Msg-Hash=99"', 9)
>>> s.summary, s.code, s.phrase, s.call_id, s.cseq, s.msg_hash
(True, 404, 'Not Found', 'ab@127.0.0.1', (1, 'INVITE'), '99')
>>> names = {}
>>> resolved("Detail=(Resolved hostname to: ['IPv4''TCP''203.0.113.64:5061'] (A/AAAA) "
...          "Hostname:'l2sip-ams-01.wbx2.com' Port:'5061')", names)
>>> names
{'203.0.113.64': 'l2sip-ams-01.wbx2.com'}
"""
from __future__ import annotations

import re

from .records import EXPRESSWAY_LOG, EventRecord, SipRecord
from .text import PHRASES, address, field, iso_seconds, local_day_seconds, port

CALL_EVENTS = frozenset({"Call Attempted", "Search Completed", "Call Rejected", "Call Connected",
                         "Call Disconnected", "Request Failed"})
TLS_EVENTS = frozenset({"Inbound TLS Negotiation Error", "Outbound TLS Negotiation Error"})
TCP_DETAILS = frozenset({"TCP Connecting", "TCP Connection Failed"})
_RESOLVED = re.compile(r"'IPv[46]''[A-Z]{3}''([^']{1,60})'")
_HOSTNAME = re.compile(r"Hostname:'([^']{1,255})'")


def host_of(line: str) -> str:
    """The syslog host field: `2024-... expe01 tvcs: ...` was logged by expe01."""
    at = line.find(" tvcs:")
    if at < 0:
        return ""
    return line[line.rfind(" ", 0, at) + 1:at]


def when(line: str) -> tuple[str, float | None, float | None]:
    """(time as written, epoch seconds, seconds since local midnight); UTCTime wins for the epoch because it is
    the same clock on every Expressway, whatever its time zone."""
    stamp = ""
    if line[:4].isdigit() and line[4:5] == "-":
        stamp = line.split(None, 1)[0]
    utc = field(line, "UTCTime")
    moment = iso_seconds(utc) if utc else None
    if moment is None and stamp:
        moment = iso_seconds(stamp)
    shown = stamp or (utc or "")
    return shown, moment, local_day_seconds(shown) if shown else None


def sip_record(line: str, index: int) -> SipRecord | None:
    """A network.sip record; a DEBUG one is completed by the SIP message under it, an INFO one is whole."""
    action = (field(line, "Action") or "").lower()
    if action not in ("received", "sent"):
        return None
    rec = SipRecord(line=index, method="", code=0, source=EXPRESSWAY_LOG, action=action)
    local_ip, local_port = field(line, "Local-ip") or "", port(field(line, "Local-port"))
    if action == "received":
        rec.src_ip, rec.src_port = field(line, "Src-ip") or "", port(field(line, "Src-port"))
        rec.dst_ip, rec.dst_port = local_ip, local_port
    else:
        rec.src_ip, rec.src_port = local_ip, local_port
        rec.dst_ip, rec.dst_port = field(line, "Dst-ip") or "", port(field(line, "Dst-port"))
    rec.host = host_of(line) or (f"@{local_ip}" if local_ip else "")
    rec.stamp, rec.time, rec.day = when(line)
    rec.msg_hash = (field(line, "Msg-Hash") or "").rstrip(",")
    detail = field(line, "Detail") or ""
    if "Request" in detail or "Response" in detail:
        _summary(rec, detail)
    return rec


def _summary(rec: SipRecord, detail: str) -> None:
    """`Receive Request Method=INVITE, CSeq=1, Request-URI=..., Call-ID=..., From-Tag=...` and the like."""
    pairs: dict[str, str] = {}
    for item in detail.split(","):
        key, sep, value = item.partition("=")
        words = key.split()
        if sep and words:
            pairs[words[-1].lower()] = value.strip()
    code = pairs.get("code", "")
    method = pairs.get("method", "").upper()
    if code.isdigit():
        rec.code, rec.phrase = int(code), PHRASES.get(int(code), "")
    elif method:
        rec.method, rec.ruri = method, pairs.get("request-uri", "")
    else:
        return
    rec.summary = True
    rec.msg_hash = pairs.get("msg-hash", rec.msg_hash)
    headers = rec.headers
    headers["call-id"] = pairs.get("call-id", "")
    headers["cseq"] = f"{pairs.get('cseq', '')} {method}".strip()
    if pairs.get("to"):
        headers["to"] = f"<{pairs['to']}>"
    if pairs.get("from-tag"):
        headers["x-from-tag"] = pairs["from-tag"]
    local, remote = pairs.get("local-sessionid", ""), pairs.get("remote-sessionid", "")
    if local or remote:
        headers["session-id"] = f"{local};remote={remote}"


def resolved(line: str, names: dict[str, str]) -> None:
    """`Detail="Resolved hostname to: ['IPv4''TCP''203.0.113.21:5062'] ... Hostname:'l2sip-x.wbx2.com'"`: which
    host names the addresses an Expressway then connects to belong to (several SRV records share one line)."""
    hosts = _HOSTNAME.findall(line)
    if not hosts:
        return
    for found in _RESOLVED.findall(line):
        names.setdefault(address(found)[0], hosts[0])


def event_record(line: str, index: int) -> EventRecord | None:
    name = (field(line, "Event") or "").strip()
    if name not in CALL_EVENTS and name not in TLS_EVENTS:
        return None
    ev = _addressed(EventRecord(line=index, name=name), line)
    ev.src_alias = (field(line, "Src-alias") or "").strip()
    ev.dst_alias = (field(line, "Dst-alias") or "").strip()
    ev.serial = (field(line, "Call-serial-number") or "").strip()
    ev.tag = (field(line, "Tag") or "").strip()
    ev.code = port(field(line, "Response-code"))
    ev.reason = (field(line, "Reason") or "").strip()
    ev.detail = (field(line, "Detail") or "").strip()
    return ev


def tcp_record(line: str, index: int) -> EventRecord | None:
    detail = (field(line, "Detail") or "").strip()
    if detail not in TCP_DETAILS:
        return None
    ev = _addressed(EventRecord(line=index, name=detail, detail=detail), line)
    return ev


def _addressed(ev: EventRecord, line: str) -> EventRecord:
    ev.host = host_of(line)
    ev.stamp, ev.time, ev.day = when(line)
    ev.src_ip, ev.src_port = field(line, "Src-ip") or "", port(field(line, "Src-port"))
    ev.dst_ip, ev.dst_port = field(line, "Dst-ip") or "", port(field(line, "Dst-port"))
    return ev
