"""`new_values`: the same evidence as another deployment would paste it, with its own addresses, host names,
times and identifiers. Every old value maps to one new value throughout the text, so a Call-ID, an address or a
port still ties the same lines together."""
from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

# Names that belong to Webex or Cisco are part of the evidence (a subject name, an SRV target), not the site.
KEEP_DOMAINS = ("ciscospark.com", "webex.com", "wbx2.com", "cisco.com")
# Host-name parts that say what a box is; a human reads "expe" as the Expressway-E, so they stay.
ROLE_WORDS = frozenset(
    "expe expc exp vcse vcsc vcs e c expressway cucm ucm cm pub sub edge core mtls sip sips ns dns dc mx www "
    "intranet ldap tpdmz dmz cube sbc lab".split()
)
EPHEMERAL_MIN = 10_000   # every service port these products use (5060-5075, 7001-7010, 443, 53) is below this
_WEBEX_PREFIXES = ("146.20", "148.62", "170.72", "170.133", "173.39", "207.182", "62.109", "66.114", "69.26")
_PUBLIC_FIRST = (23, 31, 45, 77, 81, 85, 91, 94, 104, 109, 128, 134, 139, 151, 158, 163, 185, 193, 195, 212, 217)
_SYLLABLES = "ba be da do fa ga ka ko la lo ma me mi na no pa po ra re ri sa so ta te to va ve vi za zo".split()

_TLDS = r"example|com|net|org|local|lan|corp|internal|int|lab|test|io|de|fr|uk|co|biz|info|eu|us"
_FQDN = re.compile(rf"(?<![\w.-])((?:_?[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS}))(?![\w-]|\.[\w-])", re.I)
_SYSLOG_HOST = re.compile(r"^\s*\d{4}-\d\d-\d\dT\S+\s+([A-Za-z0-9][\w-]*)\s+[\w.-]+(?:\[\d+\])?:", re.M)
_IP = re.compile(
    r"(?<![\w.])(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})"
    r"(?:(:\[?)(\d{2,5})(?=\]|\D|$)|(\.)(\d{2,5})(?=:?\s))?(?!\.?\d)"
)
_PORT_FIELD = re.compile(r'((?:src|dst|local|remote)-port=")(\d+)(")', re.I)
_ARROW_PORTS = re.compile(r"(?<!\S)(\d{2,5})(\s*(?:→|->)\s*)(\d{2,5})(?=\s|\[|$)", re.M)
_THREAD = re.compile(r"\b0x7f[0-9a-f]{6,}\b", re.I)
_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}(?:-[0-9a-f]{4}(?:-[0-9a-f]{12})?)?\b", re.I)
_CALL_ID = re.compile(r"((?:^|\|)\s*(?:call-id|i)\s*:\s*|call-id=\"?)([^\s@\"]+)", re.I | re.M)
_MSG_HASH = re.compile(r'(msg-hash=")(\d+)(")', re.I)
_TAG = re.compile(r"(;tag=)([\w.-]+)", re.I)
_BRANCH = re.compile(r"(;branch=z9hG4bK)([\w.-]+)", re.I)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
# Log timestamps only. A bare date (a certificate's notAfter, "Expires: Mar 2, 2022") stays: whether it has
# passed is part of the evidence.
_TIMES = re.compile(
    r"(?P<iso>\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d(?:[.,]\d{1,6})?)"
    r"|(?P<slash>\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)"
    r"|(?P<clf>\d\d/(?:" + "|".join(_MONTHS) + r")/\d{4}:\d\d:\d\d:\d\d)"
    r"|(?<![\d:.])(?P<clock>\d\d:\d\d:\d\d(?:\.\d{1,6})?)(?![\d:])"
)


@dataclass
class _Map:
    """The per-text old -> new tables: one new value per old value, and no two old values on one new value."""

    rng: random.Random
    seen: dict[tuple[str, str], str] = field(default_factory=dict)
    used: set[tuple[str, str]] = field(default_factory=set)

    def get(self, kind: str, old: str, make: Callable[[], str]) -> str:
        key = (kind, old)
        if key not in self.seen:
            new = make()
            for _ in range(50):
                if (kind, new) not in self.used and new != old:
                    break
                new = make()
            self.seen[key] = new
            self.used.add((kind, new))
        return self.seen[key]


