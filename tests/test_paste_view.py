"""The paste echoed under the reply on the local page: the lines marked are exactly those the reply quotes."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.render.markdown import report_markdown
from bot.render.paste import WHOLE_UP_TO, paste_view, quoted_lines
from matchers import read_evidence

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"')
_QUOTED_LINE = re.compile(r"^- (?:line (\d+): |you wrote \(line (\d+)\))", re.MULTILINE)


def _lines_in_reply(markdown: str) -> set[int]:
    return {int(a or b) for a, b in _QUOTED_LINE.findall(markdown)}


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_marked_lines_are_the_lines_the_reply_quotes(engine, path):
    text = path.read_text(encoding="utf-8")
    report = engine.diagnose(text)
    assert quoted_lines(report, text) == _lines_in_reply(report_markdown(report))


def test_long_lines_chat_quotes_and_crlf_are_still_found(engine):
    text = (SAMPLES / "outbound-404-search-rule.txt").read_text(encoding="utf-8")
    plain = quoted_lines(engine.diagnose(text), text)
    assert 10 in plain   # a log record over 240 characters, quoted cut short
    quoted = "\n".join("> " + line for line in text.splitlines())
    assert quoted_lines(engine.diagnose(quoted), quoted) == plain
    crlf = text.replace("\n", "\r\n")
    assert quoted_lines(engine.diagnose(crlf), crlf) == plain


def test_a_files_evidence_is_not_marked_in_the_message(engine):
    message = "inbound calls from Webex fail\nthe log is attached\nthanks"
    intake = read_evidence(message, [("expe.log", f"2024-05-14 noise\n{SELF_SIGNED}\n".encode())])
    report = engine.diagnose_pieces(intake.pieces)
    assert any(ev.line == 2 and ev.quote.startswith("expe.log · ") for ev in report.diagnoses[0].evidence)
    assert 2 not in quoted_lines(report, message)


def test_a_message_line_quoted_beside_a_file_is_marked(engine):
    message = f"inbound calls from Webex fail\n{SELF_SIGNED}"
    intake = read_evidence(message, [("notes.txt", b"nothing here\n")])
    assert 2 in quoted_lines(engine.diagnose_pieces(intake.pieces), message)


def test_a_long_paste_is_shown_around_its_marked_lines():
    text = "\n".join(f"noise {n}" for n in range(1, 1001)) + "\n"
    rows = paste_view(text, {500})
    assert [r.number for r in rows] == [None, *range(497, 504), None]
    assert rows[0].text == "496 lines not shown" and rows[-1].text == "497 lines not shown"
    assert [r.number for r in rows if r.marked] == [500]
    short = "a\n\nb\n"
    assert [(r.number, r.text) for r in paste_view(short, {3})] == [(1, "a"), (2, ""), (3, "b")]
    assert len(paste_view("x\n" * WHOLE_UP_TO, {1})) == WHOLE_UP_TO
