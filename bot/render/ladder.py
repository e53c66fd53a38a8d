"""A call drawn as a SIP ladder, one PNG per call: a lane per element (Webex, Expressway-E, Expressway-C,
Unified CM, phone/other) with its name at the top, an arrow per message with its method or status above it and
its time offset at the left, the failing message in red with the documented reason under it.

Drawn with matplotlib on its Agg canvas (a `Figure` of our own, no pyplot state, so threads may draw at once):
it is maintained, installs from PyPI as a wheel with no system libraries, ships its own fonts (DejaVu), and
lets us place every string in pixels. The layout is computed, not left to chance: the picture is WIDTH_PX wide
(Webex previews it at up to about that size), text is at least 13 px high, the height grows with the number of
messages, and a label longer than its arrow is cut with an ellipsis. Text is monospaced, so a string's width is
known before drawing (DejaVu Sans Mono advances 0.602 em per character, which Agg rounds to whole pixels) and
nothing can overlap.
"""
from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, BinaryIO

from matchers.calls import Call, Message

if TYPE_CHECKING:   # matplotlib takes ~0.4 s to import: only a picture being drawn pays for it
    from matplotlib.figure import Figure

WIDTH_PX = 1100
DPI = 100
FONT = "DejaVu Sans Mono"
CHAR_EM = 0.602                  # advance width of a DejaVu Sans Mono character, in em
LABEL_PX, SMALL_PX, TITLE_PX = 14, 13, 15
LEFT_PX = 112                    # the time column
RIGHT_PX = 16
ROW_PX = 44
REASON_LINE_PX = 18
NOTE_CHARS = 88                  # a reason wraps at this width (two lines at most), to be read at a glance
MAX_ROWS = 36                    # longer calls: the start, the failing message and the end, with gaps marked
INK, MUTED, GREY, RED = "#1f2328", "#57606a", "#8c959f", "#c62828"   # text, secondary text, lines, failure


def pick_calls(calls: Sequence[Call], limit: int = 3) -> list[Call]:
    """The calls worth a picture: failing ones first, then the others, in their order; at most `limit`."""
    return sorted(calls, key=lambda call: not call.failed)[:limit]


def render_ladder(call: Call, reason: str | None, path_or_file: str | BinaryIO) -> None:
    """Draw `call` as a PNG to a path or a binary file. `reason` is the short documented cause written under
    the failing message; without it the message's own Warning or Reason header is shown."""
    ladder_figure(call, reason).savefig(path_or_file, format="png", dpi=DPI)


def ladder_figure(call: Call, reason: str | None) -> Figure:
    """The ladder as a matplotlib Figure on an Agg canvas (WIDTH_PX wide, as tall as the messages need)."""
    rows = _rows(call)
    failing = call.failing_message
    note = reason if reason is not None else (failing.warning or failing.reason if failing else "")
    width = min(NOTE_CHARS, _chars(WIDTH_PX - LEFT_PX - RIGHT_PX - 20, SMALL_PX))
    note_lines = _wrap(note, width, 2) if failing else []
    top = 12 + 2 * (TITLE_PX + 8)
    lanes_top, lanes_bottom = top + 6, top + 6 + SMALL_PX * 2 + 18
    heights = [ROW_PX + (len(note_lines) * REASON_LINE_PX + 4 if m is failing else 0) for m in rows]
    height = lanes_bottom + 16 + sum(heights) + 16
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_PX / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    ax = figure.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, WIDTH_PX)
    ax.set_ylim(height, 0)
    ax.axis("off")
    _title(ax, call)
    xs = _lanes(ax, call, lanes_top, lanes_bottom, height - 8)
    y = lanes_bottom + 16
    for m, row_height in zip(rows, heights, strict=True):
        if m is None:
            _text(ax, LEFT_PX + 4, y + ROW_PX * 0.55, "… more messages …", SMALL_PX, MUTED)
        else:
            _arrow(ax, m, xs, y + 24, note_lines if m is failing else [])
        y += row_height
    return figure


# ------------------------------------------------------------------ layout
def _rows(call: Call) -> list[Message | None]:
    """The messages drawn, None where a run of them is left out."""
    messages = call.messages
    if len(messages) <= MAX_ROWS:
        return list(messages)
    keep = set(range(24)) | set(range(len(messages) - 8, len(messages)))
    if call.failing is not None:
        keep |= set(range(max(0, call.failing - 1), min(len(messages), call.failing + 2)))
    rows: list[Message | None] = []
    for i, m in enumerate(messages):
        if i in keep:
            rows.append(m)
        elif rows and rows[-1] is not None:
            rows.append(None)
    return rows


