"""The pastes in samples/ (offered on the local page and listed in the README) each get the answer they are
named for, and use only invented values: RFC 5737 addresses and .example domains besides Webex's own names."""
from __future__ import annotations

import ipaddress
import re
from pathlib import Path

import pytest

from matchers import Outcome

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"

# file -> the entry that must head the answer, or None for a vague question that must get a differential
EXPECTED: dict[str, str | None] = {
    "inbound-tls-failure.txt": "tls-inbound-mapping-off",
    "outbound-404-search-rule.txt": "out-search-rule-priority",
    "xconfiguration-expc-preloaded-routes-off.txt": "in-preloaded-sip-routes-off",
    "control-hub-dns-lookup-failed.txt": "in-sip-destination-dns-unresolvable",
    "tcpdump-syn-answered-by-rst.txt": "in-expe-not-listening-5062",
    "sip-audio-refused-g729.txt": "bi-unsupported-audio-codec",
    "question-chinese-403-cpl.txt": "out-cpl-misconfig",
    "question-desk-phone-never-rings.txt": None,
}
DOCUMENTATION_NETS = [ipaddress.ip_network(n) for n in ("192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
WEBEX_DOMAINS = ("webex.com", "ciscospark.com", "wbx2.com")
_IPV4 = re.compile(r"(?<![\d.])\d{1,3}(?:\.\d{1,3}){3}(?![\d])")
_DOMAIN = re.compile(r"[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|io|example)\b", re.IGNORECASE)


def _text(name: str) -> str:
    return (SAMPLES / name).read_text(encoding="utf-8")


def test_every_sample_has_an_expected_answer():
    assert {p.name for p in SAMPLES.glob("*.txt")} == set(EXPECTED)


@pytest.mark.parametrize(("name", "expected"), EXPECTED.items())
def test_sample_gets_the_answer_it_is_named_for(engine, name, expected):
    report = engine.diagnose(_text(name))
    if expected is None:
        # vague: no single diagnosis, a differential led by the inbound problems the symptom names
        assert report.outcome is Outcome.TRIAGE and not report.diagnoses
        assert [c.id for c in report.candidates][:1] == ["in-preloaded-sip-routes-off"]
        assert sum(c.id.startswith("in-") for c in report.candidates) >= 2
    else:
        assert report.outcome is Outcome.MATCH
        assert report.diagnoses[0].entry.id == expected
        assert report.diagnoses[0].confidence >= 0.7


@pytest.mark.parametrize("name", EXPECTED)
def test_sample_values_are_invented(name):
    text = _text(name)
    for address in _IPV4.findall(text):
        assert any(ipaddress.ip_address(address) in net for net in DOCUMENTATION_NETS), address
    for match in _DOMAIN.finditer(text):
        domain = match.group(0).lower()
        assert domain.endswith(".example") or domain.endswith(WEBEX_DOMAINS), domain


def test_readme_points_to_every_sample():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "samples/" in readme
    missing = [name for name in EXPECTED if f"`{name}`" not in readme]
    assert not missing, missing
