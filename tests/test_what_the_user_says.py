"""What the writer says counts: a denied state is not a mention, an explicit "this is not Hybrid Call" overrides
generic symptoms (and the no-match says why), and a cause told in words reaches its entry."""
from __future__ import annotations

import pytest

from matchers.negation import content_words
from matchers.phrases import STOPWORDS, PhraseIndex, Prose
from matchers.statements import is_prose, stated_context


def _listed(report) -> list[str]:
    return [d.entry.id for d in report.diagnoses] + [c.id for c in report.candidates]


@pytest.mark.parametrize("text", [
    "the Control Hub certificate list is not empty, we uploaded the CA there",
    "there are no errors on the E",
    "port 5062 isn't blocked, the firewall team checked",
    "the tcpdump is not empty",
])
def test_a_denied_state_is_reassurance(text):
    sequence, denied = content_words(text.lower(), STOPWORDS)
    assert denied, "the clause that denies a state must be read as reassurance"


@pytest.mark.parametrize("text", [
    "calls from webex don't ring the desk phone",
    "the new certificate won't have client authentication",
    "the expressway-e is not listening on 5062",
    "I'm not sure why the call fails",
])
def test_a_denied_action_is_the_symptom(text):
    assert content_words(text.lower(), STOPWORDS)[1] == set()


@pytest.mark.parametrize(("text", "kept"), [
    ("dns ok, socket test ok, but ssl handshake failed", ["but", "ssl", "handshake", "failed"]),
    ("5062 is open both ways, srv resolves. the e sends an alert", ["e", "sends", "alert"]),
    ("hybrid calls set up fine (ringing) but no audio", ["hybrid", "calls", "ringing", "but", "no", "audio"]),
])
def test_a_clause_that_says_a_part_works_is_reassurance(text, kept):
    sequence, denied = content_words(text, STOPWORDS)
    assert [w for i, w in enumerate(sequence) if i not in denied] == kept


@pytest.mark.parametrize("text", ["the webex 200 ok has m=audio 0", "is the socket test ok?",
                                  "the socket test passes only after a reboot", "dns ok but the socket test fails"])
def test_a_response_a_question_or_a_doubt_is_not_reassurance(text):
    sequence, denied = content_words(text, STOPWORDS)
    assert not any(sequence[i] in {"audio", "socket", "test", "fails"} for i in denied), [sequence[i] for i in denied]


def test_the_parts_said_to_work_do_not_decide_the_answer(engine):
    report = engine.diagnose("Control Hub SIP destination test: DNS ok, socket test ok, but SSL Handshake failed. "
                             "What's wrong with our side?")
    assert "in-port-5062-blocked" not in [d.entry.id for d in report.diagnoses][:1]


def test_a_phrase_is_not_said_by_a_line_that_denies_it():
    index = PhraseIndex(["tcpdump empty", "nothing on 5062"])
    denied = Prose.from_lines(["the tcpdump on the E is not empty, we see SYNs"], index=index)
    assert "tcpdump empty" not in denied.matched
    assert "tcpdump empty" in Prose.from_lines(["the tcpdump on the E is empty"], index=index).matched
    # a phrase that is negative itself is said by the denial
    assert "nothing on 5062" in Prose.from_lines(["there is nothing on 5062"], index=index).matched


def test_a_no_in_a_table_column_denies_nothing():
    index = PhraseIndex(["any alias"])
    row = "10        Webex to CUCM      SIP       Datum Webex DNS      No       Any alias     Prefix"
    assert "any alias" in Prose.from_lines([row], index=index).matched


def test_reassurance_leaves_the_rest_of_the_message_to_decide(engine):
    report = engine.diagnose("The tcpdump on the Expressway-E is not empty: the Webex SYNs arrive on 5062, then the "
                             "E logs 'sslv3 alert certificate unknown' for every inbound call from Webex.")
    assert "in-port-5062-blocked" not in [d.entry.id for d in report.diagnoses]


@pytest.mark.parametrize(("text", "said"), [
    ("In Webex Meetings nobody can hear me when I join from my laptop", "Webex Meetings"),
    ("The CA chain that signed the Expressway-C certificate must be in the tomcat-trust and CallManager-trust of "
     "CUCM", "between Unified CM and the Expressway-C"),
    ("The Webex cloud rejects any attempt at registration from the Expressway web interface", "registering the "
     "Expressway"),
    ("How do I schedule a recurring Webex meeting and let someone else host it?", "Webex Meetings"),
    ("we don't use hybrid call, this is a B2B partner call and it gets 603 Decline", "not Webex Hybrid Call"),
    ("this is a B2B partner call, the far end answers 603 Decline", "business-to-business"),
    ("it's an MRA call from Jabber and the E logs sslv3 alert certificate unknown", "Mobile and Remote Access"),
    ("Single Number Reach rings twice on my mobile, why?", "Single Number Reach"),
    ("Webex Meetings dial-in from our CUCM fails with 404 Not Found", "Webex meeting"),
    ("our Webex Calling local gateway gets a TLS alert unknown ca on 5062", "Webex Calling"),
    ("We're on Webex Calling - the cloud PBX, no CUCM. Incoming calls ring the app but not the MPP phone",
     "Webex Calling"),
    ("We don't have Call Service Connect; the app registers to CUCM as a softphone and calls drop", "not Webex Hybrid"),
])
def test_an_explicit_other_context_is_a_no_match_that_says_why(engine, text, said):
    report = engine.diagnose(text)
    assert str(report.outcome) == "no_match" and not report.diagnoses and not report.candidates
    assert said in report.message


