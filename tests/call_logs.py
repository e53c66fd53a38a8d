"""Expressway diagnostic logs written from parts, for the call tests and benchmarks/bench_calls.py: records as the
Expressway writes them (syslog host, UTCTime, network.sip Action/Local-ip/Src-ip, SIPMSG body with `|` marks),
call events and network.tcp lines; entries are kept with their time so several hosts' logs interleave."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

BASE = datetime(2024, 6, 11, 12, 2, 7, 100000, tzinfo=UTC)
LOCAL = timezone(timedelta(hours=2))


def clock(t: float) -> tuple[str, str]:
    """(local ISO stamp, UTCTime value) of t seconds after BASE."""
    moment = BASE + timedelta(seconds=t)
    local = moment.astimezone(LOCAL).isoformat(timespec="milliseconds")
    return local, moment.strftime("%Y-%m-%d %H:%M:%S,") + f"{moment.microsecond // 1000:03d}"


@dataclass
class Log:
    entries: list[tuple[float, int, list[str]]] = field(default_factory=list)

    def _add(self, t: float, lines: list[str]) -> None:
        self.entries.append((t, len(self.entries), lines))

    def sip(self, t: float, host: str, action: str, local: str, peer: str, message: list[str]) -> None:
        stamp, utc = clock(t)
        lip, lport = local.rsplit(":", 1)
        pip, pport = peer.rsplit(":", 1)
        far = f'Src-ip="{pip}" Src-port="{pport}"' if action == "Received" else f'Dst-ip="{pip}" Dst-port="{pport}"'
        head = (f'{stamp} {host} tvcs: UTCTime="{utc}" Module="network.sip" Level="DEBUG":  Action="{action}" '
                f'Local-ip="{lip}" Local-port="{lport}" {far} Msg-Hash="{7700000000 + len(self.entries)}"')
        self._add(t, [head, " SIPMSG:", " |" + message[0], *(" " + line for line in message[1:]), " |"])

    def event(self, t: float, host: str, name: str, **fields: str) -> None:
        stamp, utc = clock(t)
        pairs = " ".join(f'{key.replace("_", "-")}="{value}"' for key, value in fields.items())
        self._add(t, [f'{stamp} {host} tvcs: Event="{name}" {pairs} Level="1" UTCTime="{utc}"'])

    def tcp(self, t: float, host: str, detail: str, src: str, dst: str, level: str = "DEBUG") -> None:
        stamp, utc = clock(t)
        sip_, sport = src.rsplit(":", 1)
        dip, dport = dst.rsplit(":", 1)
        self._add(t, [f'{stamp} {host} tvcs: UTCTime="{utc}" Module="network.tcp" Level="{level}":  '
                      f'Src-ip="{sip_}" Src-port="{sport}" Dst-ip="{dip}" Dst-port="{dport}" Detail="{detail}"'])

    def noise(self, t: float, host: str, text: str) -> None:
        stamp, utc = clock(t)
        self._add(t, [f'{stamp} {host} tvcs: UTCTime="{utc}" Module="network.search" Level="DEBUG":  '
                      f'Detail="{text}"'])

    def lines(self) -> list[str]:
        return [line for _, _, lines in sorted(self.entries, key=lambda e: (e[0], e[1])) for line in lines]


def message(start: str, call_id: str, cseq: str, frm: str, to: str, *extra: str) -> list[str]:
    return [start, *extra, f"Call-ID: {call_id}", f"CSeq: {cseq}", f"From: {frm}", f"To: {to}", "Content-Length: 0"]


@dataclass
class Site:
    """One customer's Hybrid Call deployment: an Expressway-E pair of addresses, an Expressway-C, Unified CM."""

    expe: str = "fab-expe01"
    expc: str = "fab-expc01"
    expe_out: str = "198.51.100.20"
    expe_in: str = "192.0.2.10"
    expc_ip: str = "192.0.2.11"
    ucm: str = "192.0.2.50"
    webex: str = "203.0.113.40"
    domain: str = "fabrikam.example"
    webex_domain: str = "fabrikam.calls.webex.com"


