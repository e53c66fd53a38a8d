"""The call view's engine: calls built from logs, pastes, traces and captures (values new, shapes from the seed)."""
from __future__ import annotations

import io
import socket

import dpkt
import pytest

from matchers.calls import EXPC, EXPE, INBOUND, OUTBOUND, UCM, WEBEX, calls_from_capture, find_calls
from tests.call_logs import Log, Site, inbound, message

SITE = Site()
E_OUT, E_IN, C, UCM_IP = SITE.expe_out, SITE.expe_in, SITE.expc_ip, SITE.ucm
CALLER = '"Lena Ortiz" <sip:6021@fabrikam.example>;tag=88120~a1b2c3d4-0001'
CALLEE = "<sip:mpatel@fabrikam.calls.webex.com>"
OUT_CID = "3f9a2c00-6e11b27c-4d1a-320200c0@192.0.2.50"
L2SIP = 'Contact: "l2sip-UA" <sip:l2sip-UA@l2sip-ams-02.wbx2.com:5062;transport=tls>'


def roles(call) -> list[tuple[str, str, str]]:
    return [(m.sender.role, m.label, m.receiver.role) for m in call.messages]


def one(lines: list[str]):
    calls = find_calls(lines)
    assert len(calls) == 1, [c.as_dict() for c in calls]
    return calls[0]


# ---------------------------------------------------------------- the seed's call flows
def test_inbound_flow_from_the_expressway_e_log():
    log = Log()
    cid = inbound(log, SITE, 0, 7, both=False)
    call = one(log.lines())
    assert (call.call_id, call.direction, call.final_response, call.failed) == (cid, INBOUND, "200 OK", False)
    assert call.parties == {"from": "sip:wuser7@fabrikam.calls.webex.com", "to": "sip:desk7@fabrikam.example"}
    assert [lane.element.role for lane in call.lanes] == [WEBEX, EXPE, EXPC]
    assert roles(call)[:2] == [(WEBEX, "INVITE", EXPE), (EXPE, "INVITE", EXPC)]
    assert call.ended_at == "ended by BYE from Webex after answer"
    assert call.messages[0].offset == 0.0 and call.messages[-1].offset == pytest.approx(60.07)


def outbound_log(*, answer: bool = True, ack: bool = True, bye_reason: str = "", decline: bool = False) -> Log:
    """Unified CM > Expressway-C > Expressway-E > Webex, as the Expressway-E logs it (tool-callflow-outbound)."""
    log, e_trav, c_trav, w = Log(), f"{E_IN}:7003", f"{C}:26513", "203.0.113.64:5062"
    e_tls = f"{E_OUT}:25034"
    invite = "INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0"
    via_c = f"Via: SIP/2.0/TLS {C}:5061;egress-zone=HybridTraversal;branch=z9hG4bKc1;proxy-call-id=5d0e-c"
    tagged = f"{CALLEE};tag=1311451760"
    log.sip(0.0, SITE.expe, "Received", e_trav, c_trav,
            message(invite, OUT_CID, "101 INVITE", CALLER, CALLEE, via_c, "User-Agent: TANDBERG/4352",
                    "X-TAATag: 0b7e4c1a-2f33-4d6e-9a10-5c8f7e6d2b14"))
    log.noise(0.002, SITE.expe, "Considering search rule 'Webex Hybrid - to Webex Cloud' towards target "
              "'Hybrid Call Services DNS' at priority '90'")
    log.sip(0.050, SITE.expe, "Sent", e_tls, w, message(invite, OUT_CID, "101 INVITE", CALLER, CALLEE,
                                                        f"Via: SIP/2.0/TLS {E_OUT}:5062;egress-zone=HybridDNS"))
    log.sip(0.400, SITE.expe, "Received", e_tls, w, message("SIP/2.0 180 Ringing", OUT_CID, "101 INVITE", CALLER,
                                                            tagged, L2SIP, "User-Agent: Cisco-L2SIP"))
    log.sip(0.410, SITE.expe, "Sent", e_trav, c_trav, message("SIP/2.0 180 Ringing", OUT_CID, "101 INVITE", CALLER,
                                                              tagged))
    if answer:
        ok = message("SIP/2.0 200 OK", OUT_CID, "101 INVITE", CALLER, tagged, L2SIP, "User-Agent: Cisco-L2SIP")
        log.sip(16.6, SITE.expe, "Received", e_tls, w, ok)
        log.sip(16.61, SITE.expe, "Sent", e_trav, c_trav, ok)
        if not ack:
            log.sip(17.1, SITE.expe, "Received", e_tls, w, ok)          # Webex retransmits: no ACK came
            log.sip(17.11, SITE.expe, "Sent", e_trav, c_trav, ok)
    if ack:
        ack_msg = message("ACK sip:l2sip-UA@l2sip-ams-02.wbx2.com:5062;transport=tls SIP/2.0", OUT_CID, "101 ACK",
                          CALLER, tagged)
        log.sip(16.7, SITE.expe, "Received", e_trav, c_trav, ack_msg)
        log.sip(16.71, SITE.expe, "Sent", e_tls, w, ack_msg)
    if bye_reason:
        bye = message("BYE sip:l2sip-UA@l2sip-ams-02.wbx2.com:5062;transport=tls SIP/2.0", OUT_CID, "102 BYE",
                      CALLER, tagged, "User-Agent: Cisco-CUCM15.0", f"Reason: {bye_reason}")
        log.sip(16.8, SITE.expe, "Received", e_trav, c_trav, bye)
        log.sip(16.81, SITE.expe, "Sent", e_tls, w, bye)
    if decline:
        log.sip(38.0, SITE.expe, "Received", e_tls, w,
                message("SIP/2.0 603 Decline", OUT_CID, "101 INVITE", CALLER, tagged, "User-Agent: Cisco-L2SIP"))
        log.sip(38.01, SITE.expe, "Sent", e_trav, c_trav,
                message("SIP/2.0 603 Decline", OUT_CID, "101 INVITE", CALLER, tagged))
    return log


