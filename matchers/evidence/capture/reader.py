"""Packet captures (.pcap / .pcapng bytes, read with dpkt): TCP streams on 5062 and 5061 summarised, a
Wireshark-like list of the packets that matter, and facts (SYN answered by RST, SYN never answered, TLS alerts
and who sent them, the certificate chain the Expressway-E sent).

Pure and bounded: bytes in, text and facts out; at most MAX_PACKETS packets and MAX_STREAM_BYTES per direction
are read. A damaged or truncated capture never raises anything but CaptureError (nothing readable at all);
what was read before the damage is summarised, with a note.
"""
from __future__ import annotations

import io
import socket
import struct

import dpkt

from . import PCAPNG_MAGIC, is_capture
from .streams import StreamTable
from .summary import CaptureSummary, render

PORTS = (5062, 5061)
MAX_CAPTURE_BYTES = 100 * 1024 * 1024
MAX_PACKETS = 300_000
LINK_NAMES = {0: "BSD loopback", 1: "Ethernet", 12: "raw IP", 14: "raw IP", 101: "raw IP", 108: "OpenBSD loopback",
              113: "Linux cooked", 228: "raw IPv4", 229: "raw IPv6", 276: "Linux cooked v2"}


class CaptureError(ValueError):
    """Nothing in the bytes can be read as a packet capture; the message says why."""


def summarise(data: bytes, ports: tuple[int, ...] = PORTS) -> CaptureSummary:
    """Read a capture and summarise its TCP streams on `ports`."""
    if not is_capture(data):
        raise CaptureError("not a packet capture (no pcap or pcapng header); save it from Wireshark as .pcapng "
                           "or .pcap")
    out = CaptureSummary(format="pcapng" if data[:4] == PCAPNG_MAGIC else "pcap")
    if len(data) > MAX_CAPTURE_BYTES:
        out.notes.append(f"only the first {MAX_CAPTURE_BYTES // 2**20} MB of the capture were read")
        data = data[:MAX_CAPTURE_BYTES]
    try:
        reader = dpkt.pcapng.Reader(io.BytesIO(data)) if out.format == "pcapng" else dpkt.pcap.Reader(io.BytesIO(data))
    except (ValueError, dpkt.Error, struct.error, EOFError) as exc:
        raise CaptureError(f"the capture header is damaged ({_short(exc)})") from None
    linktype = reader.datalink()
    out.link = LINK_NAMES.get(linktype, f"link type {linktype}")
    table = StreamTable(ports)
    start: float | None = None
    packets = iter(reader)
    while True:
        try:
            ts, buf = next(packets)
        except StopIteration:
            break
        except (ValueError, dpkt.Error, struct.error, EOFError, IndexError) as exc:
            out.notes.append(f"the capture is truncated or damaged after packet {out.packets} ({_short(exc)}); "
                             "the packets before it were read")
            break
        out.packets += 1
        if out.packets > MAX_PACKETS:
            out.packets -= 1
            out.notes.append(f"only the first {MAX_PACKETS} packets were read")
            break
        ts = float(ts)
        start = ts if start is None else start
        segment = _tcp(linktype, buf)
        if segment is not None:
            table.add(out.packets, ts - start, len(buf), *segment)
    if out.packets == 0 and out.notes:
        raise CaptureError("no packet could be read: " + out.notes[-1])
    out.streams = table.finish()
    out.notes.extend(table.notes)
    out.lines, out.facts = render(out, ports)
    return out


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).split("\n")[0][:120]


def _tcp(linktype: int, buf: bytes) -> tuple[str, str, dpkt.tcp.TCP] | None:
    """(source address, destination address, TCP segment) of a frame, or None for anything else."""
    try:
        ip = _ip_layer(linktype, buf)
        if ip is None:
            return None
        tcp = ip.data
        if not isinstance(tcp, dpkt.tcp.TCP):
            return None
        family = socket.AF_INET6 if isinstance(ip, dpkt.ip6.IP6) else socket.AF_INET
        return socket.inet_ntop(family, ip.src), socket.inet_ntop(family, ip.dst), tcp
    except (dpkt.Error, ValueError, struct.error, IndexError, OSError):
        return None


def _ip_layer(linktype: int, buf: bytes) -> dpkt.ip.IP | dpkt.ip6.IP6 | None:
    if linktype == 1:
        eth = dpkt.ethernet.Ethernet(buf)
        return eth.data if isinstance(eth.data, dpkt.ip.IP | dpkt.ip6.IP6) else None
    offsets = {0: 4, 108: 4, 12: 0, 14: 0, 101: 0, 228: 0, 229: 0, 113: 16, 276: 20}
    if linktype not in offsets:
        return None
    raw = buf[offsets[linktype]:]
    if not raw:
        return None
    version = raw[0] >> 4
    if version == 4:
        return dpkt.ip.IP(raw)
    if version == 6:
        return dpkt.ip6.IP6(raw)
    return None
