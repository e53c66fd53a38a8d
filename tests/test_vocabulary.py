"""A paste read as a person reads it: words a wrap cut in two are one word, words OCR misread are the words they
show, and a clean paste's own spellings (a typo that is the evidence, a log's run-together keys) stay as written."""
from __future__ import annotations

import pytest

from matchers.document import Document
from matchers.layout import rejoin_cut_words

WIDE = "88   3.1181   198.51.100.31   203.0.113.40   TLSv1.2   73   Alert (Level: Fatal, Description: Unkno"


@pytest.mark.parametrize(("first", "second", "joined"), [
    (WIDE, "  wn CA)", WIDE + "wn CA)"),                                    # a word cut, continuation indented
    (WIDE[:-5] + "Unknown CA", "  )", WIDE[:-5] + "Unknown CA)"),            # only the closing bracket left over
    ("Module=\"network.dns\" Level=\"DEBUG\":  Detail=\"Sending DNS query\" Name=\"_sips._tcp",
     '.callservice.webex.com" Type="SRV (IPv4 and IPv6)"',
     'Module="network.dns" Level="DEBUG":  Detail="Sending DNS query" Name="_sips._tcp.callservice.webex.com" '
     'Type="SRV (IPv4 and IPv6)"'),                                           # a host name cut at a dot
    ("Check pattern succeeds for our Webex regex on the expe but outbound calls still get 4", "  04 Not Found",
     "Check pattern succeeds for our Webex regex on the expe but outbound calls still get 404 Not Found"),
    ("How does a call from a CUCM desk phone end up ringing a Call Service Connect user'", "s Webex app?",
     "How does a call from a CUCM desk phone end up ringing a Call Service Connect user's Webex app?"),
])
def test_a_wrap_that_cut_a_word_is_undone(engine, first, second, joined):
    lines, numbers = rejoin_cut_words([first, second], [1, 2], engine.vocabulary)
    assert lines == [joined] and numbers == [1]


@pytest.mark.parametrize(("first", "second"), [
    ("We checked the search rules on the Expressway-C and the E, both look right to me, and the", "policy is off"),
    ("short line ends mid wo", "rd but is no wrap"),                          # shorter than any wrap width
    ("No.   Time     Source          Destination     Protocol Length Info  and a long header row",
     "2024-05-14 09:00:01 the next record"),                                 # a record starts a line of its own
])
def test_two_lines_that_are_two_lines_stay_apart(engine, first, second):
    lines, _ = rejoin_cut_words([first, second], [1, 2], engine.vocabulary)
    assert lines == [first, second]


def test_ocr_misread_words_are_read_when_the_paste_shows_ocr_damage(engine):
    doc = Document.from_text('SIP/2.0 403 Forbiclclen\nWarning: 399 192.0.2.50:7003 "Po|icy Resp0nse"\n'
                             'Moclule="network.search" Detail="Considering search rule \'to DNS\' towardstarget',
                             engine.vocabulary)
    assert doc.lines[0] == "SIP/2.0 403 Forbidden"
    assert "Policy Response" in doc.lines[1]
    assert doc.lines[2].startswith('Module="network.search"') and "towards target" in doc.lines[2]


def test_a_clean_paste_keeps_its_own_spellings(engine):
    # one odd word in a clean paste is the evidence (a mistyped subject name), and a log's keys are its own
    text = ('TLS verify subject name: callservices.webex.com\nDetail="found:false, searchtype:INVITE, '
            'Info:Policy Response" Dst-alias="sip:boardroom@tailspin.rooms.webex.com"')
    assert list(Document.from_text(text, engine.vocabulary).lines) == text.split("\n")


def test_an_ocr_damaged_decisive_line_gets_the_clean_answer(engine):
    clean = ('2024-07-01T14:22:08.331+02:00 tsp-expe tvcs: Event="Search Completed" Reason="Not Found" '
             'Service="SIP" Dst-alias="sip:aweber@tailspin.call.ciscospark.com" '
             'Detail="found:false, searchtype:INVITE, Info:Policy Response"\nSIP/2.0 404 Not Found')
    damaged = clean.replace("Completed", "Cornpleted").replace("Policy", "Po|icy").replace("Found", "Founcl")
    assert engine.diagnose(clean).diagnoses
    assert [d.entry.id for d in engine.diagnose(damaged).diagnoses][:1] == \
           [d.entry.id for d in engine.diagnose(clean).diagnoses][:1]


def test_frames_and_hex_ids_are_not_misread_words(engine):
    text = "|ACK sip:room-kore@10.11.91.165:5061;transport=tls SIP/2.0\nCall-ID: a0c2f2e8-5ba8-4840-ab1e-758a81d7d27e"
    assert engine.vocabulary.repair_words(text, force=True) == text


def test_a_long_clean_log_needs_more_than_two_odd_words_to_be_read_as_ocr(engine):
    log = "\n".join(f'2024-05-14T09:00:{i % 60:02d} expe tvcs: Module="network.sip" Detail="healthy {i}"'
                    for i in range(500))
    text = log + "\nthe Moclule and the Eclit button\n"
    assert engine.vocabulary.repair_words(text) == text              # two in 500 lines: a name, a typo
    assert "Module" in engine.vocabulary.repair_words(text[-40:])    # two in one line: a screenshot
