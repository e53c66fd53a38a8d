"""Engine behaviour users rely on: look-alikes told apart, ambiguity stated, several problems, abstention."""
from __future__ import annotations

from matchers import Outcome

IDENTITY = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.29" Src-port="50544" '
            'Dst-ip="198.51.100.62" Dst-port="5062" Detail="Peer\'s TLS certificate identity was unacceptable" '
            'Protocol="TLS" Level="1"\n')
ZONE = ('*c xConfiguration Zones Zone 5 DNS SIP TLS Verify Mode: "On"\n'
        '*c xConfiguration Zones Zone 5 DNS SIP TLS Verify Subject Name: "{name}"\n'
        '*c xConfiguration Zones Zone 5 DNS SIP TLS Verify InboundClassification: "{mapping}"\n')


def ids(report):
    return [d.entry.id for d in report.diagnoses]


def test_bare_shared_line_names_the_look_alike_and_what_decides(engine):
    report = engine.diagnose(IDENTITY)
    top = report.diagnoses[0]
    assert top.entry.id in {"tls-wrong-verify-subject-name", "tls-inbound-mapping-off"}
    others = dict(top.ambiguous_with)
    other = ({"tls-wrong-verify-subject-name", "tls-inbound-mapping-off"} - {top.entry.id}).pop()
    assert other in others and "InboundClassification" in others[other]


def test_inbound_mapping_off_with_correct_subject_name_is_not_a_wrong_name(engine):
    report = engine.diagnose(IDENTITY + ZONE.format(name="callservice.ciscospark.com", mapping="Off"))
    assert ids(report)[0] == "tls-inbound-mapping-off"
    assert "tls-wrong-verify-subject-name" not in ids(report)


def test_near_miss_subject_name_quotes_found_and_expected_values(engine):
    report = engine.diagnose(IDENTITY + ZONE.format(name="calllservice.ciscospark.com", mapping="On"))
    top = report.diagnoses[0]
    assert top.entry.id == "tls-wrong-verify-subject-name"
    values = [e.values for e in top.evidence if "expected" in e.values]
    assert values and values[0]["value"] == "calllservice.ciscospark.com"
    assert "callservice.ciscospark.com" in values[0]["expected"]


def test_newer_webex_domain_subject_name_is_accepted(engine):
    report = engine.diagnose(IDENTITY + ZONE.format(name="callservice.webex.com", mapping="Off"))
    assert ids(report)[0] == "tls-inbound-mapping-off"


def test_two_independent_problems_are_both_reported(engine):
    untrusted = IDENTITY.replace("Peer's TLS certificate identity was unacceptable",
                                 "self signed certificate in certificate chain")
    cpl = ('Detail="CPL: <rule unauthenticated-origin=".*" destination=".*@acme\\.calls\\.webex\\.com.*"> '
           'matched "\nDetail="CPL: <reject/> "\n')
    text = untrusted + cpl
    found = ids(engine.diagnose(text))
    assert {"tls-expe-untrusted-webex-ca", "out-cpl-misconfig"} <= set(found[:3])


def test_evidence_carries_line_numbers_quotes_and_extracted_values(engine):
    report = engine.diagnose("hello\n" + IDENTITY)
    ev = [e for e in report.diagnoses[0].evidence if e.line == 2][0]
    assert ev.quote.startswith('Event="Inbound TLS Negotiation Error"')
    assert ev.values["src-ip"] == "203.0.113.29" and ev.values["dst-port"] == "5062"


def test_healthy_and_unrelated_input_abstains(engine):
    healthy = ('Module="developer.ssl" Level="DEBUG" Method="::ttssl_continueHandshake" Detail="Handshake succeeded"\n'
               'Detail="Searched for DNS Zones by Subject Name" Found="True" MatchedZone="Hybrid Call Services DNS"\n')
    for text in (healthy, "can you book the big meeting room for friday?", "thanks, works now!"):
        report = engine.diagnose(text)
        assert report.outcome is Outcome.NO_MATCH and not report.diagnoses


def test_b2b_context_with_the_same_error_string_abstains(engine):
    b2b = IDENTITY.replace('Dst-port="5062"', 'Dst-port="5061"')
    b2b = b2b.replace("Peer's TLS certificate identity was unacceptable", "sslv3 alert certificate unknown")
    assert not engine.diagnose("Our B2B partner cannot call our video rooms:\n" + b2b).diagnoses


def test_question_with_sip_code_in_words(engine):
    asked = "why 603 decline after the webex user answers? cucm never sends the ACK"
    assert ids(engine.diagnose(asked))[0] == "bi-cucm-max-incoming-msg-size"


def test_bare_603_question_is_not_the_message_size_problem(engine):
    # 603 Decline is also a user declining, Do Not Disturb or a carrier; the size limit needs no-ACK context
    assert "bi-cucm-max-incoming-msg-size" not in ids(engine.diagnose("why 603 decline?"))
    assert "bi-cucm-max-incoming-msg-size" not in ids(engine.diagnose("The Webex user declined the call: 603 Decline"))


def test_extra_facts_from_non_text_evidence_join_the_decision(engine):
    from matchers.evidence import Fact

    text = 'Event="Inbound TLS Negotiation Error" Dst-port="5062" Detail="sslv3 alert certificate unknown"\n' \
           "certificate file expe.pem: 1 certificate, no chain\n"
    report = engine.diagnose(text, extra_facts=[Fact("cert_chain_leaf_only", "1", 1)])
    assert ids(report)[0] == "tls-expe-incomplete-cert-chain"


def test_a_value_in_a_phrase_stands_after_its_name(engine):
    # "m=audio 0" is the refused audio line; an accepted one with payload type 0 (G.711) further on is not
    accepted = ("The webex 200 OK answers m=audio 52118 RTP/SAVP 0 101 and the call stays up but nobody hears "
                "anything. webex hybrid call")
    assert "bi-unsupported-audio-codec" not in ids(engine.diagnose(accepted))
    assert ids(engine.diagnose("the webex 200 OK has m=audio 0 for the audio line, why?"))[0] == \
        "bi-unsupported-audio-codec"