def inbound(log: Log, site: Site, t: float, n: int, *, both: bool = True, reject_at_c: bool = False,
            b2bua_call_id: str | None = None) -> str:
    """A Webex user calls a desk phone: Webex > E > C > Unified CM, answered, ACKed, cleared by Webex.
    Logged by the Expressway-E, and by the Expressway-C too when `both`. Returns the first leg's Call-ID."""
    cid = f"{n:08x}c0ffee{n:06d}@127.0.0.1"
    leg2 = b2bua_call_id or cid
    frm = f'"Webex User {n}" <sip:wuser{n}@{site.webex_domain}>;tag={700000 + n}'
    frm2 = frm.replace(f"tag={700000 + n}", f"tag=b2b{n}") if b2bua_call_id else frm   # a B2BUA's new leg
    to = f"<sip:desk{n}@{site.domain}>"
    to_tagged = f"{to};tag=ucm{n}"
    w, e_out, e_in = f"{site.webex}:{40000 + n % 20000}", f"{site.expe_out}:5062", f"{site.expe_in}:7003"
    c_trav, c_ucm, ucm = f"{site.expc_ip}:{26000 + n % 3000}", f"{site.expc_ip}:25600", f"{site.ucm}:5060"
    invite = f"INVITE sip:desk{n}@{site.domain} SIP/2.0"
    webex_via = f"Via: SIP/2.0/TLS 203.0.113.9:5062;branch=z9hG4bKw{n};received={site.webex};rport=40000"
    e_via = f"Via: SIP/2.0/TLS {site.expe_in}:7003;egress-zone=HybridTraversal;branch=z9hG4bKe{n};rport"
    contact = 'Contact: "l2sip-UA" <sip:l2sip-UA@l2sip-ams-01.wbx2.com:5062;transport=tls>;call-type=squared'
    route = f"Route: <sip:ucm.{site.domain};lr>"

    def hop_in(dt: float, msg: list[str], *, leg: int = 1, to_webex: bool = False) -> None:
        """Webex <-> E on the E; E <-> C on the E and (if both) on the C."""
        if leg == 1:
            log.sip(t + dt, site.expe, "Sent" if to_webex else "Received", e_out, w, msg)
        else:
            log.sip(t + dt, site.expe, "Received" if to_webex else "Sent", e_in, c_trav, msg)
            if both:
                log.sip(t + dt + 0.002, site.expc, "Sent" if to_webex else "Received", c_trav, e_in, msg)

    def hop_ucm(dt: float, msg: list[str], *, to_ucm: bool) -> None:
        if both:
            log.sip(t + dt, site.expc, "Sent" if to_ucm else "Received", c_ucm, ucm, msg)

    hop_in(0.000, message(invite, cid, "1 INVITE", frm, to, webex_via, contact, route))
    hop_in(0.010, message(invite, leg2, "1 INVITE", frm2, to, e_via, webex_via, route, "User-Agent: TANDBERG/4352"),
           leg=2)
    if reject_at_c:
        log.event(t + 0.013, site.expc, "Search Completed", Reason="Not Found", Src_alias=f"sip:wuser{n}@"
                  f"{site.webex_domain}", Dst_alias=f"sip:desk{n}@{site.domain}",
                  Detail="found:false, searchtype:INVITE, Info:Policy Response")
        warn = f'Warning: 399 {site.expc_ip}:5061 "Policy Response"'
        hop_in(0.015, message("SIP/2.0 404 Not Found", leg2, "1 INVITE", frm2, f"{to};tag=c{n}", e_via, warn,
                              "Server: TANDBERG/4352"), leg=2, to_webex=True)
        hop_in(0.020, message("SIP/2.0 404 Not Found", cid, "1 INVITE", frm, f"{to};tag=c{n}", webex_via, warn),
               to_webex=True)
        hop_in(0.060, message(f"ACK sip:desk{n}@{site.domain} SIP/2.0", cid, "1 ACK", frm, f"{to};tag=c{n}"))
        return cid
    hop_ucm(0.020, message(invite, leg2, "1 INVITE", frm2, to, "User-Agent: TANDBERG/4352"), to_ucm=True)
    for dt, start in ((0.030, "SIP/2.0 100 Trying"), (0.400, "SIP/2.0 180 Ringing"), (3.100, "SIP/2.0 200 OK")):
        reply = message(start, leg2, "1 INVITE", frm2, to_tagged, "Server: Cisco-CUCM14.0")
        hop_ucm(dt, reply, to_ucm=False)
        if start.endswith("Trying"):
            continue
        hop_in(dt + 0.010, reply, leg=2, to_webex=True)
        hop_in(dt + 0.020, message(start, cid, "1 INVITE", frm, to_tagged), to_webex=True)
    ack = f"ACK sip:desk{n}@{site.ucm}:5060 SIP/2.0"
    hop_in(3.200, message(ack, cid, "1 ACK", frm, to_tagged))
    hop_in(3.210, message(ack, leg2, "1 ACK", frm2, to_tagged), leg=2)
    hop_ucm(3.220, message(ack, leg2, "1 ACK", frm2, to_tagged), to_ucm=True)
    bye = f"BYE sip:desk{n}@{site.ucm}:5060 SIP/2.0"
    hop_in(60.000, message(bye, cid, "2 BYE", frm, to_tagged, "Reason: Q.850 ;cause=16"))
    hop_in(60.010, message(bye, leg2, "2 BYE", frm2, to_tagged), leg=2)
    hop_ucm(60.020, message(bye, leg2, "2 BYE", frm2, to_tagged), to_ucm=True)
    hop_ucm(60.050, message("SIP/2.0 200 OK", leg2, "2 BYE", frm2, to_tagged, "Server: Cisco-CUCM14.0"), to_ucm=False)
    hop_in(60.060, message("SIP/2.0 200 OK", leg2, "2 BYE", frm2, to_tagged), leg=2, to_webex=True)
    hop_in(60.070, message("SIP/2.0 200 OK", cid, "2 BYE", frm, to_tagged), to_webex=True)
    return cid
