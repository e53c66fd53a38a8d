"""Screenshots: known evidence rendered with several fonts, sizes, themes and some noise, read back with
Tesseract and diagnosed. Skipped without Tesseract locally; in CI (CI=true) a missing Tesseract fails."""
from __future__ import annotations

import io
import os

import pytest
from PIL import Image

from bot import ocr
from matchers.evidence.archives import EvidenceError
from matchers.evidence.intake import read_file
from tests.evidence_builders import FONT_DIR, UNTRUSTED, diagnose_file, screenshot, tesseract_installed

IN_CI = os.environ.get("CI") == "true"

FACTORY = [
    "Certificate information",
    "Issued to: vcse-dmz",
    "Issued by: Temporary CA 5b21e0f7-9c3a-4d0b-a8f6-2e7719d4c0b3",
    "Comment: Temporary Certificate",
]
LEAF_ONLY = [
    "118 5.004127 203.0.113.45 198.51.100.80 TLSv1.2 263 Client Hello",
    "120 5.006644 198.51.100.80 203.0.113.45 TLSv1.2 2011 Server Hello, Certificate, Server Hello Done",
    "124 5.071930 203.0.113.45 198.51.100.80 TLSv1.2 73 Alert (Level: Fatal, Description: Certificate Unknown)",
    'Detail="sslv3 alert certificate unknown"',
    "Certificates Length: 1788",
    "    Certificate Length: 1785",
]
CASES = [  # (lines, expected entry, font, size, dark theme, jpeg)
    (UNTRUSTED, "tls-expe-untrusted-webex-ca", "DejaVuSansMono.ttf", 12, False, True),
    (UNTRUSTED, "tls-expe-untrusted-webex-ca", "DejaVuSans.ttf", 16, True, False),
    (FACTORY, "tls-expe-default-selfsigned-cert", "DejaVuSerif.ttf", 13, False, True),
    (FACTORY, "tls-expe-default-selfsigned-cert", "DejaVuSans.ttf", 22, True, False),
    (LEAF_ONLY, "tls-expe-incomplete-cert-chain", "DejaVuSansMono.ttf", 15, True, False),
    (LEAF_ONLY, "tls-expe-incomplete-cert-chain", "DejaVuSerif.ttf", 20, False, True),
]


@pytest.fixture(scope="module")
def tesseract():
    missing = [] if tesseract_installed() else ["tesseract-ocr"]
    if not (FONT_DIR / "DejaVuSans.ttf").exists():
        missing.append("fonts-dejavu-core")
    if missing:
        message = f"{', '.join(missing)} not installed (scripts/ci-system-deps.sh installs them)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)




@pytest.mark.parametrize(("lines", "expected", "font", "size", "dark", "jpeg"), CASES,
                         ids=[f"{c[1]}-{c[2]}-{c[3]}px{'-dark' if c[4] else ''}" for c in CASES])
def test_screenshot_is_read_and_diagnosed(tesseract, engine, lines, expected, font, size, dark, jpeg):
    name = "shot.jpg" if jpeg else "shot.png"
    report, notes = diagnose_file(engine, name, screenshot(lines, font, size, dark, jpeg))
    assert report.diagnoses, notes
    assert report.diagnoses[0].entry.id == expected, (notes, [d.entry.id for d in report.diagnoses])
    assert f"Text read from the image `{name}` with OCR" in notes[0]


def test_reply_quotes_the_first_lines_read(tesseract):
    shot = screenshot(UNTRUSTED, "DejaVuSans.ttf", 18, False, False)
    piece = read_file("event-log.png", shot, image_reader=ocr.image_to_text)
    assert piece.read_from_image and piece.kind == "image"
    from bot.render.evidence import evidence_markdown

    shown = evidence_markdown(piece)
    assert "Text read from the image `event-log.png`" in shown
    assert "self signed certificate in certificate chain" in shown
    assert shown.count("\n") <= 20


def test_missing_tesseract_says_image_reading_is_unavailable(monkeypatch):
    monkeypatch.setattr(ocr.shutil, "which", lambda _cmd: None)
    with pytest.raises(EvidenceError, match="image reading is unavailable"):
        read_file("shot.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, image_reader=ocr.image_to_text)


def test_a_damaged_image_is_refused_clearly(tesseract):
    with pytest.raises(EvidenceError, match="cannot read the image broken.png"):
        read_file("broken.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20, image_reader=ocr.image_to_text)


def test_an_image_without_text(tesseract):
    blank = io.BytesIO()
    Image.new("RGB", (400, 200), (255, 255, 255)).save(blank, "PNG")
    with pytest.raises(EvidenceError, match="no text"):
        read_file("blank.png", blank.getvalue(), image_reader=ocr.image_to_text)


def test_a_huge_image_is_refused_before_it_is_decoded(tesseract):
    huge = io.BytesIO()
    Image.new("1", (10_000, 5_000), 1).save(huge, "PNG")
    with pytest.raises(EvidenceError, match="too large for a screenshot"):
        read_file("huge.png", huge.getvalue(), image_reader=ocr.image_to_text)
