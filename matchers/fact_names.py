"""The facts that parsers and checks can establish; knowledge-base `fact:` signals name one of these."""
from __future__ import annotations

from .parsers.capture_text import FACTS as CAPTURE_TEXT_FACTS

FACT_NAMES: dict[str, str] = {
    "asks_how": "the message asks how/where/which/can I (a how-to question)",
    "is_question": "the message is a question or a chat request",
    "tls_alert": "a TLS alert seen in a capture or openssl output (value: unknown_ca, certificate_unknown, ...)",
    "cert_chain_leaf_only": "a TLS Certificate message or chain holding one certificate only",
    "cert_chain_full": "a TLS Certificate message or chain holding two or more certificates (value: count)",
    "cert_chain_full_only": "every Certificate message or chain seen holds two or more certificates (value: count)",
    "syn_answered_by_rst": "a SYN to the port answered at once by RST (value: port)",
    "syn_unanswered": "SYN retransmissions to the port with no SYN-ACK (value: port)",
    "tcp_connection_failed": "Expressway 'TCP Connection Failed' (value: destination port)",
    "srv_query": "an SRV query for _sips._tcp (value: callservice or subdomain)",
    "srv_port": "an SRV answer's port (value: port)",
    "dns_lookup_failed": "nslookup/dig: timed out, NXDOMAIN, can't find, SERVFAIL or no answer",
    "netstat_5062_loopback_only": "netstat: 5062 LISTEN only on loopback",
    "netstat_5062_external": "netstat: 5062 LISTEN on a non-loopback address",
    "controlhub_test_ok": "Control Hub SIP destination test rows all Successful",
    "call_type_squared_stripped": "an INVITE received with ;call-type=squared is sent on without it",
    "call_type_squared_kept": "an INVITE received with ;call-type=squared is sent on with it (preservation works)",
    "sdp_audio_port_zero": "an SDP m=audio line with port 0",
    "sdp_audio_g729_only": "an SDP audio offer whose only codec is G.729",
    "q850_cause": "a Q.850 cause (value: number)",
    "search_rule_preempts_webex": "a catch-all search rule is used before the Webex rule",
    "webex_search_rule_considered": "the search log considers a rule towards the Webex/Hybrid DNS zone",
    "healthy_handshake": "'Handshake succeeded' with no TLS error in the paste",
    "firewall_blocks_5062": "a firewall log line blocking TCP 5062 (value: inbound, outbound or unknown)",
    "non_webex_context": "B2B/MRA/PSTN evidence (ports 5061/7001, partner aliases, such words) and no Webex marker",
    "tls_alert_by_expressway": "a TLS alert the Expressway-E sent, seen in a packet capture (value: alert name)",
    "tls_alert_by_webex": "a TLS alert Webex sent, seen in a packet capture (value: alert name)",
    "cert_expressway_temporary": "a certificate is the Expressway factory Temporary Certificate (issuer Temporary CA)",
    "cert_no_san": "a server certificate (not Webex's, not a CA) has no Subject Alternative Name",
    "cert_private_ca": "a server certificate is self-signed or from a CA not known to be public (value: "
                       "self_signed or private_ca)",
    "cert_expired": "a certificate has expired (value: webex, expressway or ca)",
    "cert_not_yet_valid": "a certificate is not valid yet (value: webex, expressway or ca)",
    "cert_eku_incomplete": "a certificate's extended key usage lacks TLS client or server authentication (value: "
                           "client_auth, server_auth or both)",
}
FACT_NAMES.update(CAPTURE_TEXT_FACTS)   # capture text facts; the extractor registry will collect these
