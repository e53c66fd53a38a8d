"""Webex webhook signatures: `X-Spark-Signature` is the hex HMAC-SHA1 of the raw body with the webhook secret.

>>> sig = sign(b'{"id": "1"}', "s3cret")
>>> verify(b'{"id": "1"}', "s3cret", sig), verify(b'{"id": "2"}', "s3cret", sig), verify(b"x", "s3cret", None)
(True, False, False)
"""
from __future__ import annotations

import hashlib
import hmac

HEADER = "X-Spark-Signature"


def sign(body: bytes, secret: str) -> str:
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha1).hexdigest()


def verify(body: bytes, secret: str, signature: str | None) -> bool:
    if not secret or not signature:
        return False
    return hmac.compare_digest(sign(body, secret).encode(), signature.strip().lower().encode("utf-8", "replace"))