def test_outbound_flow_to_webex():
    call = one(outbound_log().lines())
    assert (call.direction, call.final_response, call.failed) == (OUTBOUND, "200 OK", False)
    assert call.parties == {"from": "sip:6021@fabrikam.example", "to": "sip:mpatel@fabrikam.calls.webex.com"}
    assert [lane.caption for lane in call.lanes] == [(WEBEX, "203.0.113.64"), (EXPE, SITE.expe), (EXPC, C)]
    assert roles(call)[:2] == [(EXPC, "INVITE", EXPE), (EXPE, "INVITE", WEBEX)]
    assert call.ended_at == "answered; still up at the end of the evidence"


# ---------------------------------------------------------------- several Expressways, one call
def test_expressway_e_and_c_logs_interleaved_make_one_call():
    log = Log()
    cid = inbound(log, SITE, 0, 12)
    call = one(log.lines())
    assert call.call_id == cid
    assert [lane.caption for lane in call.lanes] == [(WEBEX, SITE.webex), (EXPE, SITE.expe), (EXPC, SITE.expc),
                                                     (UCM, UCM_IP)]
    # the E's "Sent" and the C's "Received" of one INVITE are one arrow
    assert roles(call)[:4] == [(WEBEX, "INVITE", EXPE), (EXPE, "INVITE", EXPC), (EXPC, "INVITE", UCM),
                               (UCM, "100 Trying", EXPC)]
    assert len(call.messages) == 19
    assert {m.host for m in call.messages} == {SITE.expe, SITE.expc}


def test_b2bua_leg_with_a_new_call_id_joins_by_timing_and_aliases():
    log = Log()
    inbound(log, SITE, 0, 3, b2bua_call_id="b2b5e1a07d@192.0.2.10")
    inbound(log, SITE, 4.0, 4, b2bua_call_id="b2b5e1a07e@192.0.2.10")
    calls = find_calls(log.lines())
    assert [c.call_ids[1:] for c in calls] == [["b2b5e1a07d@192.0.2.10"], ["b2b5e1a07e@192.0.2.10"]]
    assert all(c.final_response == "200 OK" and len(c.messages) == 19 for c in calls)


