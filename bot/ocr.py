"""Screenshots to text: Tesseract OCR (Debian's `tesseract-ocr`) through pytesseract.

The adapter stays outside `matchers/` (it runs a program) and is passed to `matchers.read_evidence`; the text it
returns is diagnosed like a paste, and
the OCR damage it leaves (`l` for `1`, `O` for `0`, ...) is what the engine's normalisation is built for.
"""
from __future__ import annotations

import io
import shutil

from matchers.evidence.intake import ImageUnreadable, OcrUnavailable

__all__ = ["ImageUnreadable", "OcrUnavailable", "image_to_text"]

MAX_PIXELS = 40_000_000          # a 4K screenshot is 8.3 million; anything far beyond is not a screenshot
MIN_WIDTH_FOR_OCR = 2200         # smaller screenshots are enlarged: Tesseract reads 10-12 px text poorly
OCR_TIMEOUT = 90                 # seconds for one image
UNAVAILABLE = ("image reading is unavailable here: Tesseract OCR is not installed (Debian package "
               "`tesseract-ocr`); paste the text instead, or export it as a .txt file")


def image_to_text(data: bytes, timeout: float = OCR_TIMEOUT) -> str:
    """The text in a PNG/JPEG screenshot. Raises OcrUnavailable or ImageUnreadable."""
    try:
        import pytesseract
        from PIL import Image, UnidentifiedImageError
    except ImportError:
        raise OcrUnavailable(UNAVAILABLE) from None
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        raise OcrUnavailable(UNAVAILABLE)
    try:
        with Image.open(io.BytesIO(data)) as img:   # Pillow refuses decompression bombs itself
            if img.width * img.height > MAX_PIXELS:
                raise ImageUnreadable(f"the image is {img.width}x{img.height} pixels, too large for a screenshot")
            img.load()
            prepared = _prepare(img)
    except (UnidentifiedImageError, Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageUnreadable(f"not a readable image ({type(exc).__name__})") from None
    except (OSError, ValueError, SyntaxError) as exc:
        if isinstance(exc, ImageUnreadable):
            raise
        raise ImageUnreadable(f"the image is damaged or truncated ({str(exc)[:120]})") from None
    try:
        text = pytesseract.image_to_string(prepared, lang="eng", config="--psm 6", timeout=timeout)
    except pytesseract.TesseractNotFoundError:
        raise OcrUnavailable(UNAVAILABLE) from None
    except RuntimeError as exc:  # pytesseract raises RuntimeError on its timeout
        raise ImageUnreadable(f"reading the image took too long ({exc})") from None
    except pytesseract.TesseractError as exc:
        raise ImageUnreadable(f"Tesseract could not read the image ({str(exc)[:160]})") from None
    return "\n".join(line.rstrip() for line in text.splitlines()).strip("\n")


def _prepare(img):  # noqa: ANN001, ANN202 - PIL types stay local to this module
    """Grey, dark themes inverted to dark-on-light, small screenshots enlarged."""
    from PIL import Image, ImageOps, ImageStat

    grey = ImageOps.exif_transpose(img).convert("L")
    if ImageStat.Stat(grey).mean[0] < 110:   # a dark terminal or dark-mode page
        grey = ImageOps.invert(grey)
    if grey.width < MIN_WIDTH_FOR_OCR:
        factor = min(3.0, MIN_WIDTH_FOR_OCR / max(grey.width, 1))
        grey = grey.resize((int(grey.width * factor), int(grey.height * factor)), Image.Resampling.LANCZOS)
    return grey
