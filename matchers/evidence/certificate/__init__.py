"""Certificates (PEM pasted or in a file, DER, PKCS#7): read, described, checked; the checks become lines the
engine reads and facts. The modules below import `cryptography`; this one does not, so declaring the facts and
recognising a certificate file cost nothing for a text paste."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..model import Extractor, Fact

if TYPE_CHECKING:
    from .lines import Analysis

FACTS = Extractor(
    name="certificates",
    triggers={},
    facts={
        "cert_expressway_temporary": "a certificate is the Expressway factory Temporary Certificate (issuer "
                                     "Temporary CA)",
        "cert_no_san": "a server certificate (not Webex's, not a CA) has no Subject Alternative Name",
        "cert_private_ca": "a server certificate is self-signed or from a CA not known to be public (value: "
                           "self_signed or private_ca)",
        "cert_expired": "a certificate has expired (value: webex, expressway or ca)",
        "cert_not_yet_valid": "a certificate is not valid yet (value: webex, expressway or ca)",
        "cert_eku_incomplete": "a certificate's extended key usage lacks TLS client or server authentication (value: "
                               "client_auth, server_auth or both)",
        "cert_chain_leaf_only": "a TLS Certificate message or chain holding one certificate only",
        "cert_chain_full": "a TLS Certificate message or chain holding two or more certificates (value: count)",
    },
    kinds=("certificate",),
)
EXTENSIONS = (".pem", ".crt", ".cer", ".der", ".cert", ".p7b", ".p7c")
MAX_TEXT_FOR_PEM = 5_000_000  # certificates are pasted or attached; a bigger text is a log, held as it is


def expand_pem_blocks(text: str) -> tuple[str, list[Fact], Analysis | None]:
    """`lines.expand_pem_blocks`, imported only when the text holds a PEM block."""
    if "-----BEGIN" not in text or len(text) > MAX_TEXT_FOR_PEM:
        return text, [], None
    from .lines import expand_pem_blocks as expand

    return expand(text)