def test_separate_calls_stay_separate():
    log = Log()
    for n in range(5):
        inbound(log, SITE, n * 0.5, 100 + n, reject_at_c=n % 2 == 1)
    calls = find_calls(log.lines())
    assert [c.failed for c in calls] == [False, True, False, True, False]
    assert len({c.call_id for c in calls}) == 5


# ---------------------------------------------------------------- where calls end
def test_404_policy_response_rejected_at_the_expressway_c():
    log = Log()
    inbound(log, SITE, 0, 21, reject_at_c=True)
    call = one(log.lines())
    assert call.failed and call.final_response == "404 Not Found"
    assert call.ended_at == "rejected at the Expressway-C with 404 Not Found (Policy Response)"
    failing = call.failing_message
    assert (failing.sender.role, failing.receiver.role, failing.failed) == (EXPC, EXPE, True)
    assert failing.warning == f'399 {C}:5061 "Policy Response"'
    assert sum(m.failed for m in call.messages) == 1


def test_404_from_call_events_only_at_info_level():
    """An INFO-level Expressway-C log has no SIP bodies: the events stand for the INVITE and the 404."""
    log = Log()
    alias = dict(Src_alias="sip:jkim@fabrikam.calls.webex.com", Dst_alias="sip:rhale@fabrikam.example",
                 Call_serial_number="9c1d2e3f-0a4b-4c5d-8e6f-7a8b9c0d1e2f", Tag="1f2e3d4c-5b6a-4798-8a9b-0c1d2e3f4a5b")
    log.event(0.0, SITE.expc, "Call Attempted", Service="SIP", Src_ip=E_IN, Src_port="7003", Protocol="TLS",
              **alias)
    log.event(0.002, SITE.expc, "Search Completed", Reason="Not Found", Service="SIP",
              Detail="found:false, searchtype:INVITE, Info:Policy Response", **alias)
    log.event(0.003, SITE.expc, "Call Rejected", Service="SIP", Src_ip=E_IN, Src_port="7003", Detail="Not Found",
              Response_code="404", **alias)
    call = one(log.lines())
    assert roles(call) == [(EXPE, "INVITE", EXPC), (EXPC, "404 Not Found", EXPE)]
    assert call.ended_at == "rejected at the Expressway-C with 404 Not Found (Policy Response)"
    assert call.parties == {"from": "sip:jkim@fabrikam.calls.webex.com", "to": "sip:rhale@fabrikam.example"}


def test_603_after_200_ok_with_no_ack():
    call = one(outbound_log(ack=False, decline=True).lines())
    assert call.failed and call.final_response == "603 Decline"
    assert call.ended_at == "declined 603 after 200 OK with no ACK"
    assert (call.failing_message.label, call.failing_message.sender.role) == ("603 Decline", WEBEX)
    assert [m.label for m in call.messages].count("200 OK") == 4          # received and passed on, twice


def test_200_ok_never_acknowledged():
    call = one(outbound_log(ack=False).lines())
    assert call.failed and call.ended_at == "answered (200 OK) but never acknowledged: no ACK"
    assert call.failing == len(call.messages) - 1


def test_bye_with_cause_47_after_answer():
    call = one(outbound_log(bye_reason="Q.850 ;cause=47").lines())
    assert call.failed and call.final_response == "200 OK"
    assert call.ended_at == ("BYE from Unified CM (through the Expressway-C) with Q.850 cause 47 "
                             "(resource unavailable) after answer")
    assert (call.failing_message.label, call.failing_message.reason) == ("BYE", "Q.850 ;cause=47")


def test_normal_clearing_is_not_a_failure():
    call = one(outbound_log(bye_reason="Q.850 ;cause=16").lines())
    assert not call.failed and call.failing is None


