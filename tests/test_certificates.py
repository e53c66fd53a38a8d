"""Certificates: the checks with their values, the facts they feed, and PEM pasted in a message."""
from __future__ import annotations

import datetime as dt

import pytest
from cryptography.x509.oid import ExtendedKeyUsageOID

from matchers.evidence.certificate.checks import run_checks
from matchers.evidence.certificate.lines import analyse, expand_pem_blocks
from matchers.evidence.certificate.load import CertificateError, find_pem_blocks, load_certificates
from tests.evidence_builders import NOW, factory_certificate, issue, public_chain, webex_chain

CERT_UNKNOWN_LOG = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.45" Src-port="41022" '
                    'Dst-ip="198.51.100.80" Dst-port="5062" Detail="sslv3 alert certificate unknown" Protocol="TLS"')


def checks_of(*pems: str):
    return analyse(load_certificates("".join(pems).encode()))


def check(analysis, name: str, certificate: int = 1):
    return next(c for c in analysis.checks if c.name == name and c.certificate == certificate)


def facts(analysis) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in analysis.facts:
        out.setdefault(f.name, []).append(f.value)
    return out


def test_factory_certificate_is_named_with_its_values():
    _, leaf = factory_certificate("expe-lab")
    a = checks_of(leaf.pem)
    issuer = check(a, "issuer")
    assert issuer.passed is False
    assert "Temporary CA 3f9a0c27" in issuer.summary and "no SAN" in issuer.summary
    assert check(a, "names").passed is False
    assert check(a, "names").values["san"] == "none"
    assert set(facts(a)) >= {"cert_expressway_temporary", "cert_no_san"}
    assert "Netscape Comment: Temporary Certificate" in a.lines[0]
    assert "issuer CN=Temporary CA 3f9a0c27" in a.lines[0]


def test_public_chain_is_complete_and_leaf_passes_every_check():
    root, inter, leaf = public_chain("expe.contoso.example")
    a = checks_of(leaf.pem, inter.pem, root.pem)
    assert all(c.passed is not False for c in a.checks), [c for c in a.checks if c.passed is False]
    chain = check(a, "chain", 0)
    assert chain.passed is True and chain.values["certificates"] == "3"
    assert "expe.contoso.example -> DigiCert Global G2" in chain.summary
    assert facts(a)["cert_chain_full"] == ["3"]
    assert check(a, "issuer").passed is True   # DigiCert: a public CA


def test_leaf_with_a_root_but_no_intermediate_is_leaf_only():
    root, _, leaf = public_chain()
    a = checks_of(leaf.pem, root.pem)
    chain = [c for c in a.checks if c.name == "chain" and c.passed is False]
    assert chain and "DigiCert Global G2" in chain[0].values["missing"]
    assert facts(a)["cert_chain_leaf_only"] == ["1"]


def test_a_single_certificate_says_nothing_about_the_chain():
    _, _, leaf = public_chain()
    a = checks_of(leaf.pem)
    assert not [c for c in a.checks if c.name == "chain"]
    assert not {"cert_chain_leaf_only", "cert_chain_full"} & set(facts(a))


def test_expired_and_not_yet_valid_certificates_fail_with_dates():
    expired = issue("expe.old.example", sans=("expe.old.example",), not_before=NOW - dt.timedelta(days=800),
                    not_after=NOW - dt.timedelta(days=3))
    future = issue("expe.new.example", sans=("expe.new.example",), not_before=NOW + dt.timedelta(days=2))
    a = checks_of(expired.pem, future.pem)
    old = check(a, "validity", 1)
    assert old.passed is False and "expired on" in old.summary and old.values["expired_days_ago"] in {"3", "2"}
    assert check(a, "validity", 2).passed is False
    assert "not valid yet" in check(a, "validity", 2).summary
    assert facts(a)["cert_expired"] == ["expressway"]
    assert facts(a)["cert_not_yet_valid"] == ["expressway"]


def test_missing_client_authentication_fails_the_mutual_tls_check():
    leaf = issue("expe.contoso.example", sans=("expe.contoso.example",), eku=(ExtendedKeyUsageOID.SERVER_AUTH,))
    a = checks_of(leaf.pem)
    usage = check(a, "key_usage")
    assert usage.passed is False
    assert usage.values["missing"] == "TLS Web Client Authentication"
    assert facts(a)["cert_eku_incomplete"] == ["client_auth"]