@pytest.mark.parametrize("text", [
    "outbound calls from desk phones to Webex fail on port 5061. Isn't Hybrid Call supposed to use 5062?",
    "we run hybrid call on an expressway pair that also carries B2B, is that supported?",
    "the user doesn't have hybrid call enabled yet?",
    "we use Webex Calling and Hybrid Call Service Connect side by side, inbound calls get 404",
    "This is for Hybrid Call Service Connect (not Webex Calling). What versions do we need?",
    "we have call service connect enabled for this user but the desk phone never rings",
])
def test_mentions_that_are_not_statements_of_another_context(text):
    assert stated_context([text.lower()]) is None


def test_hybrid_evidence_in_the_paste_decides_over_the_words(engine):
    log = ('2026-11-02T10:00:01.100+00:00 expe tvcs: UTCTime="2026-11-02 10:00:01,100" Module="network.sip" '
           'Level="INFO": Action="Received" Local-ip="192.0.2.10" Local-port="5062" Src-ip="146.20.193.70" '
           'Src-port="41234" Msg-Hash="1" SIPMSG:\n|INVITE sip:alice@example.com SIP/2.0\n'
           '|Via: SIP/2.0/TLS 146.20.193.70:5062\n|From: <sip:bob@example.call.ciscospark.com>;tag=1\n')
    stated = engine.diagnose("this is not a hybrid call\n" + log)
    assert "not Webex Hybrid Call" not in stated.message


@pytest.mark.parametrize(("text", "entry_id"), [
    ("the cloud identity CN/SAN doesn't match what the E expects, so the connection from Webex is dropped",
     "tls-wrong-verify-subject-name"),
    ("the expressway-e sends a second INVITE back to CUCM so the webex app shows two toasts",
     "in-double-toast-param-preservation"),
    ("the trunk must be enabled for route header support or the inbound call from webex is dropped",
     "in-preloaded-sip-routes-off"),
])
def test_a_cause_told_in_words_reaches_its_entry(engine, text, entry_id):
    assert entry_id in _listed(engine.diagnose(text))


def test_a_told_cause_is_a_problem_not_a_how_to(engine):
    report = engine.diagnose("the cloud identity CN/SAN doesn't match, so the connection is dropped")
    assert all(d.entry.kind.value == "problem" for d in report.diagnoses)


def test_teams_direct_routing_is_named_as_not_hybrid(engine):
    report = engine.diagnose("Teams direct routing: SBC gets 403 Forbidden from sip.pstnhub.microsoft.com")
    assert str(report.outcome) == "no_match" and "Microsoft Teams" in report.message


def test_a_voice_team_is_not_microsoft_teams(engine):
    text = ('SIP/2.0 404 Not Found\nServer: TANDBERG/4135 (X12.6.1)\nWarning: 399 vcs.example "Policy Response"\n'
            "(forwarded from the voice team)")
    assert "Teams" not in engine.diagnose(text).message


def test_a_log_string_quoted_in_a_denial_is_not_evidence(engine):
    denied = engine.diagnose("We do not see sslv3 alert certificate unknown anywhere in the E log, so it's not the "
                             "certificate.")
    said = engine.diagnose("the E log shows sslv3 alert certificate unknown on every inbound call")
    assert not denied.diagnoses and said.diagnoses
    # "Not Found" is a SIP reason phrase, not a denial
    assert engine.diagnose("the call comes back with 404 Not Found from the Expressway-C, inbound from webex").diagnoses


def test_a_part_the_writer_rules_out_leaves_the_differential_of_the_rest(engine):
    """"It is not the inbound firewall on 5062" takes the blocked port off the list; what is left is asked about."""
    report = engine.diagnose("It is not the inbound firewall on 5062, the firewall team opened it. Control Hub says "
                             "the SIP destination test fails at the first step")
    listed = [c.id for c in report.candidates]
    assert not report.diagnoses and "in-port-5062-blocked" not in listed
    assert "in-sip-destination-dns-unresolvable" in listed, listed


def test_the_writer_ruling_a_part_out_does_not_overrule_pasted_evidence(engine):
    """A capture that shows the SYNs unanswered decides, whatever the words say works."""
    paste = ("asa# show capture OUT-EXPE\n"
             "   1: 15:51:09.330118       10.9.4.20.26210 > 62.109.197.12.5062: S 2904411820:2904411820(0) win 29200\n"
             "   2: 15:51:10.332890       10.9.4.20.26210 > 62.109.197.12.5062: S 2904411820:2904411820(0) win 29200\n"
             "   3: 15:51:12.336917       10.9.4.20.26210 > 62.109.197.12.5062: S 2904411820:2904411820(0) win 29200\n"
             "10.9.4.20 is the Expressway-E, going out to Webex. Inbound Webex to desk phone works fine.\n")
    report = engine.diagnose(paste)
    assert report.diagnoses and report.diagnoses[0].entry.id == "out-port-5062-blocked", report.message


