"""Big logs are held in chunks: the engine must see exactly the lines and hits it sees for a paste."""
from __future__ import annotations

import random

import pytest

import matchers.document as document
import matchers.layout as layout
from matchers.document import ChunkedLines, Document
from matchers.engine import Engine
from matchers.evidence import TRIGGER_SKELETONS, extract_facts
from matchers.prefilter import Prefilter, hyperscan

KEYS = [k for keys in TRIGGER_SKELETONS.values() for k in keys]
LINES = [
    '2024-05-14T09:00:01 expe tvcs: Module="network.tcp" Detail="TCP Connection Failed" Dst-port="5062"',
    "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK1",
    "|SIP/2.0 603 Decline",
    "Contact: <sip:a@192.0.2.9:5061;transport=tls>;call-type=squared",
    "",
    "déjà vu: non-ASCII before a hit, SIP/2.0 404 Not Found",
    "xConfiguration Zones Zone 3 DNS SIP TLS Verify Subject Name: \"callservice.ciscospark.com\"",
    "nothing here at all",
]


def random_text(seed: int, lines: int, trailing_newline: bool) -> str:
    rng = random.Random(seed)
    text = "\n".join(rng.choice(LINES) for _ in range(lines))
    return text + "\n" if trailing_newline else text


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunk after a few hundred characters, so small texts cross many chunk boundaries."""
    monkeypatch.setattr(document, "CHUNK_CHARS", 300)
    monkeypatch.setattr(document, "MAX_JOIN_CHARS", 1000)


@pytest.mark.parametrize("trailing_newline", [True, False])
@pytest.mark.parametrize("seed", range(5))
def test_chunked_lines_are_the_lines_of_the_text(small_chunks, seed, trailing_newline):
    text = random_text(seed, 200, trailing_newline)
    expected = text.split("\n")
    lines = ChunkedLines(text)
    assert len(lines) == len(expected)
    assert [lines[i] for i in range(len(lines))] == expected
    assert lines[-1] == expected[-1]
    assert lines[5:177] == expected[5:177]
    assert lines[190:] == expected[190:]
    assert lines[::7] == expected[::7]
    with pytest.raises(IndexError):
        lines[len(expected)]


@pytest.mark.parametrize("engine", ["ahocorasick", *(["hyperscan"] if hyperscan else [])])
def test_lines_counted_by_the_scan_equal_lines_counted_from_the_text(small_chunks, engine):
    text = random_text(1, 300, True)
    counted_first = ChunkedLines(text)
    assert len(counted_first) == text.count("\n") + 1
    doc = Document.from_text(text)
    Prefilter(KEYS, engine=engine).scan(doc)
    assert doc.chunked is not None and doc.chunked._first is not None   # numbered by the scan
    assert len(doc.lines) == len(counted_first) and list(doc.lines) == text.split("\n")


@pytest.mark.parametrize("engine", ["ahocorasick", *(["hyperscan"] if hyperscan else [])])
def test_prefilter_hits_in_a_chunked_document_equal_those_of_a_paste(small_chunks, engine, monkeypatch):
    text = random_text(2, 400, False)
    chunked = Document.from_text(text)
    assert chunked.chunked is not None
    document.MAX_JOIN_CHARS = 10**9  # the same text, read as a paste
    monkeypatch.setattr(layout, "wrap_width", lambda lines: 0)   # a paste's own repairs are not the point here
    whole = Document.from_text(text)
    assert whole.chunked is None
    prefilter = Prefilter(KEYS, engine=engine)
    assert prefilter.scan(chunked) == prefilter.scan(whole)


def test_windows_line_ends_and_long_lines_in_a_big_text(small_chunks):
    lf_text = random_text(3, 100, True)
    crlf, lf = Document.from_text(lf_text.replace("\n", "\r\n")), Document.from_text(lf_text)
    assert crlf.chunked is not None and list(crlf.lines) == list(lf.lines)
    assert Prefilter(KEYS).scan(crlf) == Prefilter(KEYS).scan(lf)
    long_line = Document.from_text("x" * (document.MAX_LINE_CHARS + 10) + "\n" + random_text(4, 50, True))
    assert long_line.chunked is None   # over-long lines are hard-wrapped, which needs the whole split
    assert len(long_line.lines[0]) == document.MAX_LINE_CHARS


def test_blank_big_text_is_blank(small_chunks):
    assert Document.from_text(' \n"" = :\n' * 400).is_blank
    assert not Document.from_text(' \n"" = :\n' * 400 + "x").is_blank


def test_a_response_deep_in_a_big_log_is_found_after_thousands_of_via_headers(small_chunks):
    """Every SIP message has Via headers with "SIP/2.0"; they must not use up the lines the prefilter keeps."""
    message = ["|INVITE sip:a@example.com SIP/2.0", "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK1",
               "Via: SIP/2.0/TLS 192.0.2.11:5061;branch=z9hG4bK2", "Call-ID: 1@192.0.2.10", ""]
    lines = message * 1000 + ["|SIP/2.0 603 Decline", "Via: SIP/2.0/TLS 192.0.2.10:5061;branch=z9hG4bK1"]
    doc = Document.from_text("\n".join(lines))
    assert doc.chunked is not None
    facts = extract_facts(doc, trigger_groups(doc))
    assert (603, len(lines) - 2) in facts.sip_codes


def trigger_groups(doc: Document) -> dict[str, list[int]]:
    hits = Prefilter(KEYS).scan(doc)
    return {group: sorted({i for k in keys for i in hits.get(k, ())}) for group, keys in TRIGGER_SKELETONS.items()}


@pytest.mark.parametrize("size", [6_000_000])
def test_a_real_size_log_is_chunked_and_diagnosed_like_a_paste(size):
    record = ('2024-05-14T09:00:01.000+02:00 expe tvcs: UTCTime="2024-05-14 07:00:01,000" Module="network.tcp" '
              'Level="DEBUG":  Src-ip="198.51.100.10" Src-port="5061" Dst-ip="203.0.113.9" Dst-port="5061" '
              'Detail="TCP Connection Established"\n')
    needle = ('2024-05-14T09:10:01.000+02:00 expe tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" '
              'Src-ip="203.0.113.45" Src-port="41233" Dst-ip="198.51.100.10" Dst-port="5062" '
              'Detail="self signed certificate in certificate chain" Protocol="TLS" Level="1"\n')
    head = record * (size // len(record) // 2)
    text = head + needle + head
    engine = Engine()
    big = engine.diagnose(text)
    small = engine.diagnose(record * 20 + needle + record * 20)
    assert Document.from_text(text).chunked is not None
    assert [d.entry.id for d in big.diagnoses] == [d.entry.id for d in small.diagnoses] != []
    assert big.line_count == text.count("\n") + 1
    needle_line = head.count("\n") + 1
    assert any(e.line == needle_line for e in big.diagnoses[0].evidence)
