"""SIP in clear in a packet capture (pcap or pcapng, read with dpkt): UDP datagrams and TCP streams on any port,
turned into the same records as a log, so the calls come out of the same builder.

Bounded: at most MAX_PACKETS frames and MAX_STREAM_BYTES buffered per TCP direction. A capture damaged part way
gives the calls read before the damage; bytes that are no capture at all raise ValueError.
"""
from __future__ import annotations

import io
import socket
import struct
from datetime import UTC, datetime
from typing import Any

import dpkt

from .build import build
from .model import Call
from .records import WIRE, Evidence, SipRecord
from .text import METHODS, PHRASES, add_header, start_line

MAX_PACKETS = 300_000
MAX_STREAM_BYTES = 256 * 1024
_PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
_PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
_STARTS = tuple(m.encode() + b" " for m in METHODS) + (b"SIP/2.0 ",)
_FAILURES = (ValueError, dpkt.Error, struct.error, EOFError, IndexError, OSError)


def calls_from_capture(data: bytes) -> list[Call]:
    return build(read_capture(data))


def read_capture(data: bytes) -> Evidence:
    if data[:4] in _PCAP_MAGICS:
        opener = dpkt.pcap.Reader
    elif data[:4] == _PCAPNG_MAGIC:
        opener = dpkt.pcapng.Reader
    else:
        raise ValueError("not a packet capture (no pcap or pcapng header)")
    try:
        reader = opener(io.BytesIO(data))
    except _FAILURES as exc:
        raise ValueError(f"the capture header is damaged ({exc})") from None
    linktype = reader.datalink()
    evidence = Evidence()
    streams: dict[tuple[Any, ...], bytearray] = {}
    frames = iter(reader)
    for frame in range(1, MAX_PACKETS + 1):
        try:
            ts, buf = next(frames)
        except StopIteration:
            break
        except _FAILURES:
            break                               # truncated or damaged: keep what was read
        packet = _transport(linktype, buf)
        if packet is None:
            continue
        src, dst, segment = packet
        payload = bytes(segment.data)
        if not payload:
            continue
        key = (src, segment.sport, dst, segment.dport)
        if isinstance(segment, dpkt.udp.UDP):
            if payload.startswith(_STARTS):
                _add(evidence, payload, key, float(ts), frame)
            continue
        stream = streams.get(key)
        if stream is None:
            if not payload.startswith(_STARTS):
                continue
            stream = streams[key] = bytearray()
        stream += payload
        for message in _complete_messages(stream):
            _add(evidence, message, key, float(ts), frame)
        if len(stream) > MAX_STREAM_BYTES:
            del stream[:]
    return evidence


def _transport(linktype: int, buf: bytes) -> tuple[str, str, dpkt.tcp.TCP | dpkt.udp.UDP] | None:
    try:
        if linktype == 1:
            ip = dpkt.ethernet.Ethernet(buf).data
        elif linktype == 113:
            ip = dpkt.sll.SLL(buf).data
        elif linktype == 276:
            ip = dpkt.sll2.SLL2(buf).data
        elif linktype in (0, 108):
            ip = _raw_ip(buf[4:])
        elif linktype in (12, 14, 101, 228, 229):
            ip = _raw_ip(buf)
        else:
            return None
        if not isinstance(ip, dpkt.ip.IP | dpkt.ip6.IP6) or not isinstance(ip.data, dpkt.tcp.TCP | dpkt.udp.UDP):
            return None
        family = socket.AF_INET6 if isinstance(ip, dpkt.ip6.IP6) else socket.AF_INET
        return socket.inet_ntop(family, ip.src), socket.inet_ntop(family, ip.dst), ip.data
    except _FAILURES:
        return None


def _raw_ip(raw: bytes) -> dpkt.ip.IP | dpkt.ip6.IP6 | None:
    version = raw[0] >> 4 if raw else 0
    return dpkt.ip.IP(raw) if version == 4 else dpkt.ip6.IP6(raw) if version == 6 else None


def _complete_messages(stream: bytearray) -> list[bytes]:
    """Cut whole SIP messages (headers, then Content-Length bytes of body) off the front of a TCP stream."""
    out = []
    while stream:
        end = stream.find(b"\r\n\r\n")
        if end < 0:
            break
        head = bytes(stream[:end])
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() in (b"content-length", b"l") and value.strip().isdigit():
                length = int(value.strip())
        total = end + 4 + length
        if len(stream) < total:
            break
        out.append(bytes(stream[:total]))
        del stream[:total]
        while stream[:2] == b"\r\n":                  # keep-alive CRLFs between messages
            del stream[:2]
    return out


def _add(evidence: Evidence, message: bytes, key: tuple[Any, ...], ts: float, frame: int) -> None:
    text = message.decode("utf-8", "replace")
    head = text.split("\r\n\r\n", 1)[0].split("\r\n") if "\r\n" in text else text.split("\n")
    parsed = start_line(head[0])
    if parsed is None:
        return
    method, code, phrase, ruri, _ = parsed
    src, sport, dst, dport = key
    moment = datetime.fromtimestamp(ts, UTC)
    rec = SipRecord(line=frame, method=method, code=code, phrase=phrase or PHRASES.get(code, ""), ruri=ruri,
                    source=WIRE, src_ip=src, src_port=sport, dst_ip=dst, dst_port=dport,
                    stamp=moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"), time=ts,
                    day=moment.hour * 3600 + moment.minute * 60 + moment.second + moment.microsecond / 1e6)
    for line in head[1:]:
        if line.strip():
            add_header(rec.headers, line.strip())
    evidence.sip.append(rec)
