"""Linear string helpers for the call scanners: `Key="value"` fields, timestamps, SIP start lines, headers and
aliases. Every regex here is a plain alternation or a bounded run, so no input makes it backtrack.

>>> field('tvcs: Event=" Call Attempted " Src-ip="192.0.2.1" From-Tag=9 Tag="ab"', "Tag")
'ab'
>>> field('Detail=TCP Dst-port=""5061""', "Dst-port")
'5061'
>>> start_line('|SIP/2.0 404 Not Found Via: SIP/2.0/TLS 192.0.2.6:7003')
('', 404, 'Not Found', '', 'Via: SIP/2.0/TLS 192.0.2.6:7003')
>>> start_line(' INVITE sip:ann@example.com SIP/2.0')
('INVITE', 0, '', 'sip:ann@example.com', '')
>>> uri_of('"Ann B" <sip:Ann@Example.com;transport=tls> ;tag=77'), tag_of('"Ann B" <sip:a@b> ;tag=77')
('sip:ann@example.com', '77')
>>> split_headers('Max-Forwards: 14 Route: <sip:ucm.example.com;lr> User-Agent: Cisco-CUCM14')
['Max-Forwards: 14', 'Route: <sip:ucm.example.com;lr>', 'User-Agent: Cisco-CUCM14']
"""
from __future__ import annotations

import re
from datetime import UTC, datetime

METHODS = frozenset({"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "UPDATE", "PRACK", "INFO", "REFER", "NOTIFY",
                     "SUBSCRIBE", "MESSAGE", "REGISTER", "PUBLISH"})
PHRASES = {100: "Trying", 180: "Ringing", 181: "Call Is Being Forwarded", 182: "Queued", 183: "Session Progress",
           200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 407: "Proxy Authentication Required", 408: "Request Timeout",
           415: "Unsupported Media Type", 480: "Temporarily Unavailable",
           481: "Call/Transaction Does Not Exist", 482: "Loop Detected", 483: "Too Many Hops",
           484: "Address Incomplete",
           486: "Busy Here", 487: "Request Terminated", 488: "Not Acceptable Here", 491: "Request Pending",
           500: "Server Internal Error", 502: "Bad Gateway", 503: "Service Unavailable", 504: "Server Time-out",
           600: "Busy Everywhere", 603: "Decline", 604: "Does Not Exist Anywhere", 606: "Not Acceptable"}
# headers the call model reads, by every name they are written with (compact forms included)
KEPT = {"call-id": "call-id", "i": "call-id", "from": "from", "f": "from", "to": "to", "t": "to", "via": "via",
        "v": "via", "cseq": "cseq", "warning": "warning", "reason": "reason", "user-agent": "user-agent",
        "server": "server", "contact": "contact", "m": "contact", "x-taatag": "x-taatag", "session-id": "session-id",
        "record-route": "record-route", "route": "route"}
REPEATED = {"via": ",", "record-route": ",", "route": ",", "reason": "; "}
# long header names only: a compact one-letter name inside a joined line ("t=0 0 m=audio") is not a header
_JOINED = re.compile(r"\s(?=(?:Via|From|To|Call-ID|CSeq|Contact|Route|Record-Route|Warning|Reason|Server|User-Agent"
                     r"|Session-ID|X-TAATag|Max-Forwards|Content-Length|Content-Type|Allow|Supported|Remote-Party-ID"
                     r"|P-Asserted-Identity|Locus|Locus-Type|Session-Expires|Min-SE|Allow-Events|Accept|Require"
                     r"|Cisco-Guid|Date|Expires|RSeq|RAck|Privacy|Diversion):\s)")
_WEBEX_SUFFIXES = ("call.ciscospark.com", "calls.webex.com", "rooms.webex.com", "ciscospark.com", "webex.com",
                   "wbx2.com")


def field(line: str, key: str) -> str | None:
    """The value of `key="value"` (doubled or lost quotes tolerated) where key starts a word, or None."""
    probe = key + "="
    at = 0
    while True:
        i = line.find(probe, at)
        if i < 0:
            return None
        if i == 0 or line[i - 1] in ' \t:|,"':
            break
        at = i + 1
    j = i + len(probe)
    if j < len(line) and line[j] == '"':
        while j < len(line) and line[j] == '"':
            j += 1
        end = line.find('"', j)
    else:
        end = line.find(" ", j)
    return (line[j:] if end < 0 else line[j:end]).strip()


