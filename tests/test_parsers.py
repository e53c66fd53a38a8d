"""Evidence parsers on realistic snippets: the facts users' pastes must produce."""
from __future__ import annotations

from matchers.document import Document
from matchers.evidence import TRIGGER_SKELETONS, extract_facts
from matchers.prefilter import Prefilter


def facts_of(text: str):
    doc = Document.from_text(text)
    hits = Prefilter([k for keys in TRIGGER_SKELETONS.values() for k in keys]).scan(doc)
    groups = {}
    for group, keys in TRIGGER_SKELETONS.items():
        lines = sorted({i for k in keys for i in hits.get(k, ())})
        if lines:
            groups[group] = lines
    return extract_facts(doc, groups)


def names(text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in facts_of(text).facts:
        out.setdefault(f.name, []).append(f.value)
    return out


def test_xconfiguration_settings_with_zone_numbers_types_and_ocr_damage():
    fs = facts_of(
        '*c xConfiguration Zones Zone 6 DNS SIP TLS Verify Subject Name: "callservice.ciscospark.com"\n'
        '*c xConfiguratlon Zones Zone 3 TraversalCllent SlP PreloadedSipRoutes Accept: "0ff"\n'
        '*c xConfiguration Zones Zone 4 DNS SIP TLS Verify Subject Name: "callservice.ciscospark.\n'
        'com"\n'
        'TraversalServer SIP ParameterPreservation Mode: "Off" <-- Possible Suspect Value\n'
    )
    by_path = {(s.zone, " ".join(s.path.split()[-2:]) if "verify" not in s.path else "tls verify subject name"): s
               for s in fs.settings}
    assert by_path[("6", "tls verify subject name")].value == "callservice.ciscospark.com"
    assert by_path[("6", "tls verify subject name")].zone_type == "dns"
    assert by_path[("3", "preloadedsiproutes accept")].value == "0ff"
    assert by_path[("3", "preloadedsiproutes accept")].zone_type == "traversalclient"
    assert by_path[("4", "tls verify subject name")].value == "callservice.ciscospark.com"
    assert by_path[(None, "parameterpreservation mode")].zone_type == "traversalserver"


def test_search_rule_priority_check_from_xconfiguration():
    text = "\n".join([
        '*c xConfiguration Zones Policy SearchRules Rule 1 Name: "to DNS"',
        '*c xConfiguration Zones Policy SearchRules Rule 1 Pattern String: "(?!.*@%localdomains%.*$).*"',
        '*c xConfiguration Zones Policy SearchRules Rule 1 Priority: "100"',
        '*c xConfiguration Zones Policy SearchRules Rule 1 Progress: "Stop"',
        '*c xConfiguration Zones Policy SearchRules Rule 6 Name: "Webex Hybrid - to Webex Cloud"',
        '*c xConfiguration Zones Policy SearchRules Rule 6 Pattern String: ".*@.*\\.ciscospark\\.com"',
        '*c xConfiguration Zones Policy SearchRules Rule 6 Priority: "101"',
        '*c xConfiguration Zones Policy SearchRules Rule 6 Progress: "Stop"',
    ])
    fact = facts_of(text).named("search_rule_preempts_webex")[0]
    assert fact.values["catch_all_rule"] == "to DNS"
    assert fact.values["webex_priority"] == "101"
    healthy = text.replace('Rule 6 Priority: "101"', 'Rule 6 Priority: "99"')
    assert not facts_of(healthy).named("search_rule_preempts_webex")


def test_search_log_catch_all_considered_before_the_webex_rule():
    log = ("Detail=\"Considering search rule 'to Internet' towards target 'DNS' at priority '50' "
           "with alias 'bob@acme.calls.webex.com'\"")
    assert "search_rule_preempts_webex" in names(log)
    ok = log.replace("'to Internet' towards target 'DNS'", "'Webex outbound' towards target 'Webex Hybrid DNS'")
    assert "webex_search_rule_considered" in names(ok)
    assert "search_rule_preempts_webex" not in names(ok)


def test_wireshark_syn_answered_by_rst_and_unanswered_syns():
    rst = names("211  0.000000  203.0.113.131  198.51.100.57  TCP  74  34902 → 5062 [SYN] Seq=0 Win=29200\n"
                "212  0.000083  198.51.100.57  203.0.113.131  TCP  54  5062 → 34902 [RST, ACK] Seq=1 Ack=1\n")
    assert rst["syn_answered_by_rst"] == ["5062"]
    retrans = names("1l2  0.000000  198.51.100.88  203.0.113.70  TCP  74  25l14 → 5062 [SYN] Seq=0\n"
                    "1l5  1.00l924  198.51.100.88  203.0.113.70  TCP  74  [TCP Retransmission] 25l14 → 5062 [SYN]\n")
    assert retrans["syn_unanswered"] == ["5062"]
    answered = names("1  0.0  198.51.100.88  203.0.113.70  TCP  74  25114 → 5062 [SYN] Seq=0\n"
                     "2  0.1  203.0.113.70  198.51.100.88  TCP  74  5062 → 25114 [SYN, ACK] Seq=0 Ack=1\n")
    assert "syn_unanswered" not in answered and "syn_answered_by_rst" not in answered


def test_tcpdump_lines():
    found = names("14:03:11.204518 IP 203.0.113.90.41236 > 198.51.100.15.5062: Flags [S], seq 3390441807\n"
                  "14:03:11.204611 IP 198.51.100.15.5062 > 203.0.113.90.41236: Flags [R.], seq 0, ack 1\n")
    assert found["syn_answered_by_rst"] == ["5062"]


def test_tls_alerts_and_certificate_chains():
    found = names(
        "319  12.4l31  198.51.100.8  203.0.113.19  TLSv1.2  73  Alert (Level: Fatal, Description: Unknown ca)\n"
        "Handshake Protocol: Certificate\n"
        "    Certificates Length: 1702\n"
        "    Certificates (1702 bytes)\n"
        "        Certificate Length: 1699\n"
        "        Certificate: 308206a23082058aa003 (id-at-commonName=expe01.globex.example)\n"
    )
    assert found["tls_alert"] == ["unknown_ca"]
    assert "cert_chain_leaf_only" in found
    chain = names("Certificate chain\n 0 s:CN = expe.example\n   i:CN = R3\n"
                  " 1 s:CN = R3\n   i:CN = ISRG Root X1\n---\n")
    assert chain["cert_chain_full"] == ["2"]


def test_netstat_listening_sockets():
    broken = names("tcp        0      0 127.0.0.1:5062          0.0.0.0:*               LISTEN\n"
                   "tcp        0      0 ::1:5062                :::*                    LISTEN\n")
    assert "netstat_5062_loopback_only" in broken
    healthy = names("tcp 0 0 198.51.100.70:5062 0.0.0.0:* LISTEN\ntcp 0 0 127.0.0.1:5062 0.0.0.0:* LISTEN\n")
    assert "netstat_5062_external" in healthy and "netstat_5062_loopback_only" not in healthy


def test_dns_evidence_from_expressway_dig_and_nslookup():
    log = names(
        'Detail="Sending DNS query" Name="_sips._tcp.acme.call.ciscospark.com" Type="SRV (IPv4 and IPv6)"\n'
        "Detail=\"Resolved hostname to: ['IPv4''TCP''203.0.113.64:5061'] (A/AAAA) Hostname:'l2sip-a.wbx2.com' "
        "Port:'5061' Priority:'5'\"\n"
    )
    assert log["srv_query"] == ["subdomain"] and log["srv_port"] == ["5061"]
    dig = names(";; ->>HEADER<<- opcode: QUERY, status: NXDOMAIN, id: 4242\n"
                ";_sips._tcp.mtls.example.com.   IN      SRV\n")
    assert "dns_lookup_failed" in dig
    answer = names("_sips._tcp.callservice.webex.com. 300 IN SRV 5 10 5062 l2sip-b.wbx2.com.\n")
    assert answer["srv_query"] == ["callservice"] and answer["srv_port"] == ["5062"]


def test_sip_messages_codes_sdp_and_q850():
    text = "\n".join([
        'Action="Received" Src-ip="203.0.113.64" Src-port="5062"',
        "SIP/2.0 200 OK",
        "m=audio 0 RTP/SAVP *",
        "m=video 40122 RTP/SAVP 108",
        "",
        'Action="Sent" Dst-ip="203.0.113.64" Dst-port="5062"',
        "INVITE sip:bob@acme.call.ciscospark.com SIP/2.0",
        "m=audio 31410 RTP/SAVP 18 101",
        "a=rtpmap:18 G729/8000",
        "a=rtpmap:101 telephone-event/8000",
        "",
        "BYE sip:192.0.2.6:5071;transport=tls SIP/2.0",
        "Reason: Q.850 ;cause=47",
    ])
    fs = facts_of(text)
    assert (200, 1) in fs.sip_codes
    found = {f.name: f.value for f in fs.facts}
    assert "sdp_audio_port_zero" in found and "sdp_audio_g729_only" in found
    assert found["q850_cause"] == "47"
    g722 = names("m=audio 31410 RTP/SAVP 9 18 101\na=rtpmap:9 G722/8000\na=rtpmap:18 G729/8000\n")
    assert "sdp_audio_g729_only" not in g722


def test_call_type_squared_stripped_across_the_b2bua():
    text = "\n".join([
        'Action="Received" Local-ip="198.51.100.23" Local-port="5062"',
        "INVITE sip:bkim@tyrell.example SIP/2.0",
        "Call-ID: 7c1d4e09@127.0.0.1",
        'Contact: "l2sip-UA" <sip:l2sip-UA@l2sip-dfw-02.wbx2.com:5062;transport=tls>;call-type=squared',
        "",
        'Action="Sent" Local-ip="192.0.2.6" Local-port="7003"',
        "INVITE sip:bkim@tyrell.example SIP/2.0",
        "Call-ID: 11aa22bb-new-leg",
        "Contact: <sip:192.0.2.6:5073;transport=tls>",
    ])
    assert "call_type_squared_stripped" in names(text)
    kept = text.replace("Contact: <sip:192.0.2.6:5073;transport=tls>",
                        "Contact: <sip:192.0.2.6:5073;transport=tls>;call-type=squared")
    assert "call_type_squared_stripped" not in names(kept)


def test_firewall_logs_block_direction():
    asa = names("%ASA-4-106023: Deny tcp src outside:203.0.113.9/41022 dst dmz:198.51.100.4/5062 by access-group")
    assert asa["firewall_blocks_5062"] == ["inbound"]


def test_failed_tcp_port_survives_ocr_damage():
    found = names('Module="network.tcp" Level="ERROR": Src-ip="198.51.100.2" Dst- port "5O61" '
                  'Detail="TCP Connection Failed"')
    assert found["tcp_connection_failed"] == ["5061"]
