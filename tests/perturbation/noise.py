"""Healthy Expressway-C log traffic, to bury evidence in and to check the engine stays silent on.

Everything here is what a working deployment logs: SIP OPTIONS answered 200, registrations accepted, TLS
connections to Unified CM on 5061 that complete, calls between Unified CM and the Expressway-C that ring, connect
and end normally, search rules that simply do not match, housekeeping, and Unified CM SDL lines of healthy
calls. No 4xx-6xx response, no TLS failure, nothing to do with a broken Webex mutual TLS link.

The log is a list of blocks, each a complete record (one line, or one SIP message over several lines), so
evidence can be inserted between blocks without cutting a message in two.
"""
from __future__ import annotations

import heapq
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

Block = list[str]
_SYL = "ba be da do fa ga ka ko la lo ma me mi na no pa po ra re ri sa so ta te to va ve vi za zo".split()
_FIRST = "Alex Maria Jon Priya Chen Lena Omar Sofia Tom Aiko Ravi Nina Paul Ines Marc Eva".split()
_LAST = "Berg Costa Dahl Evans Fischer Garcia Hayes Ito Jensen Kovac Lund Moreau Novak Ortiz Park Quinn".split()
ALLOW = "INVITE,ACK,BYE,CANCEL,INFO,OPTIONS,REFER,SUBSCRIBE,NOTIFY,UPDATE,PRACK"


def _word(rng: random.Random, syllables: int = 3) -> str:
    return "".join(rng.choice(_SYL) for _ in range(syllables))