# ---------------------------------------------------------------- connections without SIP
def test_inbound_tls_failure_with_no_sip_is_a_call_attempt():
    log = Log()
    webex, expe = "203.0.113.77:45120", f"{E_OUT}:5062"
    log.tcp(0.0, SITE.expe, "TCP Connecting", webex, expe)
    log.event(0.08, SITE.expe, "Inbound TLS Negotiation Error", Service="SIP", Src_ip="203.0.113.77",
              Src_port="45120", Dst_ip=E_OUT, Dst_port="5062", Detail="sslv3 alert certificate unknown",
              Protocol="TLS")
    call = one(log.lines())
    assert (call.call_id, call.direction, call.failed, call.final_response) == ("", INBOUND, True, None)
    assert roles(call) == [(WEBEX, "TLS handshake :5062 failed", EXPE)]
    assert call.messages[0].warning == "Inbound TLS Negotiation Error: sslv3 alert certificate unknown"
    assert call.ended_at.startswith("TLS handshake from Webex to Expressway-E on 5062 failed")


def test_tcp_failure_to_webex_is_a_hop_of_the_outbound_call():
    log = Log()
    invite = "INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0"
    log.sip(0.0, SITE.expe, "Received", f"{E_IN}:7003", f"{C}:26404",
            message(invite, OUT_CID, "101 INVITE", CALLER, CALLEE, "User-Agent: TANDBERG/4352"))
    log.tcp(0.06, SITE.expe, "TCP Connecting", f"{E_OUT}:25026", "203.0.113.70:5062")
    log.tcp(10.06, SITE.expe, "TCP Connection Failed", f"{E_OUT}:25026", "203.0.113.70:5062", level="ERROR")
    call = one(log.lines())
    assert roles(call) == [(EXPC, "INVITE", EXPE), (EXPE, "TCP connect :5062 failed", WEBEX)]
    assert call.failed and call.failing == 1
    assert call.ended_at == ("Expressway-E could not complete the TCP connection to Webex on 5062 "
                             "(TCP Connection Failed after 10.0 s)")


# ---------------------------------------------------------------- other formats
def test_plain_paste_from_the_seed_shape():
    text = """INVITE sip:tnguyen@fabrikam.example SIP/2.0
Via: SIP/2.0/TLS 192.0.2.10:7003;egress-zone=HybridTraversal;branch=z9hG4bK7a;proxy-call-id=ab12
Call-ID: 77e1b2c3d4e5f60718293a4b5c6d7e8f@127.0.0.1
CSeq: 1 INVITE
From: "Ana Sousa" <sip:asousa@fabrikam.call.ciscospark.com>;tag=551020
To: <sip:tnguyen@fabrikam.example>
Route: <sip:ucm.fabrikam.example;lr>

SIP/2.0 404 Not Found
Via: SIP/2.0/TLS 192.0.2.10:7003;egress-zone=HybridTraversal;branch=z9hG4bK7a;proxy-call-id=ab12
Call-ID: 77e1b2c3d4e5f60718293a4b5c6d7e8f@127.0.0.1
CSeq: 1 INVITE
Server: TANDBERG/4135 (X14.3.1)
Warning: 399 192.0.2.11:5061 "Policy Response"
"""
    call = one(text.splitlines())
    assert roles(call) == [(EXPE, "INVITE", EXPC), (EXPC, "404 Not Found", EXPE)]
    assert call.direction == INBOUND and call.ended_at.startswith("rejected at the Expressway-C with 404")


def test_web_page_copy_with_headers_joined_on_one_line():
    lines = [
        '2024-06-11T14:02:07.100+02:00 fab-expe01 tvcs: UTCTime="2024-06-11 12:02:07,100" Module="network.sip" '
        'Level="DEBUG": Action="Sent" Local-ip="192.0.2.10" Local-port="7003" Dst-ip="192.0.2.11" '
        'Dst-port="26404" Msg-Hash="1"',
        ' SIPMSG: |SIP/2.0 403 Forbidden Via: SIP/2.0/TLS 192.0.2.11:5061;egress-zone=HybridTraversal;branch=z9',
        ' Via: SIP/2.0/TCP 192.0.2.50:5060;branch=z9hG4bK1c Call-ID: 1cdcb-9c916d13@192.0.2.50',
        ' CSeq: 101 INVITE From: "Lena Ortiz" <sip:6021@fabrikam.example> ;tag=512579 To: '
        '<sip:mpatel@fabrikam.calls.webex.com> ;tag=64fe',
        ' Server: TANDBERG/4135 (X14.3.1) Warning: 399 192.0.2.10:7003 "Policy Response"',
    ]
    call = one(lines)
    m = call.messages[0]
    assert (m.label, m.call_id, m.cseq, m.warning) == ("403 Forbidden", "1cdcb-9c916d13@192.0.2.50", 101,
                                                       '399 192.0.2.10:7003 "Policy Response"')
    assert (m.sender.role, m.receiver.role, call.direction) == (EXPE, EXPC, OUTBOUND)


