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
        "cert_expressway_temporary": "a certificate (PEM pasted or attached, DER, or in a capture's Certificate "
                                     'message) is the Expressway factory certificate: OU or Netscape comment '
                                     '"Temporary Certificate", issuer "Temporary CA ..."',
        "cert_no_san": "a server certificate (neither Webex's nor a CA) has no Subject Alternative Name",
        "cert_private_ca": 'a server certificate is self-signed, or issued by a CA not on the list of known public CAs'
                           ' (a hint: its CA must then be uploaded to Control Hub) (value: `self_signed` or '
                           '`private_ca`)',
        "cert_expired": "a certificate's not-after date is past (value: `webex`, `expressway` or `ca` (whose "
                        'certificate))',
        "cert_not_yet_valid": "a certificate's not-before date is still ahead (value: `webex`, `expressway` or `ca`)",
        "cert_eku_incomplete": "a certificate's extended key usage lacks TLS Web Client and/or Server Authentication "
                               '(mutual TLS needs both) (value: `client_auth`, `server_auth` or `both` (what is '
                               'missing))',
        "cert_chain_leaf_only": 'a TLS Certificate message, `openssl s_client` chain, or a list holding one '
                                'certificate only',
        "cert_chain_full": 'a TLS Certificate message, `openssl s_client` chain, or a list holding two or more '
                           'certificates (value: number of certificates (>= 2))',
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
