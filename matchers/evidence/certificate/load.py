"""Reading certificates: PEM blocks in pasted text (with chat decoration), PEM/DER/PKCS#7 files.

>>> blocks = find_pem_blocks("hello\\n-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\\n")
>>> [(b.begin, b.end) for b in blocks]
[(1, 3)]
"""
from __future__ import annotations

import base64
import binascii
import re
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from . import MAX_TEXT_FOR_PEM

MAX_CERTIFICATES = 20          # per paste or file
MAX_PEM_BLOCK_BYTES = 64 * 1024
_PEM_BEGIN = re.compile(r"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----")
_PEM_END = re.compile(r"-----END (?:X509 |TRUSTED )?CERTIFICATE-----")
_PEM_BLOCK_BYTES = re.compile(
    rb"-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----(.*?)-----END (?:X509 |TRUSTED )?CERTIFICATE-----", re.DOTALL)
_PKCS7_PEM = re.compile(rb"-----BEGIN PKCS7-----")
_B64_JUNK = re.compile(r"[^A-Za-z0-9+/=]")


class CertificateError(ValueError):
    """The bytes hold no certificate that can be read; the message says why."""


# what cryptography raises on damaged certificates: ValueError mostly, InvalidVersion and a few others not
CERT_ERRORS: tuple[type[Exception], ...] = (ValueError, TypeError, x509.InvalidVersion, x509.DuplicateExtension,
                                            x509.UnsupportedGeneralNameType)


_QUIET = threading.RLock()   # warning filters are process-wide: one thread at a time changes and restores them


@contextmanager
def quiet() -> Iterator[None]:
    """Odd certificates make cryptography warn (negative serial number, bad country code): not a concern here."""
    with _QUIET, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield


def parse_der(der: bytes) -> x509.Certificate | None:
    """One DER certificate, or None when it cannot be read."""
    with quiet():
        try:
            return x509.load_der_x509_certificate(der)
        except CERT_ERRORS:
            return None


@dataclass(frozen=True)
class PemBlock:
    begin: int                 # line index of BEGIN
    end: int                   # line index of END
    der: bytes | None          # None when the base64 is damaged


def find_pem_blocks(text: str, limit: int = MAX_CERTIFICATES) -> list[PemBlock]:
    """PEM certificate blocks in pasted text (lines may carry indentation, quotes or chat decoration)."""
    if len(text) > MAX_TEXT_FOR_PEM or "-----BEGIN" not in text:
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[PemBlock] = []
    begin: int | None = None
    for i, line in enumerate(lines):
        if begin is None:
            start = _PEM_BEGIN.search(line)
            end = _PEM_END.search(line, start.end()) if start else None
            if start and end:  # a whole block on one line (a flattened paste)
                body = line[start.end():end.start()]
                out.append(PemBlock(i, i, _b64(body)))
                if len(out) >= limit:
                    break
            elif start:
                begin = i
            continue
        if _PEM_END.search(line) or i - begin > 2000:
            body = "".join(lines[j].strip().strip("|>\"'`") for j in range(begin + 1, i))
            out.append(PemBlock(begin, i, _b64(body)))
            begin = None
            if len(out) >= limit:
                break
        elif _PEM_BEGIN.search(line):
            begin = i
    return out


def _b64(body: str) -> bytes | None:
    body = _B64_JUNK.sub("", body)
    if not body or len(body) > MAX_PEM_BLOCK_BYTES * 4 // 3:
        return None
    try:
        return base64.b64decode(body, validate=True)
    except (binascii.Error, ValueError):
        return None


def load_certificates(data: bytes, limit: int = MAX_CERTIFICATES) -> list[x509.Certificate]:
    """Every certificate in PEM (any number of blocks), DER or PKCS#7 (PEM or DER) bytes."""
    with quiet():
        return _load_certificates(data, limit)


def _load_certificates(data: bytes, limit: int) -> list[x509.Certificate]:
    certs: list[x509.Certificate] = []
    problems: list[str] = []
    if _PEM_BLOCK_BYTES.search(data):
        for n, m in enumerate(_PEM_BLOCK_BYTES.finditer(data), 1):
            if len(certs) >= limit:
                break
            body = re.sub(rb"[^A-Za-z0-9+/=]", b"", m.group(1))
            try:
                certs.append(x509.load_der_x509_certificate(base64.b64decode(body, validate=True)))
            except (*CERT_ERRORS, binascii.Error) as exc:  # type: ignore[misc]  # a tuple built at import
                problems.append(f"PEM block {n}: {_short(exc)}")
    elif _PKCS7_PEM.search(data):
        try:
            certs = list(pkcs7.load_pem_pkcs7_certificates(data))[:limit]
        except CERT_ERRORS as exc:
            problems.append(f"PKCS#7: {_short(exc)}")
    elif data[:1] == b"\x30":
        try:
            certs = [x509.load_der_x509_certificate(data)]
        except CERT_ERRORS as exc:
            try:
                certs = list(pkcs7.load_der_pkcs7_certificates(data))[:limit]
            except CERT_ERRORS:
                problems.append(f"DER: {_short(exc)}")
    else:
        problems.append("no PEM block (-----BEGIN CERTIFICATE-----) and not DER")
    if not certs:
        raise CertificateError("no certificate could be read: " + "; ".join(problems or ["empty"]))
    return certs


def _short(exc: Exception) -> str:
    text = str(exc).split("\n")[0]
    return text[:160]
