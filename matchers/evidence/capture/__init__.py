"""Packet captures (.pcap / .pcapng): TCP streams on 5062 and 5061, their TLS records, certificates and alerts,
summarised as lines the engine reads and facts. The modules below import `dpkt` and `cryptography`; this one
does not."""
from __future__ import annotations

from ..model import Extractor

FACTS = Extractor(
    name="packet captures",
    triggers={},
    facts={
        "syn_answered_by_rst": 'a SYN to the port answered at once by RST (Wireshark list or tcpdump) (value: port)',
        "syn_unanswered": 'SYN retransmissions to the port with no SYN-ACK (Wireshark list or tcpdump) (value: port)',
        "tls_alert": 'Wireshark/tshark list or detail lines, openssl output (value: `unknown_ca`, '
                     '`certificate_unknown`, `bad_certificate`, `handshake_failure`, ...)',
        "tls_alert_by_expressway": 'a packet capture (`.pcap`/`.pcapng`): the alert came from the Expressway-E side '
                                   "(the side whose certificates are not Webex's; without certificates, the 5062 "
                                   'listener) (value: alert name, as `tls_alert`)',
        "tls_alert_by_webex": 'a packet capture: the alert came from Webex (the side presenting a `*.ciscospark.com` /'
                              ' `*.webex.com` / `*.wbx2.com` certificate) (value: alert name, as `tls_alert`)',
        "cert_chain_leaf_only": 'a TLS Certificate message, `openssl s_client` chain, or a list holding one '
                                'certificate only',
        "cert_chain_full": 'a TLS Certificate message, `openssl s_client` chain, or a list holding two or more '
                           'certificates (value: number of certificates (>= 2))',
        "cert_expressway_temporary": "a certificate (PEM pasted or attached, DER, or in a capture's Certificate "
                                     'message) is the Expressway factory certificate: OU or Netscape comment '
                                     '"Temporary Certificate", issuer "Temporary CA ..."',
    },
    kinds=("capture",),
)
EXTENSIONS = (".pcap", ".pcapng", ".cap")
LIST_HEADER = "No.  Time  Source  Destination  Protocol  Length  Info"   # the summary's packet list starts here
PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"


def is_capture(data: bytes) -> bool:
    """pcap (either byte order, micro or nanosecond) or pcapng, from the first four bytes."""
    return data[:4] in PCAP_MAGICS or data[:4] == PCAPNG_MAGIC
