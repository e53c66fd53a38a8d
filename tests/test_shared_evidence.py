"""Evidence the guide says fits look-alikes just as well (a Control Hub socket failure, a bare "certificate unknown")
gives at most a "possible" answer that names the look-alikes and what separates them; evidence that decides does not."""
from __future__ import annotations

import pytest

from bot.render.markdown import report_markdown
from matchers import KnowledgeBaseErrors, load_knowledge_base
from matchers.ambiguity import SHARED_CAP
from tests.kb_demo import GOOD, write_entry

SOCKET = ("Verify SIP Destination\nDNS Lookup | Success\nConnecting to IP | Successful\nSocket test | Failed | TCP "
          "Connection failure: Check network connectivity, connection speed, and/or firewall configuration.\n")
CERT_UNKNOWN = ('2026-10-17T07:55:41.090+10:00 ex-e tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" '
                'Src-ip="146.20.193.70" Src-port="36620" Dst-ip="198.51.100.23" Dst-port="5062" '
                'Detail="sslv3 alert certificate unknown" Protocol="TLS" Level="1"\n')
TRIO = {"tls-expe-incomplete-cert-chain", "tls-stale-control-hub-certs", "tls-expe-default-selfsigned-cert"}


def test_a_socket_failure_alone_names_both_5062_problems(engine):
    report = engine.diagnose(SOCKET)
    top = report.diagnoses[0]
    assert top.entry.id in {"in-port-5062-blocked", "in-expe-not-listening-5062"}
    assert top.confidence <= SHARED_CAP
    other, by = top.ambiguous_with[0]
    assert other in {"in-port-5062-blocked", "in-expe-not-listening-5062"} - {top.entry.id}
    assert "SYN" in by   # the capture on the Expressway-E is what separates them


def test_control_hubs_banner_over_a_failed_test_decides_nothing(engine):
    top = engine.diagnose("Your SIP Destination is not configured correctly. View test result\n" + SOCKET).diagnoses[0]
    assert top.confidence <= SHARED_CAP and top.ambiguous_with


def test_a_bare_certificate_unknown_names_the_three_problems_that_share_it(engine):
    top = engine.diagnose(CERT_UNKNOWN).diagnoses[0]
    assert top.entry.id in TRIO and top.confidence <= SHARED_CAP
    assert {other for other, _ in top.ambiguous_with} == TRIO - {top.entry.id}


@pytest.mark.parametrize(("extra", "entry_id"), [
    ("The capture on the Expressway-E shows no SYN from Webex at all.", "in-port-5062-blocked"),
    ("tcpdump on the E: every SYN from Webex to 5062 is answered with RST by the Expressway-E.",
     "in-expe-not-listening-5062"),
])
def test_evidence_that_decides_is_not_capped(engine, extra, entry_id):
    top = engine.diagnose(SOCKET + extra).diagnoses[0]
    assert top.entry.id == entry_id and top.confidence > SHARED_CAP


def test_the_chain_stated_complete_decides_for_stale_control_hub_certificates(engine):
    text = CERT_UNKNOWN + ("Our chain is complete, but Control Hub still lists 3 old certificates for encrypted "
                           "SIP calls.")
    top = engine.diagnose(text).diagnoses[0]
    assert top.entry.id == "tls-stale-control-hub-certs" and top.confidence > SHARED_CAP


def test_the_reply_says_what_else_fits_before_the_steps(engine):
    reply = report_markdown(engine.diagnose(SOCKET))
    assert "fits `in-" in reply and "explain in-" in reply
    assert reply.index("fits `") < reply.index("**Resolution:**")


def test_an_unknown_shared_with_id_is_refused(tmp_path):
    text = GOOD.replace("    weight: 0.8\n", "    weight: 0.8\n    shared_with: [no-such-entry]\n")
    with pytest.raises(KnowledgeBaseErrors) as info:
        load_knowledge_base(write_entry(tmp_path, text), use_cache=False)
    assert "unknown entry id 'no-such-entry'" in str(info.value)



def test_a_shared_line_the_writer_rules_one_look_alike_out_of_names_the_other(engine):
    text = ("the TLS verify subject name on the webex zone is callservice.webex.com, checked twice, no typo. "
            "the E keeps logging\nDetail=\"Peer's TLS certificate identity was unacceptable\"\nfor webex on 5062")
    top = engine.diagnose(text).diagnoses[0]
    assert top.entry.id == "tls-inbound-mapping-off"
