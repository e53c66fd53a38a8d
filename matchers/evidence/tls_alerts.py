"""The TLS alert vocabulary, one table for every reader: capture records, Wireshark text, OpenSSL messages.

>>> BY_WORDING["unknown ca"], OPENSSL_PHRASES["alert certificate unknown"]
('unknown_ca', 'certificate_unknown')
"""
from __future__ import annotations

ALERTS = {  # description code -> (fact value, Wireshark's wording)
    0: ("close_notify", "Close Notify"), 10: ("unexpected_message", "Unexpected Message"),
    20: ("bad_record_mac", "Bad Record MAC"), 40: ("handshake_failure", "Handshake Failure"),
    42: ("bad_certificate", "Bad Certificate"), 43: ("unsupported_certificate", "Unsupported Certificate"),
    44: ("certificate_revoked", "Certificate Revoked"), 45: ("certificate_expired", "Certificate Expired"),
    46: ("certificate_unknown", "Certificate Unknown"), 47: ("illegal_parameter", "Illegal Parameter"),
    48: ("unknown_ca", "Unknown CA"), 49: ("access_denied", "Access Denied"), 50: ("decode_error", "Decode Error"),
    51: ("decrypt_error", "Decrypt Error"), 70: ("protocol_version", "Protocol Version"),
    71: ("insufficient_security", "Insufficient Security"), 80: ("internal_error", "Internal Error"),
    86: ("inappropriate_fallback", "Inappropriate Fallback"), 90: ("user_canceled", "User Canceled"),
    109: ("missing_extension", "Missing Extension"), 112: ("unrecognized_name", "Unrecognized Name"),
    116: ("certificate_required", "Certificate Required"),
}
# Wireshark's wording, lower case -> fact value ("Description: Unknown CA" -> unknown_ca)
BY_WORDING = {wording.lower(): value for value, wording in ALERTS.values()}
# OpenSSL's "sslv3 alert certificate unknown" / "tlsv1 alert unknown ca": an alert the peer sent
OPENSSL_PHRASES = {f"alert {wording.lower()}": value for value, wording in ALERTS.values()}