def test_webex_certificate_needs_a_callservice_san():
    _, _, webex = webex_chain()
    a = checks_of(webex.pem)
    names = check(a, "names")
    assert names.passed is True and "callservice.ciscospark.com" in names.summary
    wrong = issue("l2sip-x.wbx2.com", sans=("l2sip-x.wbx2.com",))
    assert check(checks_of(wrong.pem), "names").passed is False


def test_self_signed_and_private_ca_certificates_point_to_control_hub():
    own = issue("expe.fabrikam.example", sans=("expe.fabrikam.example",))
    a = checks_of(own.pem)
    assert check(a, "issuer").passed is False and "Control Hub" in check(a, "issuer").summary
    assert facts(a)["cert_private_ca"] == ["self_signed"]
    corp_root = issue("Fabrikam Issuing CA", ca=True)
    leaf = issue("expe.fabrikam.example", issuer=corp_root, sans=("expe.fabrikam.example",))
    b = checks_of(leaf.pem)
    assert check(b, "issuer").passed is None and "Certificates for Encrypted SIP Calls" in check(b, "issuer").summary
    assert facts(b)["cert_private_ca"] == ["private_ca"]


def test_der_and_damaged_input():
    _, _, leaf = public_chain()
    assert load_certificates(leaf.der)[0].subject == leaf.cert.subject
    with pytest.raises(CertificateError):
        load_certificates(b"hello, not a certificate")
    with pytest.raises(CertificateError):
        load_certificates(b"-----BEGIN CERTIFICATE-----\nnot base64!!\n-----END CERTIFICATE-----\n")
    infos, checks, errors = run_checks(load_certificates(leaf.pem.encode()), now=NOW)
    assert len(infos) == 1 and checks and not errors


def test_pem_blocks_found_with_chat_decoration_and_on_one_line():
    _, _, leaf = public_chain()
    quoted = "\n".join("> " + line for line in leaf.pem.splitlines())
    flat = leaf.pem.replace("\n", " ")
    assert [b.der for b in find_pem_blocks(quoted)] == [leaf.der]
    assert [b.der for b in find_pem_blocks(flat)] == [leaf.der]


def test_expanding_pem_keeps_the_line_count_and_points_facts_at_described_lines():
    _, leaf = factory_certificate()
    text = f"our expe cert:\n{leaf.pem}thanks\n"
    expanded, found, analysis = expand_pem_blocks(text)
    assert analysis is not None
    assert expanded.count("\n") == text.count("\n")
    lines = expanded.split("\n")
    fact = next(f for f in found if f.name == "cert_expressway_temporary")
    assert lines[fact.line].startswith("Certificate 1: subject CN=expe-lab")
    assert "-----BEGIN CERTIFICATE-----" in lines[1]


def test_pasted_factory_certificate_is_diagnosed_on_its_own_line(engine):
    _, leaf = factory_certificate()
    report = engine.diagnose(f"is this cert ok?\n{leaf.pem}")
    top = report.diagnoses[0]
    assert top.entry.id == "tls-expe-default-selfsigned-cert"
    assert top.evidence[0].line == 3   # the first body line of the PEM block now describes the certificate
    assert "Temporary CA" in top.evidence[0].quote
    assert "certificate" in report.evidence_kinds


def test_certificate_plus_log_line_gives_one_combined_answer(engine):
    root, inter, leaf = public_chain()
    leaf_only = engine.diagnose(f"{CERT_UNKNOWN_LOG}\nwhat our Expressway-E sends:\n{leaf.pem}{root.pem}")
    assert leaf_only.diagnoses[0].entry.id == "tls-expe-incomplete-cert-chain"
    assert any(e.signal == "leaf_only" for e in leaf_only.diagnoses[0].evidence)
    full = engine.diagnose(f"{CERT_UNKNOWN_LOG}\nwhat our Expressway-E sends:\n{leaf.pem}{inter.pem}{root.pem}")
    assert "tls-expe-incomplete-cert-chain" not in [d.entry.id for d in full.diagnoses]
    assert full.diagnoses and full.diagnoses[0].entry.id == "tls-stale-control-hub-certs"


def test_fact_lines_survive_lines_the_document_joins(engine):
    """An open quote before the PEM block makes the document join two lines; facts still land on their line."""
    _, leaf = factory_certificate()
    report = engine.diagnose('Detail="sslv3 alert certificate\nunknown" seen twice\nthe cert:\n' + leaf.pem)
    parsed = next(e for e in report.diagnoses[0].evidence if e.signal == "factory_cert_parsed")
    assert parsed.line == 5 and parsed.quote.startswith("Certificate 1: subject CN=expe-lab")
