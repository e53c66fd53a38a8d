"""The prefilter finds the same lines whichever matcher runs it, and its hits map to the right lines."""
from __future__ import annotations

import pytest

from matchers.document import Document
from matchers.normalize import skeleton
from matchers.prefilter import Prefilter, hyperscan

KEYS = [skeleton(k) for k in ("TCP Connection Failed", "self signed certificate", "Handshake succeeded", "SIP/2.0")]
TEXT = "\n".join([
    'Detail="TCP Connection Failed" Dst-port="5062"',
    "nothing here",
    "Detail=\"Handshake succeeded\"  and again Handshake succeeded",
    "SIP/2.0 200 OK",
    'Detail="se1f signed certificate in certificate chain"',
    "déjà vu, non-ASCII text before a hit: TCP Connectlon Failed",
])


def test_ahocorasick_hits_are_on_the_right_lines():
    hits = Prefilter(KEYS, engine="ahocorasick").scan(Document.from_text(TEXT))
    assert hits[skeleton("TCP Connection Failed")] == [0, 5]
    assert hits[skeleton("Handshake succeeded")] == [2]
    assert hits[skeleton("self signed certificate")] == [4]


@pytest.mark.skipif(hyperscan is None, reason="Hyperscan has wheels for x86-64 only")
def test_hyperscan_finds_exactly_what_ahocorasick_finds():
    doc = Document.from_text(TEXT * 50)
    assert Prefilter(KEYS, engine="hyperscan").scan(doc) == Prefilter(KEYS, engine="ahocorasick").scan(doc)


def test_hits_per_key_are_capped_so_huge_logs_stay_cheap():
    from matchers.prefilter import MAX_LINES_PER_KEY

    doc = Document.from_text("TCP Connection Failed\n" * (MAX_LINES_PER_KEY + 50))
    hits = Prefilter(KEYS).scan(doc)
    assert len(hits[skeleton("TCP Connection Failed")]) == MAX_LINES_PER_KEY


def test_scanning_from_many_threads_at_once_is_safe():
    from concurrent.futures import ThreadPoolExecutor

    prefilter = Prefilter(KEYS)
    doc = Document.from_text(TEXT * 2000)
    expected = prefilter.scan(doc)
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(lambda _: prefilter.scan(doc), range(60)))
    assert all(r == expected for r in results)
