"""One intake for every front end: a message and its files in, pieces of evidence out.

`sniff` is the single decision of what a file is; `read_evidence` reads a message and its files (archives
unpacked, captures summarised, certificates checked, screenshots read by the OCR function the caller passes:
this package runs no program), and `combine` joins the pieces into the one text the engine diagnoses, keeping
each piece's facts on its own lines.

>>> sniff("bundle.tar.gz", b"\\x1f\\x8b..."), sniff("shot.png", b"\\x89PNG\\r\\n\\x1a\\n"), sniff("a.log", b"hello")
('archive', 'image', 'text')
>>> sniff("report.pdf", b"%PDF-1.7")
'unsupported'
>>> combined = Combined.of([("message", "why 603"), ("a.log", "x\\ny\\nz")])
>>> combined.text, combined.locate(3)
('why 603\\nx\\ny\\nz', ('a.log', 2))
"""
from __future__ import annotations

import bisect
import dataclasses
import posixpath
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..document import decode_bytes
from ..errors import InputError
from . import archives, capture, certificate
from .archives import EvidenceError, Limits, check_size, human_size
from .model import Fact

if TYPE_CHECKING:
    from ..model import Report
    from .capture.summary import CaptureSummary
    from .certificate.checks import Check
    from .certificate.describe import CertInfo

ImageReader = Callable[[bytes], str]
MESSAGE = "message"
MAX_EVIDENCE_BYTES = 100 * 1024 * 1024
IMAGE_MAGICS = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")
# names that are never a log: refused with the list of what can be read, not decoded as text
BINARY_EXTENSIONS = (".gif", ".pdf", ".p12", ".pfx", ".exe", ".so", ".docx", ".xlsx", ".bz2", ".xz", ".7z")


@dataclass(frozen=True)
class Reader:
    kind: str
    extensions: tuple[str, ...]
    what: str                     # for the list of what can be read


READERS: tuple[Reader, ...] = (
    Reader("text", (".txt", ".log", ".text", ".out"), "`.txt` and `.log` files"),
    Reader("certificate", certificate.EXTENSIONS, "certificates"),
    Reader("image", (".png", ".jpg", ".jpeg"), "screenshots"),
    Reader("capture", capture.EXTENSIONS, "packet captures"),
    Reader("archive", archives.EXTENSIONS, "archives (an Expressway diagnostic log bundle, for instance, with the "
           "captures in it)"),
)
ACCEPT = tuple(ext for reader in READERS for ext in reader.extensions)   # for file pickers
SUPPORTED_HELP = "I read " + "; ".join(
    f"{r.what} ({', '.join(f'`{e}`' for e in r.extensions)})" if r.kind != "text" else r.what for r in READERS) + "."


class OcrUnavailable(RuntimeError):
    """Raised by an image reader when this machine cannot read images at all."""


class ImageUnreadable(ValueError):
    """Raised by an image reader when the bytes are not an image it can read; the message says why."""


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


@dataclass
class ArchiveRead:
    """What was taken from one archive, for the reply: the pieces read and the members skipped, with why."""

    name: str
    texts: int = 0
    captures: int = 0
    read: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class Intake:
    pieces: list[EvidencePiece] = field(default_factory=list)
    archives: list[ArchiveRead] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)           # files that could not be read, said for the sender


def _texty(head: bytes) -> bool:
    return all(b in (9, 10, 13) or 32 <= b < 127 for b in head)


def sniff(name: str, data: bytes) -> str:
    """'archive', 'capture', 'image', 'certificate', 'text' or 'unsupported': the first bytes decide, then the name.
    An archive is recognised first, so a tar whose first bytes look like DER is still unpacked."""
    lower = name.lower()
    kind = archives.archive_kind(name, data[:512])
    if kind == "unsupported":
        return "unsupported"
    if kind is not None:
        return "archive"
    if capture.is_capture(data[:4]):
        return "capture"
    if data.startswith(IMAGE_MAGICS):
        return "image"
    if lower.endswith(capture.EXTENSIONS):
        return "capture"
    if lower.endswith((".png", ".jpg", ".jpeg")):
        return "image"
    if lower.endswith(certificate.EXTENSIONS) or (data[:1] == b"\x30" and not _texty(data[:64])):
        return "certificate"
    if lower.endswith(BINARY_EXTENSIONS):
        return "unsupported"
    return "text"