@pytest.mark.parametrize("line", [
    "   1: 15:51:09.330118       10.9.4.20.26210 > 62.109.197.12.5062: S 2904411820:2904411820(0) win 29200",
    'Event="Inbound TLS Negotiation Error" Service="SIP" Detail="sslv3 alert certificate unknown"',
])
def test_capture_and_log_lines_are_not_chat(line):
    assert not is_prose(line)


def test_a_sentence_quoting_a_parameter_twice_is_still_chat():
    assert is_prose("Before forking the call, Webex adds the Contact parameter call-type=squared, and when a call "
                    "comes back with call-type=squared Webex knows it looped and does not ring the app again")


def test_a_quoted_log_string_the_writer_no_longer_gets_is_not_evidence(engine):
    report = engine.diagnose("We fixed the CA trust and I don't get \"self signed certificate in certificate chain\" "
                             "anymore. Now the E logs \"Peer's TLS certificate identity was unacceptable\" for inbound "
                             "Webex connections.")
    assert report.diagnoses and report.diagnoses[0].entry.id != "tls-expe-untrusted-webex-ca", report.diagnoses


def test_the_edge_and_the_cloud_are_the_expressway_e_and_webex(engine):
    """Engineers say "the edge" for the Expressway-E and "the cloud" for Webex: the phrases read them so."""
    report = engine.diagnose("Our edge only sends its own certificate, not the intermediate, and the cloud rejects it "
                             "with certificate unknown on hybrid calls")
    assert report.diagnoses and report.diagnoses[0].entry.id == "tls-expe-incomplete-cert-chain", report.diagnoses


def test_a_status_line_read_by_ocr_is_not_a_part_that_works():
    sequence, denied = content_words("cloud 2OO OK had m=audio O RTP/SAVP", frozenset())
    assert not denied


def test_a_feature_named_to_rule_it_out_is_no_stated_context(engine):
    report = engine.diagnose("Before you say Single Number Reach: it's not. When a colleague calls her from the Webex "
                             "app she gets two toasts in the app, one with her own -Webex-RD name.")
    assert report.diagnoses and report.diagnoses[0].entry.id == "in-double-toast-param-preservation", report.message


def test_pasted_evidence_of_two_problems_leads_with_the_one_the_writer_leaves_standing(engine):
    """The identity error fits a wrong subject name and inbound mapping Off; "the subject name is correct" puts the
    mapping first (knowledge `part:`)."""
    report = engine.diagnose('Subject name is correct - callservice.ciscospark.com, no typos. Still getting '
                             'Detail="Peer\'s TLS certificate identity was unacceptable" on every inbound attempt '
                             'from webex. what else is there?')
    assert report.diagnoses and report.diagnoses[0].entry.id == "tls-inbound-mapping-off", \
        [d.entry.id for d in report.diagnoses]


def test_the_same_paste_without_the_words_keeps_the_documented_order(engine):
    report = engine.diagnose('Detail="Peer\'s TLS certificate identity was unacceptable" on every inbound attempt '
                             'from webex. what else is there?')
    assert report.diagnoses[0].entry.id == "tls-wrong-verify-subject-name"


@pytest.mark.parametrize(("text", "ruled"), [
    ("Preloaded SIP routes is On on both traversal zones, still 404", True),
    ("preloaded sip routes = On", True),
    ("the preloaded routes on the E traversal zone is off", False),
    ("preloaded routes is not on", False),
])
def test_a_setting_said_to_be_in_its_good_state_rules_its_problem_out(engine, text, ruled):
    """`switch: "on"`: the part is a setting that is fine On; "on the E" is a place, not a state."""
    from matchers.phrases import Prose
    from matchers.statements import ruled_out_by_writer
    entry = engine.kb.get("in-preloaded-sip-routes-off")
    prose = Prose.from_lines([text], index=engine.phrases)
    assert (ruled_out_by_writer(entry, prose) is not None) is ruled


def test_a_part_ruled_out_counts_though_it_is_named_again_later(engine):
    """ "It's NOT a firewall issue. Our firewall team captured ...": the second mention does not undo the first."""
    from matchers.phrases import Prose
    prose = Prose.from_lines(["It's NOT a firewall issue. Our firewall team captured on the outside segment."],
                             index=engine.phrases)
    assert "firewall" in prose.ruled_out


def test_a_requirement_is_not_a_part_said_to_work():
    """ "Request that port 5062 be open on the firewall" asks for it; "5062 is open" says it works."""
    from matchers.negation import read_denials
    from matchers.phrases import STOPWORDS
    assert not read_denials("request that port 5062 be open on the enterprise firewall", STOPWORDS)[3]
    assert read_denials("port 5062 is open on the enterprise firewall", STOPWORDS)[3]
