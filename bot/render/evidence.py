"""What was read from a certificate, a capture or a screenshot, for the reply (markdown), the terminal (text)
and the jsonl record. Shown above the diagnosis, so the reader sees what the diagnosis rests on."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matchers import EvidencePiece
from matchers.evidence.capture import LIST_HEADER

if TYPE_CHECKING:   # the certificate stack is imported only when a certificate is read
    from matchers.evidence.certificate.checks import Check

IMAGE_QUOTE_LINES = 15
CAPTURE_LIST_LINES = 20
LINE_CHARS = 180
# each verdict as a mark and a word: the word is what screen readers, plain-text clients and pages without an
# emoji font show
MARKS = {"pass": "✅", "fail": "❌", "warning": "⚠️", "info": "ℹ️"}
WORDS = {"pass": "PASS", "fail": "FAIL", "warning": "WARN", "info": "INFO"}


def verdict(check: Check) -> str:
    """pass, fail, warning (passed but needs action soon) or info (no pass or fail)."""
    if check.passed is None:
        return "info"
    if not check.passed:
        return "fail"
    return "warning" if check.warning else "pass"


def verdict_markdown(state: str) -> str:
    """The mark with its word: "✅ pass", "❌ fail", "⚠️ warning", "ℹ️ info"."""
    return f"{MARKS[state]} {state}"


def _cut(line: str, limit: int = LINE_CHARS) -> str:
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _code_block(lines: list[str]) -> str:
    body = "\n".join(_cut(x).replace("```", "'''") for x in lines)
    return f"```\n{body}\n```"


def _check_groups(piece: EvidencePiece) -> list[tuple[str, list[Check]]]:
    groups: list[tuple[str, list[Check]]] = []
    for info in piece.certificates:
        title = f"Certificate {info.index}: `{info.label}`, issued by `{info.issuer_cn}`"
        groups.append((title, [c for c in piece.checks if c.certificate == info.index]))
    chain = [c for c in piece.checks if c.certificate == 0]
    if chain:
        groups.append(("Chain", chain))
    return groups


def checks_markdown(piece: EvidencePiece) -> str:
    if not piece.checks:
        return ""
    out = [f"**Certificate checks** (`{piece.name}`, {len(piece.certificates)} certificate(s)):"]
    for title, checks in _check_groups(piece):
        out.append(f"- {title}")
        out.extend(f"  - {verdict_markdown(verdict(c))} · {c.name.replace('_', ' ')}: {c.summary}" for c in checks)
    return "\n".join(out)


def capture_markdown(piece: EvidencePiece) -> str:
    summary = piece.capture
    if summary is None:
        return ""
    streams = summary.streams
    out = [f"**Packet capture** `{piece.name}`: {summary.packets} packets ({summary.format}, {summary.link}), "
           f"{len(streams)} TCP stream(s) on ports 5062/5061."]
    out.extend(f"- {_cut(line, 400)}" for line in summary.lines if line.startswith(("Stream ", "Capture note:")))
    listing = summary.lines[summary.lines.index(LIST_HEADER):] if streams else []
    if listing:
        more = len(listing) - 1 - CAPTURE_LIST_LINES
        out += ["", _code_block(listing[: CAPTURE_LIST_LINES + 1])]
        if more > 0:
            out.append(f"_{more} more lines of the list are not shown._")
    return "\n".join(out)


def image_markdown(piece: EvidencePiece) -> str:
    if not piece.read_from_image:
        return ""
    lines = [x for x in piece.text.splitlines() if x.strip()]
    shown = lines[:IMAGE_QUOTE_LINES]
    head = (f"_Text read from the image `{piece.name}` with OCR ({len(lines)} lines; OCR makes mistakes, "
            f"so check the quotes). First {len(shown)} lines:_")
    return head + "\n" + _code_block(shown)


def evidence_markdown(piece: EvidencePiece) -> str:
    parts = [image_markdown(piece), checks_markdown(piece), capture_markdown(piece)]
    parts += [f"_{n}_" for n in piece.notes if piece.capture is None]
    return "\n\n".join(p for p in parts if p)


def evidence_text(piece: EvidencePiece) -> str:
    """The same for a terminal: no markdown marks."""
    out: list[str] = []
    if piece.read_from_image:
        lines = [x for x in piece.text.splitlines() if x.strip()]
        out.append(f"Text read from the image {piece.name} with OCR ({len(lines)} lines); first "
                   f"{min(len(lines), IMAGE_QUOTE_LINES)}:")
        out += [f"  | {_cut(x)}" for x in lines[:IMAGE_QUOTE_LINES]]
    if piece.checks:
        out.append(f"Certificate checks ({piece.name}):")
        for title, checks in _check_groups(piece):
            out.append("  " + title.replace("`", ""))
            out += [f"    {WORDS[verdict(c)]:4} {c.name}: {c.summary}" for c in checks]
    if piece.capture is not None:
        out.append(f"Packet capture {piece.name}:")
        out += [f"  {_cut(x, 400)}" for x in piece.capture.lines]
    elif piece.notes:
        out += [f"Note: {n}" for n in piece.notes]
    return "\n".join(out)


def evidence_json(piece: EvidencePiece | None) -> dict[str, Any]:
    """Extra keys for the jsonl record (only those that apply)."""
    if piece is None:
        return {}
    out: dict[str, Any] = {"evidence_type": piece.kind}
    if piece.checks:
        out["checks"] = [c.as_dict() for c in piece.checks]
    if piece.read_from_image:
        out["read_from_image"] = True
        out["image_text"] = piece.text
    if piece.capture is not None:
        out["capture"] = {"packets": piece.capture.packets, "format": piece.capture.format,
                          "streams": len(piece.capture.streams), "summary": piece.capture.lines,
                          "notes": piece.capture.notes}
    elif piece.notes:
        out["notes"] = list(piece.notes)
    return out