def test_info_level_summaries_and_debug_bodies_are_not_doubled():
    head = ('2024-06-11T14:02:07.100+02:00 fab-expc01 tvcs: UTCTime="2024-06-11 12:02:07,{ms}" '
            'Module="network.sip" Level="{level}": Action="Received" Local-ip="192.0.2.11" Local-port="26110" '
            'Src-ip="192.0.2.10" Src-port="7003" ')
    lines = [head.format(ms="100", level="INFO") + 'Detail="Receive Request Method=INVITE, CSeq=1, '
             'Request-URI=sip:desk1@fabrikam.example, Call-ID=c1@127.0.0.1, From-Tag=9, To-Tag=, Msg-Hash=42, '
             'Local-SessionID=daf7c278732bb5a557fb57925dffcbf7, Remote-SessionID=00000000000000000000000000000000"',
             head.format(ms="100", level="DEBUG") + 'Msg-Hash="42"', " SIPMSG:",
             " |INVITE sip:desk1@fabrikam.example SIP/2.0", " Call-ID: c1@127.0.0.1", " CSeq: 1 INVITE",
             ' From: <sip:wuser1@fabrikam.calls.webex.com>;tag=9', " To: <sip:desk1@fabrikam.example>", " |"]
    call = one(lines)
    assert [m.label for m in call.messages] == ["INVITE"] and call.messages[0].line == 3
    assert call.ended_at == "never answered (no response to the INVITE in the evidence)" and not call.failed


def test_unified_cm_sdl_trace():
    lines = [
        "53138762.001 |09:05:19.700 |AppInfo  |SIPTcp - wait_SdlSPISignal: Outgoing SIP TCP message to "
        "192.0.2.11:[5060]:",
        "[152,NET]",
        "INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0",
        "Call-ID: 5a1e0c00-9c11-4e2d@192.0.2.50",
        "CSeq: 101 INVITE",
        "From: <sip:6021@fabrikam.example>;tag=3311",
        "To: <sip:mpatel@fabrikam.calls.webex.com>",
        "User-Agent: Cisco-CUCM15.0",
        "53138763.001 |09:05:19.750 |AppInfo  |SIPTcp - wait_SdlReadRsp: Incoming SIP TCP message size 401 from "
        "192.0.2.11:[5060]:",
        "[153,NET]",
        "SIP/2.0 100 Trying",
        "Call-ID: 5a1e0c00-9c11-4e2d@192.0.2.50",
        "CSeq: 101 INVITE",
        "Server: TANDBERG/4352 (X14.3.1)",
        "53138763.005 |09:05:39.762 |AppInfo  |SIPTcp - Ignoring large message from 192.0.2.11:[5060]. Only allow "
        "up to 5000 bytes. Resetting connection.",
    ]
    call = one(lines)
    assert roles(call) == [(UCM, "INVITE", EXPC), (EXPC, "100 Trying", UCM)]
    assert [m.offset for m in call.messages] == [0.0, 0.05]
    assert call.ended_at == "never answered (last: 100 Trying)"


def test_wireshark_packet_list():
    lines = [
        "No.     Time           Source                Destination           Protocol Length Info",
        "     41 0.000000000    192.0.2.50 → 192.0.2.11   SIP/SDP  1104   Request: INVITE sip:mp@fab.calls.webex.com |",
        "     42 0.004100000    192.0.2.11 → 192.0.2.50   SIP      402    Status: 100 Trying |",
        "     47 0.208000000    192.0.2.11 → 192.0.2.50   SIP      455    Status: 488 Not Acceptable Here |",
        "     48 0.209000000    192.0.2.50 → 192.0.2.11   SIP      380    Request: ACK sip:mp@fab.calls.webex.com |",
        "     51 30.00000000    192.0.2.50 → 192.0.2.11   SIP      420    Request: OPTIONS sip:192.0.2.11:5060 |",
        "     52 30.00100000    192.0.2.11 → 192.0.2.50   SIP      380    Status: 200 OK |",
    ]
    call = one(lines)
    assert [m.label for m in call.messages] == ["INVITE", "100 Trying", "488 Not Acceptable Here", "ACK"]
    assert call.failed and call.final_response == "488 Not Acceptable Here"
    assert {m.sender.name for m in call.messages} == {"192.0.2.50", "192.0.2.11"}