def port(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def iso_seconds(text: str) -> float | None:
    """Epoch seconds of an ISO time (`2024-04-22T10:14:33.902+02:00`, `2024-04-22 08:14:33,902`); naive = UTC."""
    try:
        moment = datetime.fromisoformat(text.replace(",", ".").replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def local_day_seconds(text: str) -> float | None:
    """Seconds since midnight of the clock the time is written in: `...T10:14:33.902+02:00` or `10:14:33.902`."""
    at = text.find("T") if "T" in text else text.find(" ")
    clock = text[at + 1:] if at >= 0 else text
    if len(clock) < 8 or clock[2] != ":" or clock[5] != ":":
        return None
    try:
        seconds = int(clock[:2]) * 3600 + int(clock[3:5]) * 60 + int(clock[6:8])
    except ValueError:
        return None
    frac = clock[8:9]
    if frac in (".", ","):
        digits = clock[9:]
        n = 0
        while n < len(digits) and digits[n].isdigit():
            n += 1
        if n:
            seconds += int(digits[:n]) / 10 ** n
    return float(seconds)


def start_line(text: str) -> tuple[str, int, str, str, str] | None:
    """(method, code, phrase, request URI, header text joined on the same line) of a SIP start line, or None."""
    t = text.lstrip(" \t|>")
    if t.startswith(("Request-Line: ", "Status-Line: ")):
        t = t.split(": ", 1)[1]
    if t.startswith(("SIP/2.0 ", "SIP/2.O ")):
        code_text = t[8:11].replace("O", "0")
        if not code_text.isdigit() or not "1" <= code_text[0] <= "6" or t[11:12] not in ("", " "):
            return None
        rest = t[12:].strip()
        parts = _JOINED.split(" " + rest, maxsplit=1)
        phrase = parts[0].strip().rstrip("|").strip()
        return "", int(code_text), phrase, "", parts[1].strip() if len(parts) > 1 else ""
    space = t.find(" ")
    if space < 3 or t[:space] not in METHODS:
        return None
    end = t.find(" SIP/2.", space)
    if end < 0:
        return None
    uri = t[space + 1:end].strip()
    if not uri.lower().startswith(("sip:", "sips:", "tel:")):
        return None
    return t[:space], 0, "", uri, t[end + 8:].strip()


def header(text: str) -> tuple[str, str] | None:
    """(canonical name, value) for a header the model keeps, else None."""
    name, sep, value = text.partition(":")
    if not sep:
        return None
    name = name.strip(" \t|").lower()
    canonical = KEPT.get(name)
    return (canonical, value.strip()) if canonical else None


def split_headers(text: str) -> list[str]:
    """Headers that a copy from a web page or a wrapped log joined on one line, one per item."""
    if text.count(": ") < 2:
        return [text]
    return [part.strip() for part in _JOINED.split(text) if part.strip()]


def add_header(headers: dict[str, str], text: str) -> None:
    for piece in split_headers(text):
        found = header(piece)
        if found is None:
            continue
        name, value = found
        if name in headers:
            joiner = REPEATED.get(name)
            if joiner:
                headers[name] += joiner + value
            continue
        headers[name] = value


def uri_of(value: str) -> str:
    """The URI of a From/To/Contact value, lower case, without parameters."""
    lt = value.find("<")
    if lt >= 0:
        gt = value.find(">", lt)
        uri = value[lt + 1:gt] if gt > 0 else value[lt + 1:]
    else:
        words = value.split()
        uri = words[0] if words else ""
    return uri.split(";", 1)[0].strip().lower()


def tag_of(value: str) -> str:
    compact = value.replace(" ", "")
    at = compact.rfind(";tag=")
    if at < 0:
        return ""
    tag = compact[at + 5:]
    end = tag.find(";")
    return tag if end < 0 else tag[:end]


def bare(alias: str) -> str:
    """An alias for comparison: no scheme, no display spaces, lower case ('sip:Ann@x ' -> 'ann@x')."""
    alias = alias.strip().lower()
    for scheme in ("sip:", "sips:"):
        if alias.startswith(scheme):
            return alias[len(scheme):]
    return alias


def alias_host(alias: str) -> str:
    plain = bare(alias)
    host = plain.rsplit("@", 1)[-1]
    return host.split(":", 1)[0].split(";", 1)[0]


def is_webex_host(host: str) -> bool:
    host = host.lower()
    return any(host == s or host.endswith("." + s) for s in _WEBEX_SUFFIXES)


def address(text: str) -> tuple[str, int]:
    """(host, port) of `192.0.2.1:5061`, `[2001:db8::1]:5061` or a bare host."""
    text = text.strip()
    if text.startswith("["):
        end = text.find("]")
        return text[1:end], port(text[end + 2:]) if end > 0 else 0
    if text.count(":") == 1:
        host, _, rest = text.partition(":")
        return host, port(rest)
    return text, 0


def top_via(via: str) -> tuple[str, int, str]:
    """(sent-by host, port, parameters) of the first Via value."""
    first = via.split(",", 1)[0].strip()
    words = first.split(None, 1)
    if len(words) < 2:
        return "", 0, ""
    sent_by, _, params = words[1].partition(";")
    host, number = address(sent_by.strip())
    return host.lower(), number, params


def cseq_of(value: str) -> tuple[int, str]:
    words = value.split()
    number = int(words[0]) if words and words[0].isdigit() else 0
    return number, words[1].upper() if len(words) > 1 else ""


def q850_cause(reason: str) -> int:
    at = reason.lower().find("cause=")
    if at < 0:
        return 0
    digits = reason[at + 6:at + 9]
    n = 0
    while n < len(digits) and digits[n].isdigit():
        n += 1
    return int(digits[:n]) if n else 0


def warning_host(warning: str) -> str:
    words = warning.split()
    return address(words[1])[0] if len(words) > 1 else ""
