"""The ladder picture: size, layout without overlaps, and its labels read back by Tesseract."""
from __future__ import annotations

import io
import os
import shutil

import pytest
from PIL import Image

from bot.render.ladder import WIDTH_PX, _fit, ladder_figure, pick_calls, render_ladder
from matchers.calls import find_calls
from tests.call_logs import Log, Site, inbound

REASON = "404 Policy Response: Preloaded SIP routes support Off"
OCR_REQUIRED = os.environ.get("CI") == "true"


def calls(*rejects: bool) -> list:
    log = Log()
    for n, reject in enumerate(rejects):
        inbound(log, Site(), n * 2.0, 300 + n, reject_at_c=reject)
    return find_calls(log.lines())


def png(call, reason: str | None = REASON) -> Image.Image:
    out = io.BytesIO()
    render_ladder(call, reason, out)
    out.seek(0)
    return Image.open(out)


def test_pick_calls_failing_first_at_most_three():
    found = calls(False, True, False, True, False)
    picked = pick_calls(found)
    assert [c.failed for c in picked] == [True, True, False]
    assert picked[0] is found[1] and picked[2] is found[0]
    assert pick_calls(found, limit=1) == [found[1]]
    assert pick_calls([]) == []


def test_picture_is_wide_enough_and_grows_with_the_messages():
    rejected, answered = calls(True, False)
    small, large = png(rejected), png(answered)
    assert small.size[0] == large.size[0] == WIDTH_PX >= 800
    assert large.size[1] > small.size[1] + 10 * 40           # 19 messages against 5


def _boxes(figure):
    renderer = figure.canvas.get_renderer()
    return [(t.get_text(), t.get_window_extent(renderer)) for t in figure.axes[0].texts if t.get_text()]


@pytest.mark.parametrize("rejects", [(True,), (False,)])
def test_no_text_overlaps_and_all_text_is_inside(rejects):
    figure = ladder_figure(calls(*rejects)[0], REASON + " on the Expressway-C traversal client zone, twice over " * 3)
    boxes = _boxes(figure)
    width, height = figure.canvas.get_width_height()
    for k, (text, box) in enumerate(boxes):
        assert box.x0 >= 0 and box.x1 <= width and box.y0 >= 0 and box.y1 <= height, text
        assert box.height >= 11, text                          # at least 11 px text at the picture's size
        for other, other_box in boxes[k + 1:]:
            assert not box.overlaps(other_box), (text, other)


def test_long_calls_and_labels_are_cut_not_crowded():
    call = calls(False)[0]
    call.messages = call.messages * 5                       # 95 messages: start, failing hop and end are drawn
    call.messages[0].label = "INVITE " + "x" * 200
    figure = ladder_figure(call, None)
    texts = [text for text, _ in _boxes(figure)]
    assert "… more messages …" in texts
    assert any(text.startswith("INVITE x") and text.endswith("…") for text in texts)
    assert figure.canvas.get_width_height()[1] < 2200
    assert _fit("404 Not Found", 8) == "404 Not…" and _fit("ACK", 8) == "ACK"


def test_offsets_and_reason_are_drawn():
    texts = [text for text, _ in _boxes(ladder_figure(calls(True)[0], REASON))]
    assert texts.count("+0.000 s") == 1 and "+0.015 s" in texts and REASON in texts
    assert "rejected at the Expressway-C with 404 Not Found (Policy Response)" in texts


def _ocr(image: Image.Image) -> str:
    import pytesseract

    gray = image.convert("L")
    # the default page layout and the sparse-text one: each reads some labels the other merges with a lane line
    return pytesseract.image_to_string(gray) + "\n" + pytesseract.image_to_string(gray, config="--psm 11")


@pytest.mark.skipif(shutil.which("tesseract") is None and not OCR_REQUIRED,
                    reason="Tesseract is not installed (in CI it is, and this test runs)")
@pytest.mark.parametrize(("reject", "labels"), [
    (True, ("INVITE", "404 Not Found", "Expressway-C", "Policy Response")),
    (False, ("INVITE", "100 Trying", "180 Ringing", "200 OK", "ACK", "BYE", "Unified CM")),
])
def test_labels_read_back_by_ocr(reject, labels):
    image = png(calls(reject)[0])
    assert image.size[0] >= 800
    text = _ocr(image)
    for label in labels:
        assert label in text, (label, text)