def _scramble(token: str, rng: random.Random) -> str:
    """A new token of the same shape: digits stay digits, hex stays hex, letters keep their case."""
    is_hex = all(c in "0123456789abcdefABCDEF" for c in token if c.isalnum())
    out = []
    for c in token:
        if c.isdigit():
            out.append(rng.choice("0123456789"))
        elif is_hex and c.isalpha():
            out.append(rng.choice("abcdef" if c.islower() else "ABCDEF"))
        elif c.isalpha():
            out.append(rng.choice("abcdefghijklmnopqrstuvwxyz" if c.islower() else "ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        else:
            out.append(c)
    if out and token[0].isdigit() and token[0] != "0" and out[0] == "0":
        out[0] = rng.choice("123456789")
    return "".join(out)


def _word(rng: random.Random, length: int) -> str:
    parts = [rng.choice(_SYLLABLES) for _ in range(max(1, (length + 1) // 2))]
    return "".join(parts)[: max(2, length)]


def _keep_ip(octets: list[int]) -> bool:
    a = octets[0]
    return a in (0, 127, 255) or a >= 224 or octets == [0, 0, 0, 0]


def _new_prefix(octets: list[int], rng: random.Random) -> str:
    a, b = octets[0], octets[1]
    if a == 10:
        return f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}"
    if a == 172 and 16 <= b <= 31:
        return f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}"
    if a == 192 and b == 168:
        return f"192.168.{rng.randint(0, 255)}"
    if f"{a}.{b}" in _WEBEX_PREFIXES:   # a Webex address stays a Webex address
        return f"{rng.choice(_WEBEX_PREFIXES)}.{rng.randint(0, 255)}"
    return f"{rng.choice(_PUBLIC_FIRST)}.{rng.randint(0, 255)}.{rng.randint(0, 255)}"


def _new_port(port: int, rng: random.Random) -> int:
    if 25_000 <= port < 30_000:      # the Expressway's own outbound range
        return rng.randint(25_000, 29_999)
    if port >= 30_000:
        return rng.randint(32_768, 60_999)
    return rng.randint(EPHEMERAL_MIN, 24_999)


class _Rewriter:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.map = _Map(rng)
        self.delta = timedelta(days=rng.randint(-365, 365), seconds=rng.randint(0, 86_399),
                               milliseconds=rng.randint(0, 999))

    # ---------------------------------------------------------------- addresses and ports
    def port(self, text: str) -> str:
        if int(text) < EPHEMERAL_MIN:
            return text
        return self.map.get("port", text, lambda: str(_new_port(int(text), self.rng)))

    def ip(self, m: re.Match[str]) -> str:
        octets = [int(g) for g in m.groups()[:4]]
        if any(o > 255 for o in octets):
            return m.group(0)
        old = ".".join(map(str, octets))
        new = old
        if not _keep_ip(octets):
            prefix = self.map.get("prefix", ".".join(m.groups()[:3]), lambda: _new_prefix(octets, self.rng))
            new = self.map.get("ip", old, lambda: f"{prefix}.{self.rng.randint(1, 254)}")
        if m.group(5):
            return f"{new}{m.group(5)}{self.port(m.group(6))}"
        if m.group(7):
            return f"{new}.{self.port(m.group(8))}"
        return new

    # ---------------------------------------------------------------- names
    def label(self, label: str) -> str:
        if label.startswith("_"):
            return label   # an SRV service label such as _sips

        def make() -> str:
            parts = re.split(r"(\d+|[-_])", label)
            out = []
            for part in parts:
                if not part or part in "-_" or part.lower() in ROLE_WORDS:
                    out.append(part)
                elif part.isdigit():
                    out.append(_scramble(part, self.rng))
                else:
                    word = self.map.get("word", part.lower(), lambda p=part: _word(self.rng, len(p)))
                    out.append(word.upper() if part.isupper() else word)
            return "".join(out)

        return self.map.get("label", label, make)

    def fqdn(self, m: re.Match[str]) -> str:
        name = m.group(1)
        lower = name.lower()
        if lower.startswith("callservice.") or any(lower == d or lower.endswith("." + d) for d in KEEP_DOMAINS):
            return name
        *labels, tld = name.split(".")
        return ".".join([*(self.label(x) for x in labels), tld])

    # ---------------------------------------------------------------- times
    def time(self, m: re.Match[str]) -> str:
        kind = m.lastgroup or ""
        old = m.group(0)
        if kind == "clock":
            clock, _, frac = old.partition(".")
            t = datetime.strptime(clock, "%H:%M:%S").replace(microsecond=_micro(frac))
            return _with_frac((t + self.delta).strftime("%H:%M:%S"), "." if frac else "", frac, t + self.delta)
        if kind == "iso":
            sep = old[10]
            body, mark, frac = old.replace(",", ".").partition(".")
            mark = old[19] if mark else ""
            t = datetime.strptime(body, f"%Y-%m-%d{sep}%H:%M:%S").replace(microsecond=_micro(frac)) + self.delta
            return _with_frac(t.strftime(f"%Y-%m-%d{sep}%H:%M:%S"), mark, frac, t)
        fmt = "%Y/%m/%d %H:%M:%S" if kind == "slash" else "%d/%b/%Y:%H:%M:%S"
        try:
            return (datetime.strptime(old, fmt) + self.delta).strftime(fmt)
        except ValueError:   # %b is locale-dependent; the C locale is expected, anything else is left alone
            return old


def _micro(frac: str) -> int:
    return int((frac + "000000")[:6]) if frac else 0


def _with_frac(stamp: str, mark: str, frac: str, t: datetime) -> str:
    return stamp + (mark + f"{t.microsecond:06d}"[: len(frac)] if frac else "")


def new_values(text: str, rng: random.Random) -> str:
    """The same text with new IPs, host names, log times, thread ids, Call-IDs, hashes, tags, branches and
    ephemeral ports; Webex names, service ports, loopback addresses, words and SIP codes stay.

    >>> t = 'Src-ip="192.0.2.16" Src-port="43318" Dst-ip="198.51.100.23" Dst-port="5062" to 192.0.2.16:5061'
    >>> out = new_values(t + ' callservice.ciscospark.com ucm.wayne.example 127.0.0.1', random.Random(1))
    >>> new_ip = re.search(r'Src-ip="([^"]+)"', out).group(1)
    >>> new_ip != "192.0.2.16" and f"to {new_ip}:5061" in out   # one new address, everywhere
    True
    >>> 'Dst-port="5062"' in out and "callservice.ciscospark.com" in out and "127.0.0.1" in out
    True
    >>> "43318" in out or "wayne" in out
    False
    """
    r = _Rewriter(rng)
    text = _THREAD.sub(lambda m: r.map.get("thread", m.group(0).lower(),
                                           lambda: "0x7f" + _scramble(m.group(0)[4:-3], rng) + m.group(0)[-3:]),
                       text)
    text = _UUID.sub(lambda m: "-".join(r.map.get("hex", g, lambda g=g: _scramble(g, rng))
                                        for g in m.group(0).split("-")), text)
    text = _CALL_ID.sub(lambda m: m.group(1) + r.map.get("callid", m.group(2), lambda: _scramble(m.group(2), rng)),
                        text)
    text = _MSG_HASH.sub(lambda m: m.group(1) + r.map.get("hash", m.group(2), lambda: _scramble(m.group(2), rng))
                         + m.group(3), text)
    text = _TAG.sub(lambda m: m.group(1) + r.map.get("tag", m.group(2), lambda: _scramble(m.group(2), rng)), text)
    text = _BRANCH.sub(lambda m: m.group(1) + r.map.get("branch", m.group(2), lambda: _scramble(m.group(2), rng)),
                       text)
    text = _TIMES.sub(r.time, text)
    text = _IP.sub(r.ip, text)
    text = _PORT_FIELD.sub(lambda m: m.group(1) + r.port(m.group(2)) + m.group(3), text)
    text = _ARROW_PORTS.sub(lambda m: r.port(m.group(1)) + m.group(2) + r.port(m.group(3)), text)
    hosts = sorted({h for h in _SYSLOG_HOST.findall(text)}, key=len, reverse=True)
    text = _FQDN.sub(r.fqdn, text)
    if hosts:   # a bare host name (the syslog host, a certificate CN) becomes the same new name everywhere
        bare = re.compile(r"(?<![\w.-])(" + "|".join(map(re.escape, hosts)) + r")(?![\w-])")
        text = bare.sub(lambda m: r.label(m.group(1)), text)
    return text
