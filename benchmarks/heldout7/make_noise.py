#!/usr/bin/env python3
"""Seeded noise generator for the h7 'buried' cases.

Produces realistic-looking *healthy* Expressway-E / Expressway-C diagnostic log
traffic (OPTIONS keepalives, traversal keepalives, healthy B2B calls with their
search-rule lines, MRA/HTTP proxy lines, DNS lookups, healthy TLS handshakes to
other peers) and Unified CM SDL trace noise, then splices the decisive evidence
of one problem into it.  Everything is invented: RFC 5737 / RFC 1918 addresses,
example.* domains, made-up Call-IDs and hashes.

Usage:  python3 make_noise.py            -> prints every buried case (id, text)
        import make_noise; make_noise.buried_cases() -> list of dicts
"""
import random
import datetime as dt
import textwrap

# --------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------


class Ctx:
    def __init__(self, seed, host, start, tzh=1, role="E", e_out="203.0.113.10",
                 e_in="10.20.0.6", c_ip="10.20.0.5", cucm="10.20.0.21",
                 webex=("198.51.100.41", "198.51.100.45", "198.51.100.73"),
                 domain="example.com", webex_opts=True, b2b_rule="to DNS",
                 b2b_prio=100, b2b_target="DNS", dns_noise=True):
        self.r = random.Random(seed)
        self.host = host
        self.t = start
        self.tzh = tzh
        self.role = role
        self.e_out, self.e_in, self.c_ip, self.cucm = e_out, e_in, c_ip, cucm
        self.webex = webex
        self.domain = domain
        self.webex_opts = webex_opts
        self.b2b_rule = b2b_rule
        self.b2b_prio = b2b_prio
        self.b2b_target = b2b_target
        self.dns_noise = dns_noise

    # time ---------------------------------------------------------------
    def tick(self, lo=0.001, hi=2.5):
        self.t += dt.timedelta(seconds=self.r.uniform(lo, hi))

    def stamp(self):
        local = self.t + dt.timedelta(hours=self.tzh)
        sign = "+" if self.tzh >= 0 else "-"
        off = "%s%02d:00" % (sign, abs(self.tzh))
        return local.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (local.microsecond // 1000) + off

    def utc(self):
        return self.t.strftime("%Y-%m-%d %H:%M:%S,") + "%03d" % (self.t.microsecond // 1000)

    def pre(self, proc="tvcs"):
        return "%s %s %s: " % (self.stamp(), self.host, proc)

    # ids ----------------------------------------------------------------
    def hx(self, n):
        return "".join(self.r.choice("0123456789abcdef") for _ in range(n))

    def num(self, n):
        return str(self.r.randint(10 ** (n - 1), 10 ** n - 1))

    def port(self):
        return str(self.r.randint(25000, 29999))

    def eport(self):
        return str(self.r.randint(32768, 60999))

    def branch(self):
        return "z9hG4bK" + self.hx(12)

    def callid(self):
        return "%s-%s-%s-%s@%s" % (self.hx(8), self.hx(8), self.hx(5), self.hx(8), self.cucm)


def mod(ctx, module, level, body, proc="tvcs"):
    ctx.tick()
    return ctx.pre(proc) + 'UTCTime="%s" Module="%s" Level="%s": %s' % (ctx.utc(), module, level, body)


def event(ctx, body):
    ctx.tick()
    return ctx.pre() + body + ' UTCTime="%s"' % ctx.utc()


def sipmsg(ctx, action, lip, lport, rip, rport, lines):
    ctx.tick()
    key = "Dst" if action == "Sent" else "Src"
    head = ctx.pre() + ('UTCTime="%s" Module="network.sip" Level="DEBUG":  Action="%s" '
                        'Local-ip="%s" Local-port="%s" %s-ip="%s" %s-port="%s" Msg-Hash="%s"'
                        % (ctx.utc(), action, lip, lport, key, rip, key, rport, ctx.num(19)))
    out = [head, "SIPMSG:", "|" + lines[0]]
    out += lines[1:]
    out += ["", "|"]
    return out


# --------------------------------------------------------------------------
# healthy noise blocks
# --------------------------------------------------------------------------

def blk_webex_options(ctx):
    """Webex L2SIP pings the Expressway-E on 5062 (healthy)."""
    w = ctx.r.choice(ctx.webex)
    rp = ctx.eport()
    cid = ctx.hx(32) + "@127.0.0.1"
    br = ctx.branch()
    tag = ctx.num(9)
    req = ["OPTIONS sip:%s:5062;transport=tls SIP/2.0" % ctx.e_out,
           "Via: SIP/2.0/TLS %s:5062;branch=%s;rport" % (w, br),
           "Call-ID: %s" % cid,
           "CSeq: 1 OPTIONS",
           "From: <sip:l2sip-UA@l2sip-cfa-01.wbx2.com>;tag=%s" % tag,
           "To: <sip:%s:5062;transport=tls>" % ctx.e_out,
           "Max-Forwards: 70",
           "User-Agent: Cisco-L2SIP",
           "Content-Length: 0"]
    resp = ["SIP/2.0 200 OK",
            "Via: SIP/2.0/TLS %s:5062;branch=%s;rport=%s;received=%s" % (w, br, rp, w),
            "Call-ID: %s" % cid,
            "CSeq: 1 OPTIONS",
            "From: <sip:l2sip-UA@l2sip-cfa-01.wbx2.com>;tag=%s" % tag,
            "To: <sip:%s:5062;transport=tls>;tag=%s" % (ctx.e_out, ctx.hx(16)),
            "Server: TANDBERG/4352 (X15.2.1)",
            "Accept: application/sdp, application/cpl+xml, message/sipfrag",
            "Supported: com.tandberg.sdp.duo.enable,timer,X-cisco-srtp-fallback",
            "Content-Length: 0"]
    out = sipmsg(ctx, "Received", ctx.e_out, "5062", w, rp, req)
    out += sipmsg(ctx, "Sent", ctx.e_out, "5062", w, rp, resp)
    return out


def blk_traversal_keepalive(ctx):
    """Traversal zone keepalive between Expressway-C and -E (MRA 7001 or Hybrid 7003)."""
    zport = ctx.r.choice(["7001", "7003"])
    cport = ctx.port()
    cid = ctx.hx(32) + "@" + ctx.c_ip
    br = ctx.branch()
    tag = ctx.hx(16)
    if ctx.role == "E":
        lip, lport, rip, rport = ctx.e_in, zport, ctx.c_ip, cport
        src = "Received"
    else:
        lip, lport, rip, rport = ctx.c_ip, cport, ctx.e_in, zport
        src = "Sent"
    req = ["OPTIONS sip:%s:%s;transport=tls SIP/2.0" % (ctx.e_in, zport),
           "Via: SIP/2.0/TLS %s:%s;branch=%s;rport" % (ctx.c_ip, cport, br),
           "Call-ID: %s" % cid,
           "CSeq: %s OPTIONS" % ctx.r.randint(20000, 90000),
           "From: <sip:%s:%s>;tag=%s" % (ctx.c_ip, cport, tag),
           "To: <sip:%s:%s>" % (ctx.e_in, zport),
           "Max-Forwards: 0",
           "User-Agent: TANDBERG/4352 (X15.2.1)",
           "Supported: com.tandberg.sdp.duo.enable,timer",
           "Content-Length: 0"]
    resp = ["SIP/2.0 200 OK",
            "Via: SIP/2.0/TLS %s:%s;branch=%s;rport=%s;received=%s" % (ctx.c_ip, cport, br, cport, ctx.c_ip),
            "Call-ID: %s" % cid,
            "CSeq: %s" % req[3][6:],
            "From: <sip:%s:%s>;tag=%s" % (ctx.c_ip, cport, tag),
            "To: <sip:%s:%s>;tag=%s" % (ctx.e_in, zport, ctx.hx(16)),
            "Server: TANDBERG/4352 (X15.2.1)",
            "Content-Length: 0"]
    other = "Sent" if src == "Received" else "Received"
    return (sipmsg(ctx, src, lip, lport, rip, rport, req) +
            sipmsg(ctx, other, lip, lport, rip, rport, resp))


MRA_URLS = [
    "GET http://{c}:8443/{b}/get_edge_config/ HTTP/1.1",
    "GET http://{c}:8443/{b}/get_edge_sso/ HTTP/1.1",
    "GET http://cucm-pub.{d}:6970/SEP{mac}.cnf.xml.sgn HTTP/1.1",
    "GET http://cucm-pub.{d}:8443/cucm-uds/user/{u}/devices HTTP/1.1",
    "GET http://imp01.{d}:7400/EWS/Exchange.asmx HTTP/1.1",
]
USERS = ["asmith", "bjones", "cwu", "dlee", "emartin", "fgarcia", "gkim", "hpatel", "ivanova", "jmorgan"]


def blk_mra_http(ctx):
    txn = ctx.r.randint(100000, 999999)
    cli = "192.0.2.%d" % ctx.r.randint(10, 250)
    url = ctx.r.choice(MRA_URLS).format(c="expc01." + ctx.domain, b=ctx.hx(12), d=ctx.domain,
                                        mac=ctx.hx(12).upper(), u=ctx.r.choice(USERS))
    code = ctx.r.choice(["200 OK", "200 OK", "200 OK", "304 Not Modified"])
    a = mod(ctx, "network.http.trafficserver", "INFO",
            'Detail="Receive Request" Txn-id="%d" TrackingID="%s" Src-ip="%s" Src-port="%s" Msg="%s"'
            % (txn, ctx.hx(8) + "-" + ctx.hx(4), cli, ctx.eport(), url), proc="traffic_server[%d]" % (20000 + txn % 900))
    b = mod(ctx, "network.http.trafficserver", "INFO",
            'Detail="Sending Response" Txn-id="%d" Dst-ip="%s" Dst-port="%s" Msg="HTTP/1.1 %s"'
            % (txn, cli, ctx.eport(), code), proc="traffic_server[%d]" % (20000 + txn % 900))
    return [a, b]


PARTNERS = ["partner-a.example.org", "video.example.net", "contoso.example", "fabrikam.example",
            "vendor.example.org", "acmecorp.example"]


def blk_dns_ok(ctx, p=None):
    p = p or ctx.r.choice(PARTNERS)
    ip = "192.0.2.%d" % ctx.r.randint(10, 250)
    return [
        mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="%s" Type="NAPTR (IPv4 and IPv6)"' % p),
        mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="_sips._tcp.%s" Type="SRV (IPv4 and IPv6)"' % p),
        mod(ctx, "network.dns", "DEBUG",
            "Detail=\"Resolved hostname to: ['IPv4''TCP''%s:5061'] (A/AAAA) Hostname:'vcse.%s' Port:'5061' "
            "Priority:'10' TTL:'3600' Weight:'10' (SRV) Number of relevant records retrieved: 2\"" % (ip, p)),
    ]


def blk_tls_ok(ctx):
    """Healthy TLS to a B2B partner (5061) or from the Expressway-C on 7001."""
    if ctx.role == "C":
        sip_, sp, dip, dp = ctx.c_ip, ctx.port(), ctx.e_in, ctx.r.choice(["7001", "7003"])
        server = "false"
        cn = "expe01." + ctx.domain
    elif ctx.r.random() < 0.5:
        sip_, sp, dip, dp = ctx.e_out, ctx.port(), "192.0.2.%d" % ctx.r.randint(10, 250), "5061"
        server = "false"
        cn = "vcse." + ctx.r.choice(PARTNERS)
    else:
        sip_, sp, dip, dp = ctx.c_ip, ctx.port(), ctx.e_in, "7001"
        server = "true"
        cn = "expc01." + ctx.domain
    out = [mod(ctx, "network.tcp", "DEBUG", 'Src-ip="%s" Src-port="%s" Dst-ip="%s" Dst-port="%s" Detail="TCP Connecting"' % (sip_, sp, dip, dp)),
           mod(ctx, "network.tcp", "DEBUG", 'Src-ip="%s" Src-port="%s" Dst-ip="%s" Dst-port="%s" Detail="TCP Connection Established"' % (sip_, sp, dip, dp)),
           mod(ctx, "developer.ssl", "INFO", 'CodeLocation="ppcmains/ssl/ttssl/ttssl_openssl.cpp(1974)" Method="::ttssl_continueHandshake" Thread="0x7f%s": Detail="Handshake in progress" Reason="want read/write"' % ctx.hx(10)),
           mod(ctx, "developer.ssl", "INFO", 'CodeLocation="ppcmains/ssl/ttssl/ttssl_openssl.cpp(1960)" Method="::ttssl_continueHandshake" Thread="0x7f%s": Detail="Handshake succeeded" bServer="%s" CommonName="%s"' % (ctx.hx(10), server, cn))]
    return out


def blk_b2b_call(ctx):
    """A healthy business-to-business call routed by the generic DNS rule."""
    u = ctx.r.choice(USERS)
    p = ctx.r.choice(PARTNERS)
    dst = "%s@%s" % (ctx.r.choice(["room1", "boardroom", "sales", "support", "it-helpdesk", "ceo"]), p)
    src = "%s@%s" % (u, ctx.domain)
    tag = ctx.hx(32)
    ser = ctx.hx(8) + "-" + ctx.hx(4) + "-" + ctx.hx(4)
    cid = ctx.hx(8) + "-" + ctx.hx(8) + "@" + ctx.cucm
    out = [event(ctx, 'Event="Call Attempted" Service="SIP" Src-ip="%s" Src-port="%s" Src-alias-type="SIP" Src-alias="sip:%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-serial-number="%s" Tag="%s" Protocol="TLS" Auth="NO" Level="1"' % (ctx.c_ip if ctx.role == "E" else ctx.cucm, ctx.port(), src, dst, ser, tag)),
           event(ctx, 'Event="Search Attempted" Service="SIP" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-serial-number="%s" Tag="%s" Detail="searchtype:INVITE" Level="1"' % (src, dst, ser, tag)),
           mod(ctx, "network.search", "DEBUG", 'Detail="Search rule \'Webex Hybrid\' ignored due to source filtering"'),
           mod(ctx, "network.search", "DEBUG", "Detail=\"Considering search rule '%s' towards target '%s' at priority '%d' with alias '%s'\"" % (ctx.b2b_rule, ctx.b2b_target, ctx.b2b_prio, dst))]
    if ctx.role == "E" and ctx.dns_noise:
        out += blk_dns_ok(ctx, p)
    out += [event(ctx, 'Event="Search Completed" Reason="" Service="SIP" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-serial-number="%s" Tag="%s" Detail="found:true, searchtype:INVITE" Level="1"' % (src, dst, ser, tag)),
            event(ctx, 'Event="Call Answer Attempted" Service="SIP" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-serial-number="%s" Tag="%s" Protocol="TLS" Auth="NO" Level="1"' % (src, dst, ser, tag)),
            event(ctx, 'Event="Call Connected" Service="SIP" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-serial-number="%s" Tag="%s" Call-ID="%s" Media-encrypted="true" Level="1"' % (src, dst, ser, tag, cid))]
    return out


def blk_misc(ctx):
    choice = ctx.r.randint(0, 5)
    if choice == 0:
        return [mod(ctx, "developer.nomodule", "INFO", 'Detail="Licence usage" Rich-media-sessions="%d" Room-system-registrations="0"' % ctx.r.randint(2, 30), proc="licensemanager")]
    if choice == 1:
        return [ctx.pre("ntpd[1893]") + "adjusting local clock by %.6fs" % ctx.r.uniform(-0.01, 0.01)]
    if choice == 2:
        return [mod(ctx, "developer.cdb.cdbtable", "INFO", 'Detail="cdb poll" Table="/configuration/zone" Changed="False"')]
    if choice == 3:
        return [ctx.pre("httpd[%d]" % ctx.r.randint(3000, 9000)) + 'Event="Admin Session Keepalive" User="admin" ipaddr="10.20.%d.%d"' % (ctx.r.randint(1, 9), ctx.r.randint(10, 200))]
    if choice == 4:
        return [mod(ctx, "network.xcp", "INFO", 'Detail="XMPP stream keepalive" Peer="imp01.%s"' % ctx.domain)]
    return [mod(ctx, "developer.management.alarms", "INFO", 'Detail="Alarm check complete" Raised="0"')]


def expressway_noise(ctx, n_lines):
    blocks = [(blk_traversal_keepalive, 4), (blk_mra_http, 5), (blk_tls_ok, 2), (blk_misc, 3)]
    if ctx.dns_noise:
        blocks += [(blk_b2b_call, 2)]
        if ctx.role == "E":
            blocks += [(blk_dns_ok, 2)]
    if ctx.webex_opts and ctx.role == "E":
        blocks.append((blk_webex_options, 3))
    weights = [w for _, w in blocks]
    out = []
    while len(out) < n_lines:
        f = ctx.r.choices([b for b, _ in blocks], weights)[0]
        out += f(ctx)
    return out


# ---------------- Unified CM SDL trace noise ----------------------------

class CmCtx:
    def __init__(self, seed, start, cucm="10.30.1.21", expc="10.30.1.5"):
        self.r = random.Random(seed)
        self.t = start
        self.seq = self.r.randint(41000000, 59000000)
        self.cucm, self.expc = cucm, expc

    def line(self, kind, text, sub=0):
        if sub == 0:
            self.seq += 1
            self.t += dt.timedelta(milliseconds=self.r.randint(0, 40))
        s = "%d.%03d |%s |%-9s|%s" % (self.seq, sub, self.t.strftime("%H:%M:%S.") + "%03d" % (self.t.microsecond // 1000), kind, text)
        return s


def cucm_noise(cm, n_lines):
    out = []
    r = cm.r
    while len(out) < n_lines:
        k = r.randint(0, 4)
        if k == 0:
            # OPTIONS ping from Expressway-C on the SIP trunk, answered 200
            sz = r.randint(480, 620)
            out.append(cm.line("AppInfo", "SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message from %s on port 5060 index %d with %d bytes:" % (cm.expc, r.randint(10, 40), sz)))
            cid = "%032x@%s" % (r.getrandbits(128), cm.expc)
            out += ["[%d,NET]" % r.randint(100000, 999999),
                    "OPTIONS sip:%s:5060 SIP/2.0" % cm.cucm,
                    "Via: SIP/2.0/TCP %s:5060;branch=z9hG4bK%012x" % (cm.expc, r.getrandbits(48)),
                    "Call-ID: %s" % cid,
                    "CSeq: %d OPTIONS" % r.randint(10000, 99999),
                    "From: <sip:%s>;tag=%012x" % (cm.expc, r.getrandbits(48)),
                    "To: <sip:%s>" % cm.cucm,
                    "Max-Forwards: 0",
                    "User-Agent: TANDBERG/4352 (X15.2.1)",
                    "Content-Length: 0", ""]
            out.append(cm.line("AppInfo", "//SIP/SIPHandler/ccbId=0/scbId=0/sipSPIAddCallIdToList: CallId %s added" % cid[:20]))
            out.append(cm.line("AppInfo", "SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to %s on port 5060 index %d" % (cm.expc, r.randint(10, 40))))
            out += ["[%d,NET]" % r.randint(100000, 999999), "SIP/2.0 200 OK", "Call-ID: %s" % cid,
                    "Server: Cisco-CUCM15.0", "Content-Length: 0", ""]
        elif k == 1:
            out.append(cm.line("SdlSig", "SIPTcpRecvData       |wait      |SIPHandler(1,100,72,1)  |SIPTcp(1,100,71,1)  |1,100,17,%d.3^%s^*  |[T:N-H:0,N:0,L:0,V:0,Z:0,D:0] SIPTcpRecvData" % (r.randint(1000, 99999), cm.expc)))
        elif k == 2:
            dn = r.randint(4000, 4999)
            out.append(cm.line("AppInfo", "StationInit: (%07d) KeepAlive." % r.randint(1, 9999999)))
            out.append(cm.line("AppInfo", "StationD:    (%07d) KeepAliveAck." % r.randint(1, 9999999)))
            out.append(cm.line("AppInfo", "DigitAnalysis: star_DaReq - matchList.size()=1 DN=%d" % dn))
        elif k == 3:
            out.append(cm.line("AppInfo", "//SIP/Stack/Info/0x0/ccsip_process_network_message: process_network_msg: complete"))
            out.append(cm.line("AppInfo", "SIPSocketProtocol(1,100,14,%d)::handleReadComplete send SdlReadRsp: size %d" % (r.randint(1000, 999999), r.randint(400, 2400))))
        else:
            out.append(cm.line("SdlSig", "SdlDataInd           |restart0  |MGCPHandler(1,100,151,1) |SdlTCPConnection(1,100,14,%d) |1,100,14,%d.5^10.30.9.%d^* |*TraceFlagOverrode" % (r.randint(100, 9999), r.randint(100, 9999), r.randint(2, 60))))
    return out


# --------------------------------------------------------------------------
# layout helpers
# --------------------------------------------------------------------------

def hard_wrap(lines, width, mode="cut"):
    out = []
    for ln in lines:
        if len(ln) <= width:
            out.append(ln)
        elif mode == "cut":
            for i in range(0, len(ln), width):
                out.append(ln[i:i + width])
        else:
            out += textwrap.wrap(ln, width, break_long_words=True, break_on_hyphens=False) or [""]
    return out


def splice(noise, evidence, frac):
    i = int(len(noise) * frac)
    # do not split a SIP message: move to the next line that starts a record
    while i < len(noise) and not noise[i][:4].isdigit():
        i += 1
    return noise[:i] + evidence + noise[i:]


# --------------------------------------------------------------------------
# decisive evidence snippets (each uses the case's own clock and addresses)
# --------------------------------------------------------------------------

def tcp(ctx, s, sp, d, dp, detail, level="DEBUG", reason=None):
    body = 'Src-ip="%s" Src-port="%s" Dst-ip="%s" Dst-port="%s" Detail="%s"' % (s, sp, d, dp, detail)
    if reason:
        body += ' Reason="%s"' % reason
    return mod(ctx, "network.tcp", level, body)


def hs_progress(ctx):
    return mod(ctx, "developer.ssl", "INFO", 'CodeLocation="ppcmains/ssl/ttssl/ttssl_openssl.cpp(1974)" Method="::ttssl_continueHandshake" Thread="0x7f%s": Detail="Handshake in progress" Reason="want read/write"' % ctx.hx(10))


def tls_err(ctx, direction, s, sp, d, dp, detail, extra=""):
    return event(ctx, 'Event="%s TLS Negotiation Error" Service="SIP" Src-ip="%s" Src-port="%s" Dst-ip="%s" Dst-port="%s" Detail="%s" Protocol="TLS"%s Level="1"' % (direction, s, sp, d, dp, detail, extra))


def ssl_fail(ctx, iresult, err, server, lip, lport, rip, rport, reason=None):
    body = ('CodeLocation="ppcmains/ssl/ttssl/ttssl_openssl.cpp(68)" Method="::TTSSLErrorOutput" Thread="0x7f%s": '
            'TTSSL_continueHandshake: Failed to establish SSL connection iResult="%s" error="%s" bServer="%s" '
            "localAddress=\"['IPv4''TCP''%s:%s']\" remoteAddress=\"['IPv4''TCP''%s:%s']\"" % (ctx.hx(10), iresult, err, server, lip, lport, rip, rport))
    if reason:
        body += ' ssl_error_reason="%s"' % reason
    return mod(ctx, "developer.ssl", "ERROR", body)


def invite_from_c(ctx, ruri, frm, cid, sdp=True):
    cport = ctx.port()
    lines = ["INVITE sip:%s SIP/2.0" % ruri,
             "Via: SIP/2.0/TLS %s:5061;egress-zone=HybridTraversal;branch=%s.%s;proxy-call-id=%s;rport" % (ctx.c_ip, ctx.branch(), ctx.hx(32), ctx.hx(8) + "-" + ctx.hx(4)),
             "Via: SIP/2.0/TCP %s:5060;branch=%s;received=%s;ingress-zone=CUCM" % (ctx.cucm, ctx.branch(), ctx.cucm),
             "Call-ID: %s" % cid,
             "CSeq: 101 INVITE",
             "Contact: <sip:%s@%s:5060;transport=tcp>" % (frm.split("@")[0].split(":")[-1], ctx.cucm),
             'From: "%s" <sip:%s>;tag=%s' % (frm.split("@")[0].replace(".", " ").title(), frm, ctx.num(8)),
             "To: <sip:%s>" % ruri,
             "Max-Forwards: 15",
             "Record-Route: <sip:proxy-call-id=%s@%s:5061;transport=tls;lr>" % (ctx.hx(8), ctx.c_ip),
             "Allow: INVITE, OPTIONS, INFO, BYE, CANCEL, ACK, PRACK, UPDATE, REFER, SUBSCRIBE, NOTIFY",
             "User-Agent: Cisco-CUCM15.0",
             "Session-Expires: 1800",
             "Supported: timer,resource-priority,replaces,X-cisco-srtp-fallback",
             "Content-Type: application/sdp" if sdp else "Content-Length: 0"]
    if sdp:
        lines += ["Content-Length: 318", "", "v=0", "o=CiscoSystemsCCM-SIP 2000 1 IN IP4 %s" % ctx.cucm, "s=SIP Call",
                  "c=IN IP4 10.40.8.%d" % ctx.r.randint(10, 200), "t=0 0",
                  "m=audio %d RTP/SAVP 9 0 8 101" % ctx.r.randint(16384, 32766),
                  "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
                  "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15",
                  "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s" % ctx.hx(40)]
    return sipmsg(ctx, "Received", ctx.e_in, "7003", ctx.c_ip, cport, lines), cport


def search_lines(ctx, alias, rules):
    out = []
    for kind, name, target, prio in rules:
        if kind == "nomatch":
            out.append(mod(ctx, "network.search", "DEBUG", "Detail=\"Search rule '%s' did not match destination alias '%s'\"" % (name, alias)))
        elif kind == "ignored":
            out.append(mod(ctx, "network.search", "DEBUG", "Detail=\"Search rule '%s' ignored due to source filtering\"" % name))
        else:
            out.append(mod(ctx, "network.search", "DEBUG", "Detail=\"Considering search rule '%s' towards target '%s' at priority '%s' with alias '%s'\"" % (name, target, prio, alias)))
    return out


def response_to_c(ctx, code, cid, cport, ruri, warn_ip, extra=()):
    lines = ["SIP/2.0 %s" % code,
             "Via: SIP/2.0/TLS %s:5061;egress-zone=HybridTraversal;branch=%s;received=%s;rport=%s;ingress-zone=HybridCallServiceTraversal" % (ctx.c_ip, ctx.branch(), ctx.c_ip, cport),
             "Call-ID: %s" % cid,
             "CSeq: 101 INVITE",
             "From: <sip:%s>;tag=%s" % ("5010@" + ctx.domain, ctx.num(8)),
             "To: <sip:%s>;tag=%s" % (ruri, ctx.hx(16)),
             "Server: TANDBERG/4352 (X15.2.1)"] + list(extra) + [
             'Warning: 399 %s "Policy Response"' % warn_ip,
             "Content-Length: 0"]
    return sipmsg(ctx, "Sent", ctx.e_in, "7003", ctx.c_ip, cport, lines)


# --------------------------------------------------------------------------
# the 15 buried cases
# --------------------------------------------------------------------------

def T(y, mo, d, h, mi, s=0):
    return dt.datetime(y, mo, d, h, mi, s, 123000)


def ev_untrusted_webex_ca(ctx):
    out = []
    for w in ctx.webex[:2]:
        sp = ctx.eport()
        out += [tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connecting"),
                tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connection Established"),
                hs_progress(ctx),
                tls_err(ctx, "Inbound", w, sp, ctx.e_out, "5062", "self signed certificate in certificate chain"),
                ssl_fail(ctx, "-1", "1", "true", ctx.e_out, "5062", w, sp,
                         "error:14089086:SSL routines:ssl3_get_client_certificate:certificate verify failed"),
                tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connection Closed", reason="self signed certificate in certificate chain")]
        out += blk_mra_http(ctx)
    return out


def ev_identity_unacceptable(ctx, n=2):
    out = []
    for w in ctx.webex[:n]:
        sp = ctx.eport()
        out += [tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connecting"),
                tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connection Established"),
                hs_progress(ctx),
                tls_err(ctx, "Inbound", w, sp, ctx.e_out, "5062", "Peer's TLS certificate identity was unacceptable"),
                tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connection Closed", reason="Peer's TLS certificate identity was unacceptable")]
        out += blk_traversal_keepalive(ctx)
    return out


def xconf_dns_zone(num, name, subject, inbound, override="On", oname="callservice.webex.com", pp="Off"):
    p = '*c xConfiguration Zones Zone %d ' % num
    return [p + 'DNS Include Address Lookup For All Encapsulated Protocols: "Off"',
            p + 'DNS Interworking SIP Search Strategy: "Options"',
            p + 'DNS SIP Authentication Trust Mode: "Off"',
            p + 'DNS SIP Default Transport: "TLS"',
            p + 'DNS SIP DnsOverride Name: "%s"' % oname,
            p + 'DNS SIP DnsOverride Override: "%s"' % override,
            p + 'DNS SIP Media Encryption Mode: "Force encrypted"',
            p + 'DNS SIP Media ICE Support: "Off"',
            p + 'DNS SIP ParameterPreservation Mode: "%s"' % pp,
            p + 'DNS SIP PreloadedSipRoutes Accept: "On"',
            p + 'DNS SIP Record Route Address Type: "IP"',
            p + 'DNS SIP SearchAutoResponse: "Off"',
            p + 'DNS SIP TLS Verify InboundClassification: "%s"' % inbound,
            p + 'DNS SIP TLS Verify Mode: "On"',
            p + 'DNS SIP TLS Verify Subject Name: "%s"' % subject,
            p + 'DNS SIP UDP BFCP Filter Mode: "Off"',
            p + 'DNS SIP UDP IX Filter Mode: "Off"',
            p + 'DNS ZoneProfile: "Default"',
            p + 'HopCount: "15"',
            p + 'Name: "%s"' % name,
            p + 'Type: "DNS"']


def ev_dns_override_missing(ctx):
    ruri = "mkowalski@acme.calls.webex.com"
    cid = ctx.callid()
    inv, cport = invite_from_c(ctx, ruri, "4417@example.com", cid)
    out = inv
    out += [event(ctx, 'Event="Call Attempted" Service="SIP" Src-ip="%s" Src-port="%s" Src-alias-type="SIP" Src-alias="sip:4417@example.com" Dst-alias-type="SIP" Dst-alias="sip:%s" Protocol="TLS" Auth="YES" Level="1"' % (ctx.c_ip, cport, ruri))]
    out += search_lines(ctx, ruri, [("nomatch", "B2B calls to Expressway-C", "", ""),
                                    ("ignored", "Webex Hybrid inbound", "", ""),
                                    ("consider", "Webex Hybrid - to Webex Cloud", "Hybrid Call Services DNS", "40")])
    sp = ctx.port()
    out += [mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="acme.calls.webex.com" Type="NAPTR (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="_sips._tcp.acme.calls.webex.com" Type="SRV (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", "Detail=\"Resolved hostname to: ['IPv4''TCP''198.51.100.64:5061'] (A/AAAA) Hostname:'l2sip-cfa-01.wbx2.com' Port:'5061' Priority:'5' TTL:'300' Weight:'10' (SRV) Number of relevant records retrieved: 2\""),
            tcp(ctx, ctx.e_out, sp, "198.51.100.64", "5061", "TCP Connecting")]
    ctx.t += dt.timedelta(seconds=10)
    out += [tcp(ctx, ctx.e_out, sp, "198.51.100.64", "5061", "TCP Connection Failed", level="ERROR")]
    out += blk_mra_http(ctx)
    return out


def ev_out_port_blocked(ctx):
    ruri = "jsato@acme.calls.webex.com"
    cid = ctx.callid()
    inv, cport = invite_from_c(ctx, ruri, "2231@example.net", cid)
    out = inv
    out += search_lines(ctx, ruri, [("nomatch", "Inbound to Expressway-C", "", ""),
                                    ("ignored", "Webex inbound", "", ""),
                                    ("consider", "Outbound to Webex", "Webex Zone", "50")])
    out += [mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="_sips._tcp.callservice.webex.com" Type="SRV (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", "Detail=\"Resolved hostname to: ['IPv4''TCP''198.51.100.70:5062'] (A/AAAA) ['IPv4''TCP''198.51.100.64:5062'] (A/AAAA) ['IPv4''TCP''198.51.100.80:5062'] (A/AAAA) ['IPv4''TCP''198.51.100.86:5062'] (A/AAAA) Hostname:'l2sip-cfa-02.wbx2.com' Port:'5062' Priority:'5' TTL:'300' Weight:'10' (SRV) Hostname:'l2sip-cfa-01.wbx2.com' Port:'5062' Priority:'5' TTL:'300' Weight:'10' (SRV) Number of relevant records retrieved: 4\"")]
    for ip in ("198.51.100.70", "198.51.100.64"):
        sp = ctx.port()
        out.append(tcp(ctx, ctx.e_out, sp, ip, "5062", "TCP Connecting"))
        out += blk_mra_http(ctx)
        ctx.t += dt.timedelta(seconds=9)
        out.append(tcp(ctx, ctx.e_out, sp, ip, "5062", "TCP Connection Failed", level="ERROR"))
    return out


def ev_search_rule_priority(ctx):
    ruri = "rpereira@acme.calls.webex.com"
    cid = ctx.callid()
    inv, cport = invite_from_c(ctx, ruri, "3302@example.org", cid)
    out = inv
    out += search_lines(ctx, ruri, [("nomatch", "B2B calls to Expressway-C", "", ""),
                                    ("ignored", "Webex Hybrid", "", ""),
                                    ("nomatch", "MRA devices", "", ""),
                                    ("consider", "to DNS", "DNS", "100")])
    out += [mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="acme.calls.webex.com" Type="NAPTR (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Could not resolve hostname"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="_sips._tcp.acme.calls.webex.com" Type="SRV (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Could not resolve hostname"'),
            event(ctx, 'Event="Search Completed" Reason="Not Found" Service="SIP" Src-alias-type="SIP" Src-alias="3302@example.org" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="found:false, searchtype:INVITE, Info:Policy Response" Level="1"' % ruri),
            event(ctx, 'Event="Call Rejected" Service="SIP" Src-ip="%s" Src-port="%s" Src-alias-type="SIP" Src-alias="sip:3302@example.org" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="Not Found" Protocol="TLS" Response-code="404" Level="1"' % (ctx.c_ip, cport, ruri))]
    out += response_to_c(ctx, "404 Not Found", cid, cport, ruri, "%s:7003" % ctx.e_in)
    return out


def ev_cpl(ctx):
    ruri = "lchen@acme.calls.webex.com"
    cid = ctx.callid()
    inv, cport = invite_from_c(ctx, ruri, "6120@example.com", cid)
    out = inv
    for d in ['CPL: <routed> ', 'CPL: <rule-switch>  ',
              'CPL: <rule unauthenticated-origin=".*" destination=".*@acme\\.calls\\.webex\\.com.*" message-regex=""> matched ',
              'CPL: <reject/> ']:
        out.append(mod(ctx, "network.cpl", "DEBUG", 'Remote-ip="%s" Remote-port="%s" Detail="%s"' % (ctx.c_ip, cport, d)))
    out += [event(ctx, 'Event="Search Completed" Reason="Forbidden" Service="SIP" Src-alias-type="SIP" Src-alias="6120@example.com" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="found:false, searchtype:INVITE, Info:Policy Response" Level="1"' % ruri),
            event(ctx, 'Event="Call Rejected" Service="SIP" Src-ip="%s" Src-port="%s" Src-alias-type="SIP" Src-alias="sip:6120@example.com" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="Forbidden" Protocol="TLS" Response-code="403" Level="1"' % (ctx.c_ip, cport, ruri))]
    out += response_to_c(ctx, "403 Forbidden", cid, cport, ruri, "%s:7003" % ctx.e_in)
    return out


def ev_preloaded_off(ctx):
    # Expressway-C side: INVITE from Expressway-E on the Hybrid traversal zone
    ruri = "tnguyen@example.com"
    ftag = ctx.num(9)
    cid = ctx.hx(32) + "@127.0.0.1"
    eport = "7003"
    lport = ctx.port()
    lines = ["INVITE sip:%s SIP/2.0" % ruri,
             "Via: SIP/2.0/TLS %s:7003;egress-zone=HybridCallTraversal;branch=%s;proxy-call-id=%s;rport" % (ctx.e_in, ctx.branch(), ctx.hx(8)),
             "Via: SIP/2.0/TLS 192.168.77.66:5062;branch=%s;received=198.51.100.45;rport=35464;ingress-zone=WebexZone" % ctx.branch(),
             "Call-ID: %s" % cid,
             "CSeq: 1 INVITE",
             "Contact: <sip:%s:5073;transport=tls>;call-type=squared" % ctx.e_in,
             'From: "Priya Raman" <sip:praman@acme.calls.webex.com>;tag=%s' % ftag,
             "To: <sip:%s>" % ruri,
             "Max-Forwards: 68",
             "Route: <sip:cucm.example.com;lr>",
             "Record-Route: <sip:proxy-call-id=%s@%s:7003;transport=tls;lr>" % (ctx.hx(8), ctx.e_in),
             "User-Agent: TANDBERG/4352 (X15.2.1-b2bua-1.0)",
             "Locus: %s-%s-%s-%s-%s" % (ctx.hx(8), ctx.hx(4), ctx.hx(4), ctx.hx(4), ctx.hx(12)),
             "Locus-Type: CALL",
             "Content-Type: application/sdp",
             "Content-Length: 1732", "", "v=0", "o=tandberg 1 2 IN IP4 %s" % ctx.e_in, "s=-",
             "c=IN IP4 %s" % ctx.e_in, "t=0 0", "m=audio 36012 RTP/SAVP 101 9 0 8",
             "a=rtpmap:101 MP4A-LATM/90000", "a=rtpmap:9 G722/8000", "a=rtpmap:0 PCMU/8000", "a=rtpmap:8 PCMA/8000",
             "m=video 36014 RTP/SAVP 97", "a=rtpmap:97 H264/90000"]
    out = sipmsg(ctx, "Received", ctx.c_ip, lport, ctx.e_in, eport, lines)
    src = "sip:praman@acme.calls.webex.com"
    out += [event(ctx, 'Event="Call Attempted" Service="SIP" Src-ip="%s" Src-port="7003" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-serial-number="%s" Tag="%s" Protocol="TLS" Auth="NO" Level="1"' % (ctx.e_in, src, ruri, ctx.hx(8), ctx.hx(32))),
            event(ctx, 'Event="Search Attempted" Service="SIP" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="searchtype:INVITE" Level="1"' % (src, ruri)),
            event(ctx, 'Event="Search Completed" Reason="Not Found" Service="SIP" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="found:false, searchtype:INVITE, Info:Policy Response" Level="1"' % (src, ruri)),
            event(ctx, 'Event="Call Rejected" Service="SIP" Src-ip="%s" Src-port="7003" Src-alias-type="SIP" Src-alias="%s" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="Not Found" Protocol="TLS" Response-code="404" Level="1"' % (ctx.e_in, src, ruri)),
            mod(ctx, "network.sip", "DEBUG", 'Detail="Sending Response Code=404, Method=INVITE, CSeq=1, To=sip:%s, Call-ID=%s, From-Tag=%s, To-Tag=%s, Msg-Hash=%s, Local-SipAddr=%s:%s, Remote-SipAddr=%s:7003"' % (ruri, cid, ftag, ctx.hx(16), ctx.num(19), ctx.c_ip, lport, ctx.e_in))]
    out += sipmsg(ctx, "Sent", ctx.c_ip, lport, ctx.e_in, eport,
                  ["SIP/2.0 404 Not Found", "Via: SIP/2.0/TLS %s:7003;egress-zone=HybridCallTraversal;branch=%s;received=%s;rport=7003" % (ctx.e_in, ctx.branch(), ctx.e_in),
                   "Call-ID: %s" % cid, "CSeq: 1 INVITE", 'From: "Priya Raman" <sip:praman@acme.calls.webex.com>;tag=%s' % ftag,
                   "To: <sip:%s>;tag=%s" % (ruri, ctx.hx(16)), "Server: TANDBERG/4352 (X15.2.1)",
                   'Warning: 399 %s:5061 "Policy Response"' % ctx.c_ip, "Content-Length: 0"])
    return out


def xconf_trav_client(num, pre_routes, pp="On"):
    p = '*c xConfiguration Zones Zone %d ' % num
    return [p + 'HopCount: "15"',
            p + 'Name: "Hybrid Call Traversal"',
            p + 'TraversalClient Accept Delegated Credential Checks: "Off"',
            p + 'TraversalClient Authentication Mode: "DoNotCheckCredentials"',
            p + 'TraversalClient Authentication Password: "{cipher}%s"' % ("x" * 24),
            p + 'TraversalClient Authentication UserName: "hybridtrav"',
            p + 'TraversalClient Peer 1 Address: "expe01.example.com"',
            p + 'TraversalClient Registrations: "Allow"',
            p + 'TraversalClient RetryInterval: "120"',
            p + 'TraversalClient SIP Media Encryption Mode: "Auto"',
            p + 'TraversalClient SIP ParameterPreservation Mode: "%s"' % pp,
            p + 'TraversalClient SIP Poison Mode: "Off"',
            p + 'TraversalClient SIP Port: "7003"',
            p + 'TraversalClient SIP PreloadedSipRoutes Accept: "%s"' % pre_routes,
            p + 'TraversalClient SIP Protocol: "Assent"',
            p + 'TraversalClient SIP TLS Verify Mode: "On"',
            p + 'TraversalClient SIP Transport: "TLS"',
            p + 'Type: "TraversalClient"']


def ev_double_toast(ctx):
    w = ctx.webex[0]
    wp = ctx.eport()
    cid = ctx.hx(32) + "@127.0.0.1"
    ruri = "omar.haddad@example.com"
    frm = '"Grace Obi" <sip:gobi@acme.calls.webex.com>;tag=%s' % ctx.num(9)
    common = ["Call-ID: %s" % cid, "CSeq: 1 INVITE", "From: " + frm, "To: <sip:%s>" % ruri]
    inv_in = (["INVITE sip:%s SIP/2.0" % ruri,
               "Via: SIP/2.0/TLS 192.168.77.66:5062;branch=%s;rport" % ctx.branch()] + common +
              ['Contact: "l2sip-UA" <sip:l2sip-UA@l2sip-cfa-01.wbx2.com:5062;transport=tls>;call-type=squared',
               "Route: <sip:l2sip@%s:5062;transport=tls;lr>,<sip:cucm-hq.example.com;lr>" % ctx.e_out,
               "Max-Forwards: 70", "User-Agent: Cisco-L2SIP",
               "Locus: %s-%s-%s-%s-%s" % (ctx.hx(8), ctx.hx(4), ctx.hx(4), ctx.hx(4), ctx.hx(12)),
               "Locus-Type: CALL", "Content-Type: application/sdp", "Content-Length: 1688", "",
               "v=0", "o=linus 0 1 IN IP4 198.51.100.109", "s=-", "c=IN IP4 198.51.100.109", "t=0 0",
               "m=audio 33502 RTP/SAVP 101 9 0 8", "a=rtpmap:101 MP4A-LATM/90000",
               "m=video 33504 RTP/SAVP 108", "a=rtpmap:108 H264/90000"])
    out = sipmsg(ctx, "Received", ctx.e_out, "5062", w, wp, inv_in)
    out += search_lines(ctx, "cucm-hq.example.com;lr", [("nomatch", "Outbound to Webex", "", ""),
                                                        ("consider", "Webex inbound to Expressway-C", "Hybrid Call Traversal", "15")])
    cport = ctx.port()
    inv_out = (["INVITE sip:%s SIP/2.0" % ruri,
                "Via: SIP/2.0/TLS %s:7003;egress-zone=HybridCallTraversal;branch=%s;proxy-call-id=%s;rport" % (ctx.e_in, ctx.branch(), ctx.hx(8)),
                "Via: SIP/2.0/TLS 192.168.77.66:5062;branch=%s;received=%s;rport=%s;ingress-zone=WebexZone" % (ctx.branch(), w, wp)] + common +
               ["Contact: <sip:%s:5073;transport=tls>" % ctx.e_in,
                "Route: <sip:cucm-hq.example.com;lr>",
                "Max-Forwards: 69", "User-Agent: TANDBERG/4352 (X15.2.1-b2bua-1.0)",
                "Content-Type: application/sdp", "Content-Length: 1712"])
    out += sipmsg(ctx, "Sent", ctx.e_in, "7003", ctx.c_ip, cport, inv_out)
    out += blk_mra_http(ctx)
    out += sipmsg(ctx, "Received", ctx.e_in, "7003", ctx.c_ip, cport,
                  ["SIP/2.0 180 Ringing"] + common[:2] + ["To: <sip:%s>;tag=%s" % (ruri, ctx.hx(12)), "Content-Length: 0"])
    out += sipmsg(ctx, "Received", ctx.e_in, "7003", ctx.c_ip, cport,
                  ["SIP/2.0 200 OK"] + common[:2] + ["To: <sip:%s>;tag=%s" % (ruri, ctx.hx(12)), "Content-Type: application/sdp", "Content-Length: 1502"])
    out += [event(ctx, 'Event="Call Connected" Service="SIP" Src-alias-type="SIP" Src-alias="gobi@acme.calls.webex.com" Dst-alias-type="SIP" Dst-alias="sip:%s" Call-ID="%s" Media-encrypted="true" Level="1"' % (ruri, cid))]
    return out


def xconf_trav_server(num, pp, pre="On"):
    p = '*c xConfiguration Zones Zone %d ' % num
    return [p + 'HopCount: "15"',
            p + 'Name: "Hybrid Call Traversal"',
            p + 'TraversalServer Authentication Mode: "DoNotCheckCredentials"',
            p + 'TraversalServer Authentication UserName: "hybridtrav"',
            p + 'TraversalServer Registrations: "Allow"',
            p + 'TraversalServer SIP Media Encryption Mode: "Auto"',
            p + 'TraversalServer SIP ParameterPreservation Mode: "%s"' % pp,
            p + 'TraversalServer SIP Poison Mode: "Off"',
            p + 'TraversalServer SIP Port: "7003"',
            p + 'TraversalServer SIP PreloadedSipRoutes Accept: "%s"' % pre,
            p + 'TraversalServer SIP Protocol: "Assent"',
            p + 'TraversalServer SIP TLS Verify Mode: "On"',
            p + 'TraversalServer SIP TLS Verify Subject Name: "expc01.example.com"',
            p + 'TraversalServer SIP Transport: "TLS"',
            p + 'TraversalServer TCPProbe KeepAliveInterval: "20"',
            p + 'Type: "TraversalServer"']


def ev_codec(ctx):
    w = "198.51.100.64"
    lp = ctx.port()
    cid = ctx.callid()
    ruri = "kfischer@acme.calls.webex.com"
    common = ["Call-ID: %s" % cid, 'From: "Lab Phone 7120" <sip:7120@example.com>;tag=%s' % ctx.num(9)]
    inv = (["INVITE sip:%s SIP/2.0" % ruri,
            "Via: SIP/2.0/TLS %s:5062;egress-zone=WebexZone;branch=%s;proxy-call-id=%s;rport" % (ctx.e_out, ctx.branch(), ctx.hx(8)),
            "CSeq: 101 INVITE"] + common +
           ["To: <sip:%s>" % ruri, "User-Agent: TANDBERG/4352 (X15.2.1-b2bua-1.0)",
            "Content-Type: application/sdp", "Content-Length: 912", "",
            "v=0", "o=tandberg 0 1 IN IP4 %s" % ctx.e_out, "s=-", "c=IN IP4 %s" % ctx.e_out, "b=AS:2048", "t=0 0",
            "m=audio 36206 RTP/SAVP 18 101", "a=rtpmap:18 G729/8000", "a=fmtp:18 annexb=no",
            "a=rtpmap:101 telephone-event/8000", "a=fmtp:101 0-15",
            "a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:%s" % ctx.hx(40),
            "m=video 36208 RTP/SAVP 126 97", "a=rtpmap:126 H264/90000", "a=rtpmap:97 H264/90000"])
    out = sipmsg(ctx, "Sent", ctx.e_out, lp, w, "5062", inv)
    out += blk_traversal_keepalive(ctx)
    out += sipmsg(ctx, "Received", ctx.e_out, lp, w, "5062", ["SIP/2.0 180 Ringing", "CSeq: 101 INVITE"] + common + ["To: <sip:%s>;tag=%s" % (ruri, ctx.hx(10)), "Content-Length: 0"])
    ok = (["SIP/2.0 200 OK", "CSeq: 101 INVITE"] + common +
          ["To: <sip:%s>;tag=%s" % (ruri, ctx.hx(10)),
           'Contact: "l2sip-UA" <sip:l2sip-UA@l2sip-cfa-01.wbx2.com:5062;transport=tls>',
           "User-Agent: Cisco-L2SIP", "Locus: %s-%s-%s-%s-%s" % (ctx.hx(8), ctx.hx(4), ctx.hx(4), ctx.hx(4), ctx.hx(12)),
           "Locus-Type: CALL", "Content-Type: application/sdp", "Content-Length: 731", "",
           "v=0", "o=linus 0 1 IN IP4 198.51.100.109", "s=-", "c=IN IP4 198.51.100.109", "t=0 0",
           "m=audio 0 RTP/SAVP *", "m=video 33512 RTP/SAVP 108", "a=rtpmap:108 H264/90000"])
    out += sipmsg(ctx, "Received", ctx.e_out, lp, w, "5062", ok)
    out += sipmsg(ctx, "Sent", ctx.e_out, lp, w, "5062", ["ACK sip:l2sip-UA@l2sip-cfa-01.wbx2.com:5062;transport=tls SIP/2.0", "CSeq: 101 ACK"] + common + ["Content-Length: 0"])
    cport = ctx.port()
    out += sipmsg(ctx, "Received", ctx.e_in, "7003", ctx.c_ip, cport,
                  ["BYE sip:%s:5071;transport=tls SIP/2.0" % ctx.e_in, "Via: SIP/2.0/TLS %s:5061;branch=%s" % (ctx.c_ip, ctx.branch()),
                   "CSeq: 102 BYE"] + common + ["User-Agent: Cisco-CUCM15.0", "Reason: Q.850 ;cause=47", "Content-Length: 0"])
    return out


def ev_max_msg(cm):
    c = "%d,100,14,%d" % (5, 707326 + cm.r.randint(0, 9999))
    out = []
    out.append(cm.line("AppInfo", "SIPSocketProtocol(%s)::handleReadComplete send SdlReadRsp: size 5000" % c))
    out.append(cm.line("SdlSig", "SdlReadRsp           |wait      |SIPTcp(5,100,71,1)  |SdlTCPConnection(%s) |%s.4^%s^*  |*TraceFlagOverrode" % (c, c, cm.expc)))
    out.append(cm.line("AppInfo", "SIPTcp - SdlRead bufferLen=5000", sub=1))
    out.append(cm.line("AppInfo", "//SIP/Stack/Error/0x0/httpish_cache_header_val: DROPPING unregistered header Locus: 5b1f0c2e-9a7d-11ef-8c21-0a5f1e7d33b0", sub=2))
    out.append(cm.line("AppInfo", "//SIP/Stack/Info/0x0/httpish_msg_process_network_msg: Content Length 4215, Bytes Remaining 3911", sub=3))
    out.append(cm.line("AppInfo", "//SIP/Stack/Info/0x0/ccsip_process_network_message: process_network_msg: not complete", sub=4))
    out.append(cm.line("AppInfo", "SIPTcp - Ignoring large message from %s:[5060]. Only allow up to 5000 bytes. Resetting connection." % cm.expc, sub=5))
    return out


def ev_firewall(ctx):
    w = "198.51.100.5"
    sp = ctx.port()
    out = [mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="_sips._tcp.callservice.webex.com" Type="SRV (IPv4 and IPv6)"'),
           mod(ctx, "network.dns", "DEBUG", "Detail=\"Resolved hostname to: ['IPv4''TCP''198.51.100.5:5062'] (A/AAAA) ['IPv4''TCP''198.51.100.6:5062'] (A/AAAA) Hostname:'l2sip-cfa-01.wbx2.com' Port:'5062' Priority:'5' TTL:'300' Weight:'10' (SRV) Number of relevant records retrieved: 4\""),
           tcp(ctx, ctx.e_out, sp, w, "5062", "TCP Connecting"),
           tcp(ctx, ctx.e_out, sp, w, "5062", "TCP Connection Established"),
           hs_progress(ctx),
           ssl_fail(ctx, "-1", "5", "false", ctx.e_out, sp, w, "5062"),
           tls_err(ctx, "Outbound", ctx.e_out, sp, w, "5062", "No SSL error available, probably remote disconnect", extra=' Common-name="callservice.webex.com"'),
           tcp(ctx, ctx.e_out, sp, w, "5062", "TCP Connection Closed", reason="Got EOF on socket")]
    return out


def ev_cert_unknown(ctx, want_error=False, n=2):
    out = []
    for w in ctx.webex[:n]:
        sp = ctx.eport()
        out += [tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connecting"),
                tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connection Established"),
                hs_progress(ctx),
                tls_err(ctx, "Inbound", w, sp, ctx.e_out, "5062", "sslv3 alert certificate unknown")]
        if want_error:
            out.append(mod(ctx, "developer.ssl", "DEBUG", 'CodeLocation="ppcmains/ssl/ttssl/ttssl_openssl.cpp(1997)" Method="::ttssl_continueHandshake" Thread="0x7f%s": Detail="Handshake Failed" Reason="want error ssl"' % ctx.hx(10)))
        out += [ssl_fail(ctx, "0", "1", "true", ctx.e_out, "5062", w, sp,
                         "error:14094416:SSL routines:ssl3_read_bytes:sslv3 alert certificate unknown"),
                tcp(ctx, w, sp, ctx.e_out, "5062", "TCP Connection Closed", reason="Got EOF on socket")]
        out += blk_mra_http(ctx)
    return out


def ev_cannot_resolve_callservice(ctx):
    ruri = "abello@acme.calls.webex.com"
    cid = ctx.callid()
    inv, cport = invite_from_c(ctx, ruri, "8841@example.com", cid)
    out = inv
    out += search_lines(ctx, ruri, [("nomatch", "Traversal to Expressway-C", "", ""),
                                    ("ignored", "Webex Hybrid inbound", "", ""),
                                    ("consider", "Webex Hybrid - to Webex Cloud", "Webex Zone", "90")])
    out += [mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="_sips._tcp.callservice.webex.com" Type="SRV (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Could not resolve hostname"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Sending DNS query" Name="callservice.webex.com" Type="A/AAAA (IPv4 and IPv6)"'),
            mod(ctx, "network.dns", "DEBUG", 'Detail="Could not resolve hostname"'),
            event(ctx, 'Event="Search Completed" Reason="Not Found" Service="SIP" Src-alias-type="SIP" Src-alias="8841@example.com" Dst-alias-type="SIP" Dst-alias="sip:%s" Detail="found:false, searchtype:INVITE" Level="1"' % ruri)]
    return out


def assemble(question, parts, qpos, wrap=None, wrap_mode="cut", crlf=False):
    """parts: list of line lists (log material); question: list of lines."""
    log = []
    cut = None
    for k, p in enumerate(parts):
        if isinstance(qpos, int) and k == qpos:
            cut = len(log)
        log += p
    if isinstance(qpos, int):
        # question inserted right before part number qpos
        lines = log[:cut] + [""] + question + [""] + log[cut:]
        sep = "\r\n" if crlf else "\n"
        return sep.join(lines) + sep
    if wrap:
        log = hard_wrap(log, wrap, wrap_mode)
    if qpos == "top":
        lines = question + [""] + log
    elif qpos == "end":
        lines = log + [""] + question
    else:  # middle
        i = len(log) // 2
        while i < len(log) and not log[i][:4].isdigit():
            i += 1
        lines = log[:i] + [""] + question + [""] + log[i:]
    sep = "\r\n" if crlf else "\n"
    return sep.join(lines) + sep


def buried_cases():
    cases = []

    # 1 ---------------------------------------------------------------
    c = Ctx(701, "expe01", T(2026, 11, 24, 8, 2), tzh=1, webex_opts=False)
    text = assemble(["hi, after we rebuilt the Expressway-E VM last week and restored the config backup,",
                     "calls from the Webex app to our desk phones just fail. Outbound looks ok-ish.",
                     "Pasted the diag log from one test call below. What's broken?"],
                    [expressway_noise(c, 170), ev_untrusted_webex_ca(c), expressway_noise(c, 150)], "top")
    cases.append(dict(expect=["tls-expe-untrusted-webex-ca"],
                      note="Buried: Inbound TLS Negotiation Error on 5062 'self signed certificate in certificate chain' + 14089086 certificate verify failed (digest TLS-1 row); rebuilt E lost the Webex CAs.",
                      text=text))

    # 2 ---------------------------------------------------------------
    c = Ctx(702, "exp-e-fra1", T(2026, 11, 25, 13, 40), tzh=1, webex_opts=False,
            e_out="203.0.113.34", e_in="172.16.40.6", c_ip="172.16.40.5", cucm="172.16.41.21",
            webex=("198.51.100.45", "198.51.100.73"))
    xc = (["", "exp-e-fra1> xconfiguration zones zone 4", ""] +
          xconf_dns_zone(4, "Hybrid Call Services DNS", "exp-e-fra1.example.com", "On") + ["OK"])
    text = assemble(["Above is the E log plus the zone config. We are still on the old DNS-zone setup (not the",
                     "Webex zone). Since a colleague 'tidied up' the zone last Tuesday, Webex -> on-prem calls are dead.",
                     "Outbound to the app still works. Any idea what he broke?"],
                    [expressway_noise(c, 140), ev_identity_unacceptable(c), expressway_noise(c, 90), xc], "end",
                    wrap=96, wrap_mode="cut")
    cases.append(dict(expect=["tls-wrong-verify-subject-name"],
                      note="Buried: 'Peer's TLS certificate identity was unacceptable' + xConfig TLS Verify Subject Name set to the E's own FQDN instead of callservice (digest TLS-2 row); hard-wrapped at 96.",
                      text=text))

    # 3 ---------------------------------------------------------------
    c = Ctx(703, "vcse-edge2", T(2026, 11, 26, 7, 15), tzh=-5, webex_opts=False,
            e_out="203.0.113.77", e_in="10.77.0.6", c_ip="10.77.0.5", cucm="10.77.1.21", domain="example.net",
            webex=("198.51.100.52", "198.51.100.45"))
    xc = ["", "--- xconfig, Hybrid DNS zone ---"] + xconf_dns_zone(6, "Hybrid Call Services DNS", "callservice.webex.com", "Off")
    text = assemble(["(sorry, pasting from the Windows jump box, two chunks) -- the part right below is where Webex",
                     "connects in. Webex app -> desk phone calls never ring. Subject name is callservice.webex.com,",
                     "I triple checked that. X12.6 but we kept the old DNS zone. What else?"],
                    [expressway_noise(c, 120), ev_identity_unacceptable(c), expressway_noise(c, 110), xc], 1,
                    crlf=True)
    cases.append(dict(expect=["tls-inbound-mapping-off"],
                      note="Buried, CRLF: 'Peer's TLS certificate identity was unacceptable' with correct subject name and 'TLS Verify InboundClassification: \"Off\"' (digest TLS-6 row).",
                      text=text))

    # 4 ---------------------------------------------------------------
    c = Ctx(704, "expe01", T(2026, 11, 27, 10, 0), tzh=1)
    text = assemble(["Desk phone -> Webex app calls: the app shows Join but never rings. Diag log from the E",
                     "below (copied out of the terminal so lines are cut). The test call was to mkowalski."],
                    [expressway_noise(c, 150), ev_dns_override_missing(c), expressway_noise(c, 120)], "top",
                    wrap=88, wrap_mode="cut")
    cases.append(dict(expect=["out-dns-override-missing"],
                      note="Buried, wrapped 88: Hybrid DNS zone looks up _sips._tcp.acme.calls.webex.com, gets :5061, TCP Connection Failed to 5061 (digest outbound issue 1 row).",
                      text=text))

    # 5 ---------------------------------------------------------------
    c = Ctx(705, "expe-ams", T(2026, 11, 28, 14, 20), tzh=1, webex_opts=False,
            e_out="203.0.113.90", e_in="10.90.0.6", c_ip="10.90.0.5", cucm="10.90.1.21", domain="example.net")
    text = assemble(["^^ log from the Expressway-E. When I ring jsato from my desk phone his desk phone rings,",
                     "the Webex app shows a Join button and nothing else. Network team says 'nothing changed'.",
                     "What is the E complaining about?"],
                    [expressway_noise(c, 200), ev_out_port_blocked(c), expressway_noise(c, 130)], "end")
    cases.append(dict(expect=["out-port-5062-blocked"],
                      note="Buried: SRV for callservice.webex.com resolves to 5062 correctly, then TCP Connecting -> TCP Connection Failed to two Webex IPs on 5062 (digest outbound issue 2 row).",
                      text=text))

    # 6 ---------------------------------------------------------------
    c = Ctx(706, "expe-core", T(2026, 11, 29, 9, 30), tzh=0,
            e_out="203.0.113.120", e_in="192.168.50.6", c_ip="192.168.50.5", cucm="192.168.51.21", domain="example.org")
    text = assemble(["--- my question: this is the E during a call from 3302 to rpereira (Webex app). The app",
                     "never rings and the C gets an error back. B2B calls are fine. Continuing the log: ---"],
                    [expressway_noise(c, 170), ev_search_rule_priority(c), expressway_noise(c, 140)], "middle",
                    wrap=100, wrap_mode="word")
    cases.append(dict(expect=["out-search-rule-priority"],
                      note="Buried, word-wrapped 100: 'Considering search rule 'to DNS' ... priority '100'', Webex rule never considered, E sends 404 Policy Response to the C (digest outbound issue 3 row).",
                      text=text))

    # 7 ---------------------------------------------------------------
    c = Ctx(707, "expe01", T(2026, 11, 30, 15, 5), tzh=1)
    text = assemble(["Outbound hybrid broke right after the security review last week. Phone -> Webex app",
                     "calls are rejected immediately (the caller hears a reorder tone for a split second, the",
                     "app does not ring). E diagnostic log attached inline, test call to lchen."],
                    [expressway_noise(c, 180), ev_cpl(c), expressway_noise(c, 120)], "top", crlf=True)
    cases.append(dict(expect=["out-cpl-misconfig"],
                      note="Buried, CRLF: CPL rule unauthenticated-origin='.*' destination='.*@acme\\.calls\\.webex\\.com.*' matched, <reject/>, 403 Forbidden (digest outbound issue 4 row).",
                      text=text))

    # 8 ---------------------------------------------------------------
    c = Ctx(708, "expc01", T(2026, 12, 1, 11, 45), tzh=1, role="C", b2b_rule="Traversal to Expressway-E",
            b2b_target="B2B Traversal", b2b_prio=50)
    xc = ["", "and the traversal client zone on this C (xconfig):"] + xconf_trav_client(3, "Off")
    text = assemble(["This is the Expressway-C. Webex app -> desk phone: the E passes the call down, then the C",
                     "kills it. Logged one call from Priya (Webex) to tnguyen. Why is the C refusing it?"],
                    [expressway_noise(c, 240), ev_preloaded_off(c), expressway_noise(c, 180), xc], "end")
    cases.append(dict(expect=["in-preloaded-sip-routes-off"],
                      note="Buried: Expressway-C 404 Not Found / Policy Response to an INVITE with Route: <sip:cucm.example.com;lr>, no search on the Route header, traversal client PreloadedSipRoutes Accept 'Off' (digest inbound issue 4 row).",
                      text=text))

    # 9 ---------------------------------------------------------------
    c = Ctx(709, "expe01", T(2026, 12, 2, 8, 10), tzh=1, webex=("198.51.100.73", "198.51.100.45"))
    xc = ["", "expe01> xconfiguration zones zone 7"] + xconf_trav_server(7, "Off")
    text = assemble(["Weird one. When Grace calls Omar from the Webex app, Omar's Webex app pops up TWO incoming",
                     "calls at the same moment (one shows Grace, the other shows his desk phone's remote device).",
                     "The call itself works fine. Log of one call from the E + the traversal zone below."],
                    [expressway_noise(c, 210), ev_double_toast(c), expressway_noise(c, 160), xc], "top")
    cases.append(dict(expect=["in-double-toast-param-preservation"],
                      note="Buried: INVITE from Webex carries Contact ...;call-type=squared, the INVITE sent to the C has it stripped; traversal server ParameterPreservation Mode 'Off' (digest inbound issue 5 row).",
                      text=text))

    # 10 --------------------------------------------------------------
    c = Ctx(710, "expe-sg", T(2026, 12, 2, 2, 30), tzh=8, e_out="203.0.113.150", e_in="10.150.0.6",
            c_ip="10.150.0.5", cucm="10.150.1.21", domain="example.com")
    text = assemble(["=== question: calls from the lab phones to Webex users ring, you answer on the app and it",
                     "hangs up at once. Other sites are fine. Log continues below. ==="],
                    [expressway_noise(c, 120), ev_codec(c), expressway_noise(c, 100)], "middle",
                    wrap=90, wrap_mode="cut")
    cases.append(dict(expect=["bi-unsupported-audio-codec"],
                      note="Buried, wrapped 90: offer m=audio ... 18 (G.729 only), Webex 200 OK 'm=audio 0 RTP/SAVP *', CUCM BYE 'Reason: Q.850 ;cause=47' (digest bidirectional issue 1 row).",
                      text=text))

    # 11 --------------------------------------------------------------
    cm = CmCtx(711, T(2026, 12, 3, 9, 5), cucm="10.30.1.21", expc="10.30.1.5")
    text = assemble(["That's a chunk of the SDL trace from the CUCM subscriber handling the Expressway-C trunk.",
                     "Room kits and desk video phones calling Webex app users: the app answers, then after half",
                     "a minute the call falls over and the E logs a 603 from Webex. Audio-only phones are fine."],
                    [cucm_noise(cm, 260), ev_max_msg(cm), cucm_noise(cm, 240)], "end")
    cases.append(dict(expect=["bi-cucm-max-incoming-msg-size"],
                      note="Buried in CUCM SDL trace: 'SIPTcp - Ignoring large message from 10.30.1.5:[5060]. Only allow up to 5000 bytes. Resetting connection.' (digest bidirectional issue 2 row).",
                      text=text))

    # 12 --------------------------------------------------------------
    c = Ctx(712, "vcse", T(2026, 12, 3, 18, 31), tzh=-6, webex_opts=False, e_out="172.17.31.10",
            e_in="10.17.31.6", c_ip="10.17.31.5", cucm="10.17.32.21", domain="example.org")
    text = assemble(["we replaced the edge firewall last week. since then nothing hybrid works. the E log around",
                     "a test call is below, I don't see a real error, just disconnects?"],
                    [expressway_noise(c, 130), ev_firewall(c), expressway_noise(c, 110)], "top")
    cases.append(dict(expect=["tls-firewall-terminates-handshake"],
                      note="Buried: Outbound TLS Negotiation Error 'No SSL error available, probably remote disconnect', error=\"5\", Got EOF on socket after TCP established (digest TLS-4 row).",
                      text=text))

    # 13 --------------------------------------------------------------
    c = Ctx(713, "expe01", T(2026, 12, 1, 12, 18), tzh=1, webex_opts=False,
            webex=("198.51.100.45", "198.51.100.41"))
    sclient = ["", "and this is what openssl shows for the E's cert:", "",
               "$ openssl s_client -connect 203.0.113.10:5062 -showcerts </dev/null 2>/dev/null | openssl x509 -noout -subject -issuer -dates -ext subjectAltName",
               "subject=CN = expe01, OU = Temporary Certificate 4c0a7e2b-91d3-4f6a-b2e8-0d5c1f3a9e77, O = Temporary Certificate 4c0a7e2b-91d3-4f6a-b2e8-0d5c1f3a9e77",
               "issuer=CN = Temporary CA 4c0a7e2b-91d3-4f6a-b2e8-0d5c1f3a9e77, OU = Temporary CA 4c0a7e2b-91d3-4f6a-b2e8-0d5c1f3a9e77, O = Temporary CA 4c0a7e2b-91d3-4f6a-b2e8-0d5c1f3a9e77",
               "notBefore=Nov 12 09:41:07 2026 GMT", "notAfter=Nov 12 09:41:07 2028 GMT",
               "No extensions in certificate", ""]
    text = assemble(["Fresh install of a new Expressway pair for Hybrid. Neither direction works (the app does not",
                     "ring when called from a desk phone, and vice versa). We uploaded the E cert to Control Hub",
                     "already. Middle of the log + openssl output follows."],
                    [expressway_noise(c, 150), ev_cert_unknown(c, want_error=True), sclient, expressway_noise(c, 120)], "middle")
    cases.append(dict(expect=["tls-expe-default-selfsigned-cert"],
                      note="Buried: sslv3 alert certificate unknown + 'Handshake Failed' / 'want error ssl'; openssl shows the E cert is the 'Temporary Certificate' from a 'Temporary CA' with no SAN (digest TLS-7 row).",
                      text=text))

    # 14 --------------------------------------------------------------
    c = Ctx(714, "expe-lon", T(2026, 11, 20, 14, 22), tzh=0, webex_opts=False, e_out="203.0.113.200",
            e_in="10.200.0.6", c_ip="10.200.0.5", cucm="10.200.1.21", domain="example.co.uk".replace("co.uk", "org"))
    extra = ["", "tshark on the diag pcap (tcp.port==5062, decoded as TLS):",
             "  175 4.212731 203.0.113.200 -> 198.51.100.45 TLSv1.2 4190 Server Hello, Certificate, Server Key Exchange, Certificate Request, Server Hello Done",
             "        Certificates Length: 3926",
             "        Certificate: ... (id-at-commonName=expe-lon.example.org)",
             "        Certificate: ... (id-at-commonName=Example Public TLS RSA CA 2025,id-at-organizationName=Example Trust Services)",
             "        Certificate: ... (id-at-commonName=Example Public Root R1,id-at-organizationName=Example Trust Services)",
             "  197 4.301882 198.51.100.45 -> 203.0.113.200 TLSv1.2 61 Alert (Level: Fatal, Description: Certificate Unknown)",
             "",
             "Control Hub > Services > Hybrid Call > Settings > Certificates for Encrypted SIP Calls currently lists:",
             "  expe-lon.example.org      issued by EXAMPLE-ISSUING-CA01   uploaded 2023-03-14",
             "  EXAMPLE-ROOT-CA           issued by EXAMPLE-ROOT-CA        uploaded 2023-03-14", ""]
    text = assemble(["Our E moved to a public cert (full chain in the trusted CA store) in October. Inbound hybrid",
                     "calls from Webex fail since then. Log, tshark and the Control Hub cert list are above. Ideas?"],
                    [expressway_noise(c, 220), ev_cert_unknown(c), expressway_noise(c, 170), extra], "end")
    cases.append(dict(expect=["tls-stale-control-hub-certs"],
                      note="Buried: sslv3 alert certificate unknown from Webex although the E sends the full public chain; Control Hub still holds the old internal-CA certificates (digest TLS-5 row).",
                      text=text))

    # 15 --------------------------------------------------------------
    c = Ctx(715, "expe01", T(2026, 12, 3, 7, 50), tzh=1, dns_noise=False)
    text = assemble(["Above: the E during a desk phone -> Webex app call (the app never rings). Our E was moved",
                     "to the new DMZ resolvers on Monday. Is that related or is it the Webex side?"],
                    [expressway_noise(c, 190), ev_cannot_resolve_callservice(c), expressway_noise(c, 150)], "end",
                    wrap=80, wrap_mode="word")
    cases.append(dict(expect=["out-expe-cannot-resolve-callservice"],
                      note="Buried, word-wrapped 80: the Webex rule is chosen but '_sips._tcp.callservice.webex.com' -> 'Could not resolve hostname' from the E's own resolvers (KB id out-expe-cannot-resolve-callservice).",
                      text=text))
    return cases


if __name__ == "__main__":
    for i, c in enumerate(buried_cases(), 1):
        n = c["text"].count("\n")
        print("=== buried %d  expect=%s  lines=%d chars=%d" % (i, c["expect"], n, len(c["text"])))
