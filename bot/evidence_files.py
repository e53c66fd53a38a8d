"""Evidence that is not a plain text log: certificates, screenshots, packet captures. One entry point per use:

- `read_evidence(name, data)`: a file (attachment, CLI argument) -> an EvidencePiece: the text the engine reads,
  facts that text cannot carry, certificate checks, capture summary, OCR'd text. Raises EvidenceError.
- `from_text(name, text)`: a message or a text file -> an EvidencePiece (certificate checks for pasted PEM).
- `diagnose_pieces(engine, pieces)`: one diagnosis over several pieces (a message and its attachments), with
  evidence line numbers relabelled per piece, as `bot.sources.Combined` does for text.
- `diagnose_file(engine, name, data)`: one file -> (Report, notes in markdown for the reply).
"""
from __future__ import annotations

import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization

from matchers import Engine, InputError, Outcome, Report
from matchers.document import decode_bytes
from matchers.evidence import Fact
from matchers.evidence.capture import is_capture
from matchers.evidence.capture.reader import CaptureError, summarise
from matchers.evidence.capture.summary import CaptureSummary
from matchers.evidence.certificate.checks import Check
from matchers.evidence.certificate.describe import CertInfo
from matchers.evidence.certificate.lines import analyse
from matchers.evidence.certificate.load import CertificateError, find_pem_blocks, load_certificates, parse_der

from . import ocr
from .sources import Combined

CERT_EXTENSIONS = (".pem", ".crt", ".cer", ".der", ".cert", ".p7b", ".p7c")
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
CAPTURE_EXTENSIONS = (".pcap", ".pcapng", ".cap")
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
MAX_EVIDENCE_BYTES = 100 * 1024 * 1024


class EvidenceError(Exception):
    """The file cannot be read; the message says why, for the person who sent it."""


@dataclass
class EvidencePiece:
    name: str
    kind: str                                     # text, certificate, image, capture
    text: str                                     # what the engine reads
    facts: list[Fact] = field(default_factory=list)           # `line`: index into `text`
    checks: list[Check] = field(default_factory=list)         # certificate checks
    certificates: list[CertInfo] = field(default_factory=list)
    capture: CaptureSummary | None = None
    read_from_image: bool = False
    notes: list[str] = field(default_factory=list)


def kind_of(name: str, data: bytes) -> str:
    """'capture', 'image', 'certificate' or 'text', from the first bytes, then the name."""
    lower = name.lower()
    if is_capture(data[:4]):
        return "capture"
    if data.startswith(IMAGE_MAGICS):
        return "image"
    if lower.endswith(CAPTURE_EXTENSIONS):
        return "capture"
    if lower.endswith(IMAGE_EXTENSIONS):
        return "image"
    if lower.endswith(CERT_EXTENSIONS) or (data[:1] == b"\x30" and not _is_texty(data[:64])):
        return "certificate"
    return "text"


def is_evidence_file(name: str, data: bytes) -> bool:
    """True for certificates, images and captures: files the attachment unpacker would refuse as binary."""
    return kind_of(name, data) != "text"


def _is_texty(head: bytes) -> bool:
    return all(b in (9, 10, 13) or 32 <= b < 127 for b in head)


def read_evidence(name: str, data: bytes, image_reader: Callable[[bytes], str] = ocr.image_to_text) -> EvidencePiece:
    name = posixpath.basename(name.replace("\\", "/")) or "evidence"
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(f"{name} is larger than {MAX_EVIDENCE_BYTES // 2**20} MB")
    kind = kind_of(name, data)
    if kind == "capture":
        try:
            summary = summarise(data)
        except CaptureError as exc:
            raise EvidenceError(f"I cannot read the capture {name}: {exc}") from None
        return EvidencePiece(name, "capture", summary.text, list(summary.facts), capture=summary,
                             notes=list(summary.notes))
    if kind == "image":
        try:
            text = image_reader(data)
        except ocr.OcrUnavailable as exc:
            raise EvidenceError(f"I cannot read the image {name}: {exc}") from None
        except ocr.ImageUnreadable as exc:
            raise EvidenceError(f"I cannot read the image {name}: {exc}") from None
        if not text.strip():
            raise EvidenceError(f"I found no text in the image {name}; paste the text instead, or a sharper "
                                "screenshot (100% zoom, no scaling)")
        piece = from_text(name, text)
        piece.kind, piece.read_from_image = "image", True
        return piece
    if kind == "certificate" and not find_pem_blocks(_latin1(data)):
        return _binary_certificates(name, data)
    try:
        text = decode_bytes(data)
    except InputError as exc:
        raise EvidenceError(str(exc)) from None
    piece = from_text(name, text)
    if kind == "certificate" and not piece.certificates:
        raise EvidenceError(f"I cannot read the certificate {name}: no PEM block could be decoded")
    return piece


def _latin1(data: bytes) -> str:
    return data[:MAX_EVIDENCE_BYTES].decode("latin-1")


def _binary_certificates(name: str, data: bytes) -> EvidencePiece:
    """DER or PKCS#7: written out as PEM, which the engine reads like a pasted certificate."""
    try:
        certs = load_certificates(data)
    except CertificateError as exc:
        raise EvidenceError(f"I cannot read the certificate {name}: {exc}") from None
    text = "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs)
    piece = from_text(name, text)
    piece.kind = "certificate"
    return piece


def from_text(name: str, text: str) -> EvidencePiece:
    """A message or text file; PEM certificates in it get their checks (the engine reads them by itself)."""
    piece = EvidencePiece(name, "text", text)
    blocks = [b for b in find_pem_blocks(text) if b.der]
    if not blocks:
        return piece
    certs = []
    for n, block in enumerate(blocks, 1):
        cert = parse_der(block.der or b"")
        if cert is None:
            piece.notes.append(f"PEM block {n} is not a readable certificate")
        else:
            certs.append(cert)
    if certs:
        analysis = analyse(certs)
        piece.kind = "certificate"
        piece.checks, piece.certificates = analysis.checks, analysis.certificates
        piece.notes.extend(analysis.errors)
    return piece


def diagnose_pieces(engine: Engine, pieces: Sequence[EvidencePiece]) -> Report:
    """One diagnosis over all pieces (their text joined, their facts moved to their lines in the whole)."""
    kept = [p for p in pieces if p.text.strip()]
    if not kept:
        return Report(outcome=Outcome.EMPTY, diagnoses=[], message="the input is empty")
    combined = Combined.of([(p.name, p.text) for p in kept])
    facts = []
    for piece, start in zip(kept, combined.starts, strict=True):
        facts.extend(Fact(f.name, f.value, None if f.line is None else f.line + start - 1, f.values, f.note)
                     for f in piece.facts)
    return combined.relabel(engine.diagnose(combined.text, extra_facts=facts))


def diagnose_evidence(engine: Engine, name: str, data: bytes) -> tuple[Report, EvidencePiece | None]:
    """A single file diagnosed on its own: evidence lines are numbered within it, quotes carry no file name."""
    try:
        piece = read_evidence(name, data)
    except EvidenceError as exc:
        return Report(outcome=Outcome.UNREADABLE, diagnoses=[], message=str(exc)), None
    return engine.diagnose(piece.text, extra_facts=piece.facts), piece


def diagnose_file(engine: Engine, name: str, data: bytes) -> tuple[Report, list[str]]:
    """A single file: its report and the notes (markdown: certificate checks, capture summary, the text read
    from an image) to show above the diagnosis."""
    from .render_evidence import evidence_markdown

    report, piece = diagnose_evidence(engine, name, data)
    note = evidence_markdown(piece) if piece is not None else ""
    return report, [note] if note else []