def _hex(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def _address(rng: random.Random) -> str:
    return f"10.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(2, 250)}"


def _uuid(rng: random.Random) -> str:
    return f"{_hex(rng, 8)}-{_hex(rng, 4)}-4{_hex(rng, 3)}-{rng.choice('89ab')}{_hex(rng, 3)}-{_hex(rng, 12)}"


@dataclass
class _Site:
    """One healthy deployment: an Expressway-C cluster, its Unified CM nodes and some endpoints."""

    host: str
    domain: str
    org: str
    expc_ip: str
    peer_ip: str
    expe_ip: str
    cucm: list[tuple[str, int]]          # (address, the TCP source port of its persistent TLS connection)
    endpoints: list[tuple[str, str]]     # (user part, address)
    phones: list[tuple[str, str]]        # (display name, DN)
    version: str
    cucm_version: str
    tz: timedelta

    @classmethod
    def draw(cls, rng: random.Random) -> _Site:
        name = _word(rng, 2)
        net = f"10.{rng.randint(1, 250)}.{rng.randint(1, 250)}"
        return cls(
            host=f"{name}-expc0{rng.randint(1, 4)}", domain=f"{name}.example", org=name,
            expc_ip=f"{net}.{rng.randint(10, 19)}", peer_ip=f"{net}.{rng.randint(20, 29)}",
            expe_ip=f"10.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{rng.randint(2, 9)}",
            cucm=[(f"{net}.{rng.randint(30, 49)}", rng.randint(32_768, 60_999)) for _ in range(rng.randint(1, 3))],
            endpoints=[(f"room-{_word(rng, 2)}", _address(rng)) for _ in range(rng.randint(3, 8))],
            phones=[(f"{rng.choice(_FIRST)} {rng.choice(_LAST)}", str(rng.randint(2000, 8999))) for _ in range(12)],
            version=rng.choice(("X14.0.7", "X14.2.5", "X14.3.1", "X15.0.2")),
            cucm_version=rng.choice(("12.5", "14.0", "15.0")),
            tz=timedelta(hours=rng.choice((-8, -5, -4, 0, 1, 2, 10))),
        )


@dataclass
class _Log:
    rng: random.Random
    site: _Site
    compact: float                        # share of SIP messages logged as one line (start line only)
    queue: list[tuple[datetime, int, Block]] = field(default_factory=list)
    lines: int = 0
    seq: int = 0

    def emit(self, t: datetime, block: Block) -> None:
        heapq.heappush(self.queue, (t, self.seq, block))
        self.seq += 1
        self.lines += len(block)

    def head(self, t: datetime) -> str:
        local = t + self.site.tz
        sign = "-" if self.site.tz < timedelta(0) else "+"
        hours = abs(int(self.site.tz.total_seconds())) // 3600
        return f"{local:%Y-%m-%dT%H:%M:%S}.{t.microsecond // 1000:03d}{sign}{hours:02d}:00 {self.site.host} tvcs:"

    @staticmethod
    def utc(t: datetime) -> str:
        return f"{t:%Y-%m-%d %H:%M:%S},{t.microsecond // 1000:03d}"

    def module(self, t: datetime, module: str, body: str, level: str = "DEBUG") -> None:
        self.emit(t, [f'{self.head(t)} UTCTime="{self.utc(t)}" Module="{module}" Level="{level}":  {body}'])

    def event(self, t: datetime, name: str, fields: str) -> None:
        self.emit(t, [f'{self.head(t)} Event="{name}" {fields} Level="1" UTCTime="{self.utc(t)}"'])

    def sip(self, t: datetime, action: str, local: tuple[str, int], remote: tuple[str, int], msg: list[str]) -> None:
        side = "Src" if action == "Received" else "Dst"
        first = (f'{self.head(t)} UTCTime="{self.utc(t)}" Module="network.sip" Level="DEBUG":  Action="{action}" '
                 f'Local-ip="{local[0]}" Local-port="{local[1]}" {side}-ip="{remote[0]}" {side}-port="{remote[1]}" '
                 f'Msg-Hash="{self.rng.randint(10**18, 10**19 - 1)}"')
        if self.rng.random() < self.compact:
            self.emit(t, [f"{first} SIPMSG: {msg[0]}"])
        else:
            self.emit(t, [first, "SIPMSG:", "|" + msg[0], *msg[1:], "|"])


def _sdp(rng: random.Random, origin: str, media: str) -> list[str]:
    return ["v=0", f"o=CiscoSystemsCCM-SIP {rng.randint(100000, 999999)} 1 IN IP4 {origin}", "s=SIP Call",
            f"c=IN IP4 {media}", "t=0 0", f"m=audio {rng.randrange(16384, 32766, 2)} RTP/AVP 9 0 8 101",
            "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15", "a=ptime:20", "a=sendrecv"]


def _with_body(headers: list[str], body: list[str]) -> list[str]:
    size = sum(len(x) + 2 for x in body)
    return [*headers, "Content-Type: application/sdp", f"Content-Length: {size}", "", *body]


# ---------------------------------------------------------------- healthy events
def _options(log: _Log, t: datetime) -> None:
    s, rng = log.site, log.rng
    cucm, port = rng.choice(s.cucm)
    branch, tag, call_id = _hex(rng, 12), rng.randint(10**8, 10**9), f"{_hex(rng, 8)}-{_hex(rng, 8)}@{cucm}"
    req = [f"OPTIONS sip:{s.expc_ip}:5061;transport=tls SIP/2.0",
           f"Via: SIP/2.0/TLS {cucm}:5061;branch=z9hG4bK{branch}", f"From: <sip:{cucm}>;tag={tag}",
           f"To: <sip:{s.expc_ip}>", f"Call-ID: {call_id}", "CSeq: 101 OPTIONS",
           f"Contact: <sip:{cucm}:5061;transport=tls>", f"User-Agent: Cisco-CUCM{s.cucm_version}",
           "Max-Forwards: 0", "Content-Length: 0"]
    ok = ["SIP/2.0 200 OK", f"Via: SIP/2.0/TLS {cucm}:5061;branch=z9hG4bK{branch};received={cucm};rport={port}",
          f"Call-ID: {call_id}", "CSeq: 101 OPTIONS", f"From: <sip:{cucm}>;tag={tag}",
          f"To: <sip:{s.expc_ip}>;tag={_hex(rng, 16)}", f"Server: TANDBERG/4352 ({s.version})",
          f"Allow: {ALLOW}", "Accept: application/sdp", "Content-Length: 0"]
    log.sip(t, "Received", (s.expc_ip, 5061), (cucm, port), req)
    log.sip(t + timedelta(milliseconds=rng.randint(1, 4)), "Sent", (s.expc_ip, 5061), (cucm, port), ok)


def _traversal_options(log: _Log, t: datetime) -> None:
    s, rng = log.site, log.rng
    branch, call_id, local = _hex(rng, 12), _uuid(rng), (s.expc_ip, rng.randint(25_000, 29_999))
    req = [f"OPTIONS sip:{s.expe_ip}:7001;transport=tls SIP/2.0",
           f"Via: SIP/2.0/TLS {s.expc_ip}:{local[1]};branch=z9hG4bK{branch};rport",
           f"Call-ID: {call_id}", "CSeq: 42 OPTIONS", f"From: <sip:{s.expc_ip}>;tag={_hex(rng, 10)}",
           f"To: <sip:{s.expe_ip}:7001>", "Max-Forwards: 70", f"User-Agent: TANDBERG/4352 ({s.version})",
           "Content-Length: 0"]
    log.sip(t, "Sent", local, (s.expe_ip, 7001), req)
    log.sip(t + timedelta(milliseconds=rng.randint(2, 9)), "Received", local, (s.expe_ip, 7001),
            ["SIP/2.0 200 OK", f"Call-ID: {call_id}", "CSeq: 42 OPTIONS", "Content-Length: 0"])


def _register(log: _Log, t: datetime) -> None:
    s, rng = log.site, log.rng
    user, ip = rng.choice(s.endpoints)
    port, aor = rng.randint(32_768, 60_999), f"sip:{user}@{s.domain}"
    branch, call_id, tag = _hex(rng, 16), _uuid(rng), _hex(rng, 8)
    contact = f"<sip:{user}@{ip}:5061;transport=tls>"
    req = [f"REGISTER sip:{s.domain} SIP/2.0", f"Via: SIP/2.0/TLS {ip}:5061;branch=z9hG4bK{branch};rport",
           f"Call-ID: {call_id}", f"CSeq: {rng.randint(100, 900)} REGISTER", f"Contact: {contact}",
           f"From: <{aor}>;tag={tag}", f"To: <{aor}>", "Max-Forwards: 70",
           "User-Agent: Cisco/Room Kit ce11.5.2.4", "Expires: 3600", "Content-Length: 0"]
    log.sip(t, "Received", (s.expc_ip, 5061), (ip, port), req)
    log.event(t + timedelta(milliseconds=2), "Registration Accepted", f'Service="SIP" Src-ip="{ip}" Src-port="{port}" '
              f'Protocol="TLS" AOR="{aor}" Contact="{contact.strip("<>")}" Duration="3600"')
    log.sip(t + timedelta(milliseconds=3), "Sent", (s.expc_ip, 5061), (ip, port),
            ["SIP/2.0 200 OK", f"Call-ID: {call_id}", f"Contact: {contact};expires=3600", "Content-Length: 0"])


def _tls_connect(log: _Log, t: datetime) -> None:
    s, rng = log.site, log.rng
    cucm, _ = rng.choice(s.cucm)
    src = rng.randint(25_000, 29_999)
    addr = f'Src-ip="{s.expc_ip}" Src-port="{src}" Dst-ip="{cucm}" Dst-port="5061"'
    thread = f"0x7f{_hex(rng, 7)}700"
    log.module(t, "network.tcp", f'{addr} Detail="TCP Connecting"')
    log.module(t + timedelta(milliseconds=1), "network.tcp", f'{addr} Detail="TCP Connection Established"')
    loc = "ppcmains/ssl/ttssl/ttssl_openssl.cpp"
    shake = t + timedelta(milliseconds=2)
    log.emit(shake, [
        f'{log.head(shake)} UTCTime="{log.utc(shake)}" Module="developer.ssl" Level="INFO" CodeLocation="{loc}(1954)" '
        f'Method="::ttssl_continueHandshake" Thread="{thread}":  Detail="Handshake in progress" '
        'Reason="want read/write"'])
    done = t + timedelta(milliseconds=rng.randint(8, 40))
    log.emit(done, [
        f'{log.head(done)} UTCTime="{log.utc(done)}" Module="developer.ssl" Level="DEBUG" CodeLocation="{loc}(1960)" '
        f'Method="::ttssl_continueHandshake" Thread="{thread}":  Detail="Handshake succeeded"'])


def _call(log: _Log, t: datetime) -> None:
    """A call from a Unified CM phone to a room system registered on the Expressway-C, on 5061, start to end."""
    s, rng = log.site, log.rng
    (cucm, port), (name, dn), (room, room_ip) = rng.choice(s.cucm), rng.choice(s.phones), rng.choice(s.endpoints)
    call_id = f"{_hex(rng, 8)}-{_hex(rng, 8)}-{_hex(rng, 4)}-{_hex(rng, 8)}@{cucm}"   # Unified CM's Call-ID form
    branch, tag, to_tag = _hex(rng, 12), rng.randint(10**8, 10**9), _hex(rng, 16)
    local, remote = (s.expc_ip, 5061), (cucm, port)
    frm, to = f'From: "{name}" <sip:{dn}@{cucm}>;tag={tag}', f"To: <sip:{room}@{s.domain}>"
    common = [f"Via: SIP/2.0/TLS {cucm}:5061;branch=z9hG4bK{branch}", frm, to, f"Call-ID: {call_id}"]
    invite = _with_body([f"INVITE sip:{room}@{s.domain} SIP/2.0", *common, "CSeq: 101 INVITE",
                         f"Contact: <sip:{dn}@{cucm}:5061;transport=tls>", "Max-Forwards: 69",
                         f"User-Agent: Cisco-CUCM{s.cucm_version}", f"Allow: {ALLOW}", "Supported: timer,replaces",
                         "Session-Expires: 1800", f'P-Asserted-Identity: "{name}" <sip:{dn}@{cucm}>'],
                        _sdp(rng, cucm, _address(rng)))
    serial, ev_tag = _uuid(rng), _uuid(rng)
    aliases = (f'Src-alias-type="SIP" Src-alias="sip:{dn}@{cucm}" Dst-alias-type="SIP" '
               f'Dst-alias="sip:{room}@{s.domain}" Call-serial-number="{serial}" Tag="{ev_tag}"')
    log.sip(t, "Received", local, remote, invite)
    rules = rng.sample(("Webex Hybrid inbound", "Traversal to Expressway-E", "MRA rule"), rng.randint(1, 2))
    for i, rule in enumerate(rules):
        log.module(t + timedelta(milliseconds=1 + i), "network.search",
                   f"Detail=\"Search rule '{rule}' did not match destination alias '{room}@{s.domain}'\"")
    log.event(t + timedelta(milliseconds=3), "Call Attempted",
              f'Service="SIP" Src-ip="{cucm}" Src-port="{port}" {aliases} Protocol="TLS" Auth="NO"')
    reply = [common[0], frm, f"{to};tag={to_tag}", f"Call-ID: {call_id}", "CSeq: 101 INVITE"]
    trying = [common[0], frm, to, f"Call-ID: {call_id}", "CSeq: 101 INVITE", "Content-Length: 0"]  # no To tag yet
    log.sip(t + timedelta(milliseconds=4), "Sent", local, remote, ["SIP/2.0 100 Trying", *trying])
    ring = t + timedelta(milliseconds=rng.randint(300, 1500))
    log.sip(ring, "Sent", local, remote, ["SIP/2.0 180 Ringing", *reply, "Content-Length: 0"])
    answer = ring + timedelta(seconds=rng.uniform(1.5, 9))
    ok = _with_body(["SIP/2.0 200 OK", *reply, f"Contact: <sip:{room}@{room_ip}:5061;transport=tls>",
                     f"Server: TANDBERG/4352 ({s.version})", f"Allow: {ALLOW}", "Session-Expires: 1800;refresher=uas"],
                    _sdp(rng, s.expc_ip, s.expc_ip))
    log.sip(answer, "Sent", local, remote, ok)
    ack = answer + timedelta(milliseconds=rng.randint(15, 60))
    log.sip(ack, "Received", local, remote, [f"ACK sip:{room}@{room_ip}:5061;transport=tls SIP/2.0",
                                             common[0], frm, f"{to};tag={to_tag}", f"Call-ID: {call_id}",
                                             "CSeq: 101 ACK", "Content-Length: 0"])
    log.event(ack + timedelta(milliseconds=2), "Call Connected", f'Service="SIP" {aliases} Protocol="TLS"')
    end = ack + timedelta(seconds=rng.uniform(20, 900))
    log.sip(end, "Received", local, remote, [f"BYE sip:{room}@{room_ip}:5061;transport=tls SIP/2.0",
                                             common[0], frm, f"{to};tag={to_tag}", f"Call-ID: {call_id}",
                                             "CSeq: 102 BYE", "Content-Length: 0"])
    log.sip(end + timedelta(milliseconds=3), "Sent", local, remote,
            ["SIP/2.0 200 OK", reply[0], frm, f"{to};tag={to_tag}", f"Call-ID: {call_id}", "CSeq: 102 BYE",
             "Content-Length: 0"])
    log.event(end + timedelta(milliseconds=5), "Call Disconnected", f'Service="SIP" {aliases} Protocol="TLS" '
              f'Duration="{int((end - ack).total_seconds())}" Reason="Normal"')


def _hybrid_call(log: _Log, t: datetime) -> None:
    """A Webex app user calling a desk phone through the Expressway-C: the call events of a working call."""
    s, rng = log.site, log.rng
    first, last = rng.choice(_FIRST).lower(), rng.choice(_LAST).lower()
    name, dn = rng.choice(s.phones)
    aliases = (f'Src-alias-type="SIP" Src-alias="sip:{first}.{last}@{s.org}.call.ciscospark.com" Dst-alias-type="SIP" '
               f'Dst-alias="sip:{name.split()[0].lower()}@{s.domain}" Call-serial-number="{_uuid(rng)}" '
               f'Tag="{_uuid(rng)}"')
    log.event(t, "Call Attempted", f'Service="SIP" Src-ip="{s.expe_ip}" Src-port="7001" {aliases} Protocol="TLS" '
              'Auth="NO"')
    up = t + timedelta(seconds=rng.uniform(2, 10))
    log.event(up, "Call Connected", f'Service="SIP" {aliases} Protocol="TLS"')
    end = up + timedelta(seconds=rng.uniform(20, 900))
    log.event(end, "Call Disconnected", f'Service="SIP" {aliases} Protocol="TLS" '
              f'Duration="{int((end - up).total_seconds())}" Reason="Normal"')


def _housekeeping(log: _Log, t: datetime) -> None:
    s, rng = log.site, log.rng
    if rng.random() < 0.5:
        log.module(t, "developer.licensing", f'Detail="License usage sample" Rich-media-sessions="{rng.randint(0, 9)}" '
                   f'Peak="{rng.randint(9, 30)}" Registrations="{rng.randint(20, 300)}"', level="INFO")
    else:
        log.module(t, "developer.clusterdb", f'Detail="Cluster peer replication in sync" Peer="{s.peer_ip}" '
                   'Status="Active"', level="INFO")


def _sdl(log: _Log, t: datetime) -> None:
    """Unified CM SDL trace lines of a healthy call set-up (a trace pasted along with the Expressway log)."""
    s, rng = log.site, log.rng
    n = rng.randint(10_000_000, 99_000_000)
    size = rng.randint(900, 3900)   # well under the 5,000-byte limit that breaks Webex calls
    (_, dn), (_, called) = rng.choice(s.phones), rng.choice(s.phones)
    stamp = f"{t + s.tz:%H:%M:%S}.{t.microsecond // 1000:03d}"
    pid = f"1,100,14,{rng.randint(1000, 99999)}"
    log.emit(t, [
        f"{n:08d}.000 |{stamp} |AppInfo  |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message size {size} from "
        f"{s.expc_ip}:[5061]:",
        f"{n:08d}.001 |{stamp} |AppInfo  |SIPTcp - SdlRead bufferLen={size}",
        f"{n + 1:08d}.000 |{stamp} |SdlSig   |SIPInviteInd                           |wait                          "
        f"|SIPHandler(1,100,72,1)           |SIPTcp(1,100,71,1)               |{pid}.5^{s.expc_ip}^*  "
        "|*TraceFlagOverrode",
        f'{n + 2:08d}.000 |{stamp} |AppInfo  |Digit Analysis: match(pi="2", fqcn="{dn}", cn="{dn}",plv="5", '
        f'pss="Internal:Phones", dd="{called}",dac="0")',
        f"{n + 3:08d}.000 |{stamp} |AppInfo  |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to "
        f"{s.expc_ip} on port 5061 index {rng.randint(10, 999)}",
        f"{n + 3:08d}.001 |{stamp} |AppInfo  |[{rng.randint(100000, 999999)}] Sending: SIP/2.0 180 Ringing",
    ])


_EVENTS: tuple[tuple[Callable[[_Log, datetime], None], float], ...] = (
    (_options, 24), (_traversal_options, 10), (_register, 9), (_tls_connect, 6), (_call, 5),
    (_hybrid_call, 1.5), (_housekeeping, 3), (_sdl, 1.5),
)


def healthy_blocks(rng: random.Random, lines: int, start: datetime | None = None) -> list[Block]:
    """About `lines` lines (whole records, so a few more) of one healthy Expressway-C log, in time order."""
    site = _Site.draw(rng)
    log = _Log(rng, site, compact=rng.choice((0.0, 0.3, 0.7)))
    t = start or datetime(rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28), rng.randint(6, 18),
                          rng.randint(0, 59), rng.randint(0, 59), rng.randint(0, 999) * 1000)
    kinds, weights = zip(*_EVENTS, strict=True)
    while log.lines < lines:
        rng.choices(kinds, weights)[0](log, t)
        t += timedelta(milliseconds=rng.randint(20, 900))
    return list(_drain(log.queue))


def _drain(queue: list[tuple[datetime, int, Block]]) -> Iterator[Block]:
    while queue:
        yield heapq.heappop(queue)[2]


def healthy_noise(rng: random.Random, lines: int) -> str:
    """The generator's log as one text, for checking that healthy traffic alone gets no diagnosis."""
    return "\n".join(line for block in healthy_blocks(rng, lines) for line in block) + "\n"