def _char_px(size_px: int) -> float:
    """Width of one character: Agg snaps glyph advances to whole pixels, so take the larger of the two."""
    return max(float(round(CHAR_EM * size_px)), CHAR_EM * size_px)


def _chars(width_px: float, size_px: int) -> int:
    return max(1, int(width_px // _char_px(size_px)))


def _fit(text: str, chars: int) -> str:
    return text if len(text) <= chars else text[:max(0, chars - 1)].rstrip() + "…"


def _wrap(text: str, chars: int, lines: int) -> list[str]:
    if not text:
        return []
    wrapped = textwrap.wrap(text, chars, break_long_words=True) or [text]
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = _fit(wrapped[-1] + " …", chars)
    return wrapped


def _pt(size_px: int) -> float:
    return size_px * 72 / DPI


def _text(ax, x: float, y: float, text: str, size_px: int, color: str = INK, *, ha: str = "left",
          va: str = "center", bold: bool = False, boxed: bool = False) -> None:
    # boxed: on a white ground, so the lane lines do not run through the text
    ax.text(x, y, text, fontsize=_pt(size_px), family=FONT, color=color, ha=ha, va=va, zorder=4,
            fontweight="bold" if bold else "normal",
            bbox=dict(facecolor="white", edgecolor="none", pad=1.5) if boxed else None)


# ------------------------------------------------------------------ pieces
def _title(ax, call: Call) -> None:
    chars = _chars(WIDTH_PX - 24, TITLE_PX)
    parties = f"{call.parties.get('from') or '?'} → {call.parties.get('to') or '?'}"
    head = f"{call.direction.capitalize()} call {parties}" if call.parties.get("from") or call.parties.get("to") \
        else f"{call.direction.capitalize()} call attempt"
    _text(ax, 12, 12 + TITLE_PX / 2, _fit(head, chars), TITLE_PX, bold=True)
    _text(ax, 12, 12 + TITLE_PX * 1.5 + 8, _fit(call.ended_at, chars), TITLE_PX, RED if call.failed else INK)


def _lanes(ax, call: Call, top: float, bottom: float, end: float) -> dict:
    lanes = call.lanes
    span = (WIDTH_PX - LEFT_PX - RIGHT_PX) / max(1, len(lanes))
    xs = {}
    for k, lane in enumerate(lanes):
        x = LEFT_PX + span * (k + 0.5)
        xs[lane.element] = x
        role, detail = lane.caption
        chars = _chars(span - 10, SMALL_PX)
        _text(ax, x, top + SMALL_PX / 2 + 2, _fit(role, chars), SMALL_PX, ha="center", bold=True)
        if detail:
            _text(ax, x, top + SMALL_PX * 1.5 + 8, _fit(detail, chars), SMALL_PX, MUTED, ha="center")
        ax.plot([x, x], [bottom, end], color=GREY, lw=1.0, ls=(0, (4, 3)), zorder=1)
    ax.plot([LEFT_PX - 8, WIDTH_PX - RIGHT_PX], [bottom, bottom], color=GREY, lw=0.8, zorder=1)
    return xs


def _arrow(ax, m: Message, xs: dict, y: float, note_lines: list[str]) -> None:
    x1, x2 = xs.get(m.sender), xs.get(m.receiver)
    if x1 is None or x2 is None:
        return
    color = RED if m.failed else INK
    offset = "" if m.offset is None else f"+{m.offset:.3f} s"
    _text(ax, LEFT_PX - 12, y - 2, _fit(offset, _chars(LEFT_PX - 16, SMALL_PX)), SMALL_PX, MUTED, ha="right")
    ax.annotate("", xy=(x2, y), xytext=(x1, y), zorder=3,
                arrowprops=dict(arrowstyle="-|>", color=color, lw=2.2 if m.failed else 1.4, shrinkA=0, shrinkB=1,
                                mutation_scale=16, linestyle="--" if m.kind != "sip" else "-"))
    middle = (x1 + x2) / 2
    label = _fit(m.label, _chars(abs(x2 - x1) - 16, LABEL_PX))
    _text(ax, middle, y - 5, label, LABEL_PX, color, ha="center", va="bottom", bold=m.failed, boxed=True)
    if note_lines:
        width = max(len(line) for line in note_lines) * _char_px(SMALL_PX)
        left = min(max(middle - width / 2, LEFT_PX), WIDTH_PX - RIGHT_PX - width)
        for k, line in enumerate(note_lines):
            _text(ax, left, y + 14 + k * REASON_LINE_PX, line, SMALL_PX, RED, boxed=True)
