"""Packet captures (.pcap / .pcapng): TCP streams on 5062 and 5061, their TLS records, certificates and alerts,
summarised as lines the engine reads and facts. The modules below import `dpkt` and `cryptography`; this one
does not."""
from __future__ import annotations

from ..model import Extractor

FACTS = Extractor(
    name="packet captures",
    triggers={},
    facts={
        "syn_answered_by_rst": "a SYN to the port answered at once by RST (value: port)",
        "syn_unanswered": "SYN retransmissions to the port with no SYN-ACK (value: port)",
        "tls_alert": "a TLS alert seen in a capture or openssl output (value: unknown_ca, certificate_unknown, ...)",
        "tls_alert_by_expressway": "a TLS alert the Expressway-E sent, seen in a packet capture (value: alert name)",
        "tls_alert_by_webex": "a TLS alert Webex sent, seen in a packet capture (value: alert name)",
        "cert_chain_leaf_only": "a TLS Certificate message or chain holding one certificate only",
        "cert_chain_full": "a TLS Certificate message or chain holding two or more certificates (value: count)",
        "cert_expressway_temporary": "a certificate is the Expressway factory Temporary Certificate (issuer "
                                     "Temporary CA)",
    },
    kinds=("capture",),
)
EXTENSIONS = (".pcap", ".pcapng", ".cap")
PCAP_MAGICS = (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x4d\x3c\xb2\xa1", b"\xa1\xb2\x3c\x4d")
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"


def is_capture(data: bytes) -> bool:
    """pcap (either byte order, micro or nanosecond) or pcapng, from the first four bytes."""
    return data[:4] in PCAP_MAGICS or data[:4] == PCAPNG_MAGIC
