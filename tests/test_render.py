"""The reply as people read it: markdown that fits a Webex message, or splits cleanly."""
from __future__ import annotations

from bot.render.markdown import WEBEX_MESSAGE_LIMIT, report_markdown, split_message
from bot.render.text import report_text

MULTI = """Inbound:
Event="Inbound TLS Negotiation Error" Dst-port="5062" Detail="self signed certificate in certificate chain"
Outbound:
Detail="CPL: <rule unauthenticated-origin=".*" destination=".*@acme\\.calls\\.webex\\.com.*"> matched "
Detail="CPL: <reject/> "
*c xConfiguration Zones Zone 4 DNS SIP TLS Verify Subject Name: "calllservice.ciscospark.com"
"""


def test_markdown_reply_names_every_problem_with_steps_and_quotes(engine):
    text = report_markdown(engine.diagnose(MULTI))
    assert "Diagnosis 1 of" in text
    assert "Expressway-E does not trust" in text
    assert "**Resolution:**" in text and "\n1. " in text
    assert "`Event=\"Inbound TLS Negotiation Error\"" in text
    assert "found `calllservice.ciscospark.com`, expected" in text


def test_inferred_steps_are_marked(engine, kb):
    inferred = [e for e in kb if any(s.inferred for s in e.steps)]
    assert inferred
    example = inferred[0].positive_examples[0]
    report = engine.diagnose(example)
    if report.diagnoses and report.diagnoses[0].entry.id == inferred[0].id:
        assert "inferred: not stated in the source guide" in report_markdown(report)


def test_no_match_says_what_would_help(engine):
    text = report_markdown(engine.diagnose("thanks, all sorted now"))
    assert text.startswith("No documented Hybrid Call Service Connect problem")
    assert "developer.ssl" in text and "xConfiguration" in text


def test_long_replies_split_on_boundaries_under_the_webex_limit():
    block = "\n".join(f"{n}. step number {n} " + "é" * 40 for n in range(1, 400))
    parts = split_message(f"### Diagnosis\n\n{block}\n\n---\n\n### Second\n\nshort", WEBEX_MESSAGE_LIMIT)
    assert len(parts) > 1
    assert all(len(p.encode()) <= WEBEX_MESSAGE_LIMIT for p in parts)
    rejoined = "\n".join(parts)
    assert all(f"{n}. step number {n} " in rejoined for n in range(1, 400))
    assert all(not p.startswith("\n") for p in parts)


def test_one_giant_line_is_cut_without_breaking_characters():
    parts = split_message("é" * 10_000, 1000)
    assert all(len(p.encode()) <= 1000 for p in parts)
    assert "".join(parts) == "é" * 10_000


def test_text_format_for_terminals(engine):
    out = report_text(engine.diagnose(MULTI))
    assert "tls-expe-untrusted-webex-ca" in out and "evidence (" in out


# ---------------------------------------------------------------- pass and fail in words as well as marks
def _near_expiry_private_chain() -> bytes:
    import datetime as dt

    from cryptography.x509.oid import ExtendedKeyUsageOID

    from tests.evidence_builders import NOW, issue

    root = issue("Acme Private Root CA", org="Acme", ca=True)
    leaf = issue("expe01.acme.example", issuer=root, sans=("expe01.acme.example",),
                 eku=(ExtendedKeyUsageOID.SERVER_AUTH,), not_after=NOW + dt.timedelta(days=10))
    return (leaf.pem + root.pem).encode()


def test_certificate_checks_say_pass_fail_warning_and_info_in_words():
    import re

    from bot.render.evidence import evidence_markdown, evidence_text
    from matchers.evidence.intake import read_file

    piece = read_file("expe.pem", _near_expiry_private_chain())
    shown = evidence_markdown(piece)
    rows = [line for line in shown.splitlines() if line.startswith("  - ")]
    assert rows and all(re.match(r"  - (✅ pass|❌ fail|⚠️ warning|ℹ️ info) · ", r) for r in rows), rows
    assert "⚠️ warning · validity: " in shown and "renew soon, " in shown
    assert "❌ fail · key usage: " in shown
    assert "ℹ️ info · issuer: " in shown and "✅ pass · names: " in shown
    text = evidence_text(piece)
    assert "WARN validity: " in text and "FAIL key_usage: " in text and "PASS names: " in text
    assert [c["passed"] for c in (c.as_dict() for c in piece.checks) if c["name"] == "validity"][0] is True


def test_failing_calls_are_marked_in_words():
    from bot.chat.responder import calls_markdown
    from bot.render.calls import call_views
    from matchers import read_evidence
    from tests.call_logs import Log, Site, inbound

    log = Log()
    for n, reject in enumerate((False, True)):
        inbound(log, Site(), n * 2.0, 400 + n, reject_at_c=reject)
    views = call_views(read_evidence(files=[("expe.log", "\n".join(log.lines()).encode())]).pieces)
    rows = calls_markdown(views).splitlines()[1:]
    assert [r.startswith("- ❌ failed `") for r in rows] == [False, True]


def test_the_part_of_a_quote_that_matched_is_marked(engine):
    from bot.render.markdown import report_markdown
    text = ('2026-11-04T10:00:00.000+00:00 expe tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" '
            'Src-ip="146.20.193.70" Src-port="33441" Dst-ip="192.0.2.2" Dst-port="5062" '
            'Detail="Peer\'s TLS certificate identity was unacceptable" Protocol="TLS" Level="1"\n')
    assert "**`Peer's TLS certificate identity was unacceptable`**" in report_markdown(engine.diagnose(text))
