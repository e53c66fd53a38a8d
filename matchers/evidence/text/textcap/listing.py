"""Rows of the Wireshark packet list (copied as text, tab-separated or space-aligned) and tshark's one-line
summaries: any column set and order, with or without the header line.

>>> header = parse_header("No.\\tTime\\tSource\\tSrc Port\\tDestination\\tDst Port\\tProtocol\\tLength\\tInfo")
>>> row = ("7\\t0.01\\t198.51.100.20\\t5062\\t203.0.113.73\\t41706\\tTLSv1.2\\t73\\t"
...        "Alert (Level: Fatal, Description: Unknown CA)")
>>> p = parse_row(row, read_form(row), 7, header)
>>> p.sport, p.dport, p.alerts[0].name
(5062, 41706, 'unknown_ca')
>>> row = "  3  0.000212 203.0.113.73 → 198.51.100.20 TCP 74 [TCP Retransmission] 41706 → 5062 [SYN]"
>>> p = parse_row(row, read_form(row), 3)
>>> p.src, p.dst, p.sport, p.dport, sorted(p.flags), p.retransmission
('203.0.113.73', '198.51.100.20', 41706, 5062, ['syn'], True)
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ....normalize import clean_line, skeleton
from .packet import Alert, ListedPacket, alert_in, is_address, port_number, read_form, time_in, tls_labels

# Info of a TCP row: "41706 → 5062 [SYN, ACK] Seq=0 ..." (older Wireshark: ">"; a mis-decoded arrow: "â†’")
_TCP_INFO = re.compile(r"(?<![\d.])(\d{1,5})\s*(?:→|->|>|â†’|-)\s*(\d{1,5})\s*\[([a-z, ]{3,30})\]")
_FLAG_NAMES = {"syn": "syn", "ack": "ack", "rst": "rst", "fin": "fin", "psh": "psh"}
_PROTOCOLS = re.compile(r"^(tcp|tls(?:v1(?:\.[0-3])?)?|ssl(?:v[23])?|sip(?:/tls)?|ssl/tls|tls/sip)$")
_COLUMN_NAMES = (   # longest first, so "src port" is not read as "src" then "port"
    ("source port", "sport"), ("src port", "sport"), ("tcp.srcport", "sport"), ("srcport", "sport"),
    ("destination port", "dport"), ("dest port", "dport"), ("dst port", "dport"), ("tcp.dstport", "dport"),
    ("dstport", "dport"), ("delta time displayed", "delta"), ("delta time", "delta"), ("stream index", "stream"),
    ("tcp.stream", "stream"), ("stream", "stream"), ("delta", "delta"), ("time", "time"), ("no.", "no"),
    ("source", "src"), ("src", "src"), ("destination", "dst"), ("dst", "dst"), ("protocol", "protocol"),
    ("length", "length"), ("info", "info"), ("no", "no"),
)
_COLUMN = re.compile("|".join(re.escape(name) for name, _ in _COLUMN_NAMES) + r"|\S+")
_DATE = re.compile(r"^\d{4}-\d\d-\d\d$")


@dataclass(frozen=True)
class Header:
    columns: tuple[str, ...]       # column kinds in order: no, time, src, sport, dst, ... ("other" if unknown)


def parse_header(raw: str) -> Header | None:
    """A packet-list header line: it names the Source and Destination columns and one more known column."""
    low = raw.lower()
    if ('"' in low or "=" in low or len(low) > 300 or ("source" not in low and "src" not in low)
            or ("destination" not in low and "dst" not in low)):
        return None      # most lines looked at are log lines above a row: turned away before any regex
    text = clean_line(raw.replace("\t", "  "))
    kinds = dict(_COLUMN_NAMES)
    if "\t" in raw:
        cells = [clean_line(c) for c in raw.split("\t") if c.strip()]
        columns = tuple(kinds.get(c, "other") for c in cells)
    else:
        columns = tuple(kinds.get(m.group(0), "other") for m in _COLUMN.finditer(text))
    if "src" not in columns or "dst" not in columns or len(set(columns) - {"other"}) < 4:
        return None
    if columns.count("other") > 2:
        return None
    return Header(columns)


def parse_row(raw: str, text: str, line: int, header: Header | None = None) -> ListedPacket | None:
    """One list row (`text` is `raw` as `read_form` gives it), or None when the line is not one: two bare
    addresses and a protocol or a TCP Info are needed."""
    if text.count(".") < 6 and text.count(":") < 4:
        return None          # cannot hold two addresses
    cells = _cells(raw, text, header) if header else None
    if cells is None:
        cells = _guess_cells(text)
    if cells is None:
        return None
    info = cells.get("info", text)
    tcp = _TCP_INFO.search(info)
    protocol = cells.get("protocol", "")
    labels = tls_labels(info) if not tcp else []
    if not tcp and not labels and not _PROTOCOLS.match(protocol):
        return None
    p = ListedPacket(line, "list", cells["src"], cells["dst"], time=cells.get("time") or time_in(text),
                     stream=cells.get("stream", "") if cells.get("stream", "").isdigit() else "",
                     number=cells.get("no", "") if cells.get("no", "").isdigit() else "")
    p.sport, p.dport = port_number(cells.get("sport")), port_number(cells.get("dport"))
    if tcp:
        p.sport, p.dport = int(tcp.group(1)), int(tcp.group(2))
        p.flags = frozenset(_FLAG_NAMES[f.strip()] for f in tcp.group(3).split(",") if f.strip() in _FLAG_NAMES)
    p.retransmission = "retransmlsslon" in skeleton(info)
    p.tls = labels
    found = alert_in(info)
    if found:
        p.alerts.append(Alert(found[0], found[1], line))
    return p


def _cells(raw: str, text: str, header: Header) -> dict[str, str] | None:
    """Cells by the header's columns: tabs split exactly; otherwise the columns before Info take one token each
    from the left (a date and time two), those after it one each from the right."""
    columns = header.columns
    if "\t" in raw:
        values = [read_form(c) for c in raw.split("\t")]
        values = [v for v in values if v] if len(values) != len(columns) else values
        if len(values) == len(columns):
            return _valid(dict(zip(columns, values, strict=True)))
    tokens = text.split(" ")
    cells: dict[str, str] = {}
    k = columns.index("info") if "info" in columns else len(columns)
    pos = 0
    for kind in columns[:k]:
        if pos >= len(tokens):
            return None
        value = tokens[pos]
        pos += 1
        if kind == "time" and _DATE.match(value) and pos < len(tokens):
            value += " " + tokens[pos]
            pos += 1
        cells[kind] = value
    end = len(tokens)
    for kind in reversed(columns[k + 1:]):
        if end <= pos:
            return None
        end -= 1
        cells[kind] = tokens[end]
    if "info" in columns:
        cells["info"] = " ".join(tokens[pos:end])
    return _valid(cells)


def _valid(cells: dict[str, str]) -> dict[str, str] | None:
    return cells if is_address(cells.get("src", "")) and is_address(cells.get("dst", "")) else None


def _guess_cells(text: str) -> dict[str, str] | None:
    """No header: the first two bare addresses are Source and Destination (tshark puts an arrow between them);
    the protocol follows; Info is what comes after the length. A number right after each address is a port
    column (the default order has Protocol there, and Length cannot follow both)."""
    tokens = text.split(" ")
    at = [i for i, t in enumerate(tokens[:12]) if is_address(t)]
    if len(at) < 2:
        return None
    s, d = at[0], at[1]
    cells = {"src": tokens[s], "dst": tokens[d], "no": tokens[0] if s > 0 else ""}
    after_src = tokens[s + 1] if s + 1 < d else ""
    after_dst = tokens[d + 1] if d + 1 < len(tokens) else ""
    rest = d + 1
    if after_src.isdigit() and after_dst.isdigit() and s + 2 == d:
        cells["sport"], cells["dport"] = after_src, after_dst
        rest = d + 2
    if rest < len(tokens) and _PROTOCOLS.match(tokens[rest]):
        cells["protocol"] = tokens[rest]
        rest += 1
        if rest < len(tokens) and tokens[rest].isdigit():
            rest += 1
    cells["info"] = " ".join(tokens[rest:])
    return cells