def from_text(name: str, text: str) -> EvidencePiece:
    """A message or a text file; PEM certificates in it get their checks (the engine reads them by itself)."""
    piece = EvidencePiece(name, "text", text)
    if "-----BEGIN" not in text:
        return piece
    from .certificate.lines import analyse
    from .certificate.load import find_pem_blocks, parse_der

    blocks = [b for b in find_pem_blocks(text) if b.der]
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


def _read_capture(name: str, data: bytes) -> EvidencePiece:
    from .capture.reader import CaptureError, summarise

    try:
        summary = summarise(data)
    except CaptureError as exc:
        raise EvidenceError(f"I cannot read the capture {name}: {exc}") from None
    return EvidencePiece(name, "capture", summary.text, list(summary.facts), capture=summary, notes=list(summary.notes))


def _read_image(name: str, data: bytes, image_reader: ImageReader | None) -> EvidencePiece:
    if image_reader is None:
        raise EvidenceError(f"I cannot read the image {name}: image reading is not available here; paste the text")
    try:
        text = image_reader(data)
    except (OcrUnavailable, ImageUnreadable) as exc:
        raise EvidenceError(f"I cannot read the image {name}: {exc}") from None
    if not text.strip():
        raise EvidenceError(f"I found no text in the image {name}; paste the text instead, or a sharper "
                            "screenshot (100% zoom, no scaling)")
    piece = from_text(name, text)
    piece.kind, piece.read_from_image = "image", True
    return piece