def test_keepalive_options_are_not_calls():
    log = Log()
    for k in range(3):
        log.sip(k * 30.0, SITE.expc, "Sent", f"{C}:25600", f"{UCM_IP}:5060",
                message(f"OPTIONS sip:{UCM_IP}:5060 SIP/2.0", f"opt{k}@{C}", "1 OPTIONS", f"<sip:{C}>;tag={k}",
                        f"<sip:{UCM_IP}>"))
    assert find_calls(log.lines()) == []
    assert find_calls([]) == []


def test_as_dict_has_exactly_the_documented_keys():
    log = Log()
    inbound(log, SITE, 0, 5, reject_at_c=True)
    d = one(log.lines()).as_dict()
    assert list(d) == ["call_id", "direction", "parties", "messages", "final_response", "ended_at"]
    assert d["messages"][2] == {"time": "2024-06-11T14:02:07.115+02:00", "offset": 0.015, "sender": EXPC,
                                "receiver": EXPE, "label": "404 Not Found", "line": d["messages"][2]["line"],
                                "warning": f'399 {C}:5061 "Policy Response"', "reason": ""}


# ---------------------------------------------------------------- packet captures
def _udp_frame(src: tuple[str, int], dst: tuple[str, int], payload: str) -> bytes:
    udp = dpkt.udp.UDP(sport=src[1], dport=dst[1], data=payload.encode())
    udp.ulen = len(udp)
    ip = dpkt.ip.IP(src=socket.inet_aton(src[0]), dst=socket.inet_aton(dst[0]), p=dpkt.ip.IP_PROTO_UDP, data=udp)
    ip.len = len(ip)
    return bytes(dpkt.ethernet.Ethernet(src=b"\x00\x50\x56\x00\x00\x01", dst=b"\x00\x50\x56\x00\x00\x02",
                                        type=dpkt.ethernet.ETH_TYPE_IP, data=ip))


def _sip(start: str, cseq: str, *extra: str) -> str:
    lines = [start, "Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK5f1", "Call-ID: 1a2b3c4d-0001@192.0.2.50",
             f"CSeq: {cseq}", "From: <sip:6021@fabrikam.example>;tag=77", "To: <sip:mpatel@fabrikam.calls.webex.com>",
             *extra, "Content-Length: 0"]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_pcap_with_sip_over_udp():
    ucm, expc = ("192.0.2.50", 5060), ("192.0.2.11", 5060)
    frames = [
        (ucm, expc, _sip("INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0", "101 INVITE",
                         "User-Agent: Cisco-CUCM15.0")),
        (expc, ucm, _sip("SIP/2.0 100 Trying", "101 INVITE", "Server: TANDBERG/4352 (X14.3.1)")),
        (expc, ucm, _sip("SIP/2.0 404 Not Found", "101 INVITE", "Server: TANDBERG/4352 (X14.3.1)",
                         'Warning: 399 192.0.2.10:7003 "Policy Response"')),
        (ucm, expc, _sip("ACK sip:mpatel@fabrikam.calls.webex.com SIP/2.0", "101 ACK",
                         "User-Agent: Cisco-CUCM15.0")),
    ]
    out = io.BytesIO()
    writer = dpkt.pcap.Writer(out)
    for k, (src, dst, payload) in enumerate(frames):
        writer.writepkt(_udp_frame(src, dst, payload), ts=1718107327.1 + k * 0.05)
    call = one_capture(out.getvalue())
    assert roles(call) == [(UCM, "INVITE", EXPC), (EXPC, "100 Trying", UCM), (EXPC, "404 Not Found", UCM),
                           (UCM, "ACK", EXPC)]
    assert [m.line for m in call.messages] == [1, 2, 3, 4]
    assert call.messages[2].offset == pytest.approx(0.1)
    assert call.failed and call.direction == OUTBOUND and call.final_response == "404 Not Found"


def one_capture(data: bytes):
    calls = calls_from_capture(data)
    assert len(calls) == 1
    return calls[0]


def test_not_a_capture_is_refused():
    with pytest.raises(ValueError):
        calls_from_capture(b"hello, not a pcap")


def test_wireshark_packet_details():
    lines = """Frame 7: 612 bytes on wire (4896 bits), 612 bytes captured (4896 bits)
    Epoch Arrival Time: 1718107327.100000000 seconds
Internet Protocol Version 4, Src: 192.0.2.50, Dst: 192.0.2.11
User Datagram Protocol, Src Port: 5060, Dst Port: 5060
Session Initiation Protocol (INVITE)
    Request-Line: INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0
    Message Header
        Via: SIP/2.0/UDP 192.0.2.50:5060;branch=z9hG4bK1
            Transport: UDP
        Call-ID: 9e8d7c6b@192.0.2.50
        CSeq: 101 INVITE
        User-Agent: Cisco-CUCM15.0
Frame 9: 480 bytes on wire (3840 bits), 480 bytes captured (3840 bits)
    Epoch Arrival Time: 1718107327.350000000 seconds
Internet Protocol Version 4, Src: 192.0.2.11, Dst: 192.0.2.50
User Datagram Protocol, Src Port: 5060, Dst Port: 5060
Session Initiation Protocol (486)
    Status-Line: SIP/2.0 486 Busy Here
    Message Header
        Call-ID: 9e8d7c6b@192.0.2.50
        CSeq: 101 INVITE
        Server: TANDBERG/4352 (X14.3.1)
""".splitlines()
    call = one(lines)
    assert roles(call) == [(UCM, "INVITE", EXPC), (EXPC, "486 Busy Here", UCM)]
    assert call.messages[1].offset == pytest.approx(0.25)


def _tcp_frame(src: tuple[str, int], dst: tuple[str, int], payload: bytes, seq: int) -> bytes:
    tcp = dpkt.tcp.TCP(sport=src[1], dport=dst[1], seq=seq, flags=dpkt.tcp.TH_ACK | dpkt.tcp.TH_PUSH, data=payload)
    ip = dpkt.ip.IP(src=socket.inet_aton(src[0]), dst=socket.inet_aton(dst[0]), p=dpkt.ip.IP_PROTO_TCP, data=tcp)
    ip.len = len(ip)
    return bytes(dpkt.ethernet.Ethernet(type=dpkt.ethernet.ETH_TYPE_IP, data=ip))


def test_pcapng_with_sip_over_tcp_messages_split_and_joined():
    ucm, expc = ("192.0.2.50", 42811), ("192.0.2.11", 5060)
    invite = _sip("INVITE sip:mpatel@fabrikam.calls.webex.com SIP/2.0", "101 INVITE",
                  "User-Agent: Cisco-CUCM15.0").encode()
    trying = _sip("SIP/2.0 100 Trying", "101 INVITE", "Server: TANDBERG/4352").encode()
    ringing = _sip("SIP/2.0 180 Ringing", "101 INVITE", "Server: TANDBERG/4352").encode()
    out = io.BytesIO()
    writer = dpkt.pcapng.Writer(out)
    writer.writepkt(_tcp_frame(ucm, expc, invite[:100], 1), ts=1718107327.0)
    writer.writepkt(_tcp_frame(ucm, expc, invite[100:], 101), ts=1718107327.01)      # the INVITE in two segments
    writer.writepkt(_tcp_frame(expc, ucm, trying + ringing, 1), ts=1718107327.2)     # two responses in one
    call = one_capture(out.getvalue())
    assert roles(call) == [(UCM, "INVITE", EXPC), (EXPC, "100 Trying", UCM), (EXPC, "180 Ringing", UCM)]
    assert [m.line for m in call.messages] == [2, 3, 3]
    assert call.ended_at == "never answered (last: 180 Ringing)"