def _read_certificate(name: str, data: bytes) -> EvidencePiece:
    from .certificate.load import CertificateError, find_pem_blocks, load_certificates

    if find_pem_blocks(data[:MAX_EVIDENCE_BYTES].decode("latin-1")):
        piece = _read_text(name, data)
        if not piece.certificates:
            raise EvidenceError(f"I cannot read the certificate {name}: no PEM block could be decoded")
        return piece
    from cryptography.hazmat.primitives import serialization

    try:   # DER or PKCS#7: written out as PEM, which the engine reads like a pasted certificate
        certs = load_certificates(data)
    except CertificateError as exc:
        raise EvidenceError(f"I cannot read the certificate {name}: {exc}") from None
    piece = from_text(name, "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in certs))
    piece.kind = "certificate"
    return piece


def _read_text(name: str, data: bytes) -> EvidencePiece:
    try:
        return from_text(name, decode_bytes(data))
    except InputError as exc:
        raise EvidenceError(f"I cannot read {name}: {exc}") from None


def read_file(name: str, data: bytes, image_reader: ImageReader | None = None) -> EvidencePiece:
    """One file that is not an archive, as a piece of evidence; EvidenceError says why it cannot be read."""
    name = posixpath.basename(name.replace("\\", "/")) or "evidence"
    if len(data) > MAX_EVIDENCE_BYTES:
        raise EvidenceError(f"{name} is larger than {human_size(MAX_EVIDENCE_BYTES)}")
    kind = sniff(name, data)
    if kind == "capture":
        return _read_capture(name, data)
    if kind == "image":
        return _read_image(name, data, image_reader)
    if kind == "certificate":
        return _read_certificate(name, data)
    if kind in ("unsupported", "archive"):
        raise EvidenceError(f"I cannot read {name}: {SUPPORTED_HELP}")
    return _read_text(name, data)


def _read_archive(name: str, data: bytes, limits: Limits) -> tuple[list[EvidencePiece], ArchiveRead]:
    kind = archives.archive_kind(name, data[:512]) or "unsupported"
    if kind == "unsupported":
        raise EvidenceError(f"I cannot read {name}: {SUPPORTED_HELP}")
    unpacked = archives.unpack(name, data, kind, limits)
    pieces: list[EvidencePiece] = []
    seen = ArchiveRead(name, skipped=list(unpacked.skipped))
    for member, blob in unpacked.files:
        kind = sniff(member, blob)
        if kind not in ("text", "capture"):   # a bundle's screenshots or keys are not read: only logs and captures
            seen.skipped.append((member, "not a text log"))
            continue
        try:
            piece = _read_capture(member, blob) if kind == "capture" else _read_text(member, blob)
        except EvidenceError as exc:
            seen.skipped.append((member, str(exc).split(": ", 1)[-1].split(";")[0]))
            continue
        if not piece.text.strip():
            continue
        piece.name = member            # its path in the archive
        pieces.append(piece)
        seen.read.append(member)
        if kind == "capture":
            seen.captures += 1
        else:
            seen.texts += 1
    if not pieces:
        why = "; ".join(f"{n}: {r}" for n, r in seen.skipped[:5])
        raise EvidenceError(f"{name} holds no text log or packet capture I can read" + (f" ({why})" if why else ""))
    return pieces, seen


def read_evidence(message: str = "", files: Sequence[tuple[str, bytes]] = (), *, limits: Limits | None = None,
                  image_reader: ImageReader | None = None) -> Intake:
    """The message (when it holds text) and every file, each read by what it is; a file that cannot be read adds
    an error and the rest are still read."""
    limits = limits or Limits()
    out = Intake()
    if message.strip():
        out.pieces.append(from_text(MESSAGE, message))
    for raw_name, data in files:
        name = posixpath.basename(raw_name.replace("\\", "/")) or "attachment"
        try:
            check_size(name, data, limits)
            if sniff(name, data) == "archive":
                pieces, seen = _read_archive(name, data, limits)
                out.pieces.extend(pieces)
                out.archives.append(seen)
            else:
                out.pieces.append(read_file(name, data, image_reader))
        except EvidenceError as exc:
            out.errors.append(str(exc))
    return out


# ------------------------------------------------------------------ several pieces as one text
def _line_count(text: str) -> int:
    """Input lines as the engine numbers evidence (CR, LF and CRLF end a line)."""
    return text.replace("\r\n", "\n").count("\n") + text.count("\r") - text.count("\r\n") + 1


@dataclass
class Combined:
    """Several pieces (the message, the files of a bundle) as one text, with evidence line numbers mapped back to
    the piece they came from."""

    text: str
    names: list[str]
    starts: list[int]          # 1-based first line of each piece in `text`

    @classmethod
    def of(cls, pieces: Sequence[tuple[str, str]]) -> Combined:
        names: list[str] = []
        starts: list[int] = []
        texts: list[str] = []
        line = 1
        for name, text in pieces:
            if not text.strip():
                continue
            names.append(name)
            starts.append(line)
            texts.append(text)
            line += _line_count(text)
        return cls(text="\n".join(texts), names=names, starts=starts)

    def locate(self, line: int) -> tuple[str, int]:
        i = max(0, bisect.bisect_right(self.starts, line) - 1)
        return self.names[i], line - self.starts[i] + 1

    def relabel(self, report: Report, name_single_file: bool = True) -> Report:
        """Evidence lines of a report on `text`, renumbered within their piece; the piece's name goes in front of
        the quote when there is more than one piece, or the only one is a file (unless `name_single_file` is
        False: a file diagnosed on its own on the command line)."""
        if not self.names or (len(self.names) == 1 and (self.names[0] == MESSAGE or not name_single_file)):
            return report
        for d in report.diagnoses:
            relabelled = []
            for ev in d.evidence:
                if ev.line is None:
                    relabelled.append(ev)
                    continue
                name, local = self.locate(ev.line)
                quote = ev.quote if name == MESSAGE else f"{name} · {ev.quote}"
                relabelled.append(dataclasses.replace(ev, line=local, quote=quote))
            d.evidence = relabelled
        return report


def combine(pieces: Sequence[EvidencePiece]) -> tuple[Combined, list[Fact]]:
    """The pieces' texts joined, and their facts moved to their lines in the whole."""
    kept = [p for p in pieces if p.text.strip()]
    combined = Combined.of([(p.name, p.text) for p in kept])
    facts: list[Fact] = []
    for piece, start in zip(kept, combined.starts, strict=True):
        facts.extend(Fact(f.name, f.value, None if f.line is None else f.line + start - 1, f.values, f.note)
                     for f in piece.facts)
    return combined, facts
