"""Vague questions and partial evidence get a short differential from the knowledge base; unrelated chat does not."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from matchers.model import Section
from matchers.where_it_fails import direction_of

# (message, ids that must be listed): one or more per section, written from the digest's symptom areas
TRIAGE = [
    # nothing reaches the Expressway-E: the stages before it (DNS, the 5062 connection), not routing
    ("calls from the webex app to our desk phones never ring and I see nothing on the expressway-e, where do I start?",
     {"in-port-5062-blocked", "in-sip-destination-dns-unresolvable"}),
    ("DNS problem with hybrid call", {"out-dns-override-missing", "out-expe-cannot-resolve-callservice"}),
    ("混合呼叫的域名解析有问题", {"out-expe-cannot-resolve-callservice"}),
    ("outbound calls from desk phones to webex users fail, what should I check?",
     {"out-search-rule-priority", "out-port-5062-blocked"}),
    ("we get 404 on hybrid calls, how do I tell which setting causes it", {"out-search-rule-priority"}),
    ("certificate rejected on hybrid calls", {"tls-expe-incomplete-cert-chain", "tls-stale-control-hub-certs"}),
    ("mutual tls handshake fails between webex and our expressway-e",
     {"tls-webex-rejects-expe-ca", "tls-firewall-terminates-handshake"}),
    ("hybrid calls get answered and then drop within a few seconds",
     {"bi-cucm-max-incoming-msg-size", "bi-unsupported-audio-codec"}),
    ('SIP/2.0 404 Not Found\nServer: TANDBERG/4135 (X14.2)\nWarning: 399 vcs.example "Policy Response"\n'
     "Content-Length: 0", {"in-preloaded-sip-routes-off", "out-search-rule-priority"}),
    # the Warning names the Expressway that answered, on its own port 5061: no B2B call
    ('SIP/2.0 404 Not Found\nServer: TANDBERG/4135 (X14.3.1)\nWarning: 399 10.20.5.6:5061 "Policy Response"',
     {"in-preloaded-sip-routes-off", "out-search-rule-priority"}),
    # a SIP code named in words: the problems documented with that code fit, whichever direction
    ("getting 404s on hybrid calls", {"in-preloaded-sip-routes-off", "out-search-rule-priority"}),
    ("we get 403 on hybrid calls", {"out-cpl-misconfig"}),
]
# the message asks for the possible causes and pastes nothing that decides: the differential, not one guess
ASKS_CAUSES = [
    ("we get 404 on hybrid calls, which setting causes it?", {"out-search-rule-priority"}),
    ("We have audio problems on hybrid calls between desk phones and the Webex app. Where should I start?",
     {"bi-media-ports-blocked", "bi-unsupported-audio-codec"}),
    ("Webex app -> desk phone calls fail and the search history shows nothing for them. Ideas?", set()),
    # a how-to's page named (search history, the outbound call flow) while asking why the call fails there
    ("Search History shows the call to user@acme.call.ciscospark.com arriving on the Expressway-E and going nowhere "
     "after that. What are the possible reasons?", {"out-search-rule-priority", "out-cpl-misconfig"}),
    ("search history on the E shows the outbound hybrid call arriving and failing right there. next step?",
     {"out-search-rule-priority", "out-cpl-misconfig"}),
    ("When I call from my CUCM phone to a colleague who has Call Service Connect, their desk phone rings but their "
     "Webex app never does. Where should I look?", {"out-search-rule-priority", "out-port-5062-blocked"}),
]
UNRELATED = ["hi", "thanks!", "how do I reset my printer", "hello team, any update on the ticket?",
             "webex meetings scheduling from outlook does not work", "what's for lunch today?"]


@pytest.mark.parametrize(("text", "wanted"), TRIAGE, ids=[t[:40] for t, _ in TRIAGE])
def test_a_vague_message_gets_the_documented_problems_that_fit(engine, text, wanted):
    report = engine.diagnose(text)
    listed = [c.id for c in report.candidates]
    assert str(report.outcome) == "triage" and not report.diagnoses, (report.outcome, listed)
    assert wanted <= set(listed), listed
    assert 2 <= len(listed) <= 4
    assert all(c.why and c.check for c in report.candidates)   # each says what it is and what confirms it


@pytest.mark.parametrize("text", UNRELATED)
def test_unrelated_chat_stays_no_match(engine, text):
    report = engine.diagnose(text)
    assert str(report.outcome) == "no_match" and not report.candidates, [c.id for c in report.candidates]


def test_the_triage_is_never_a_how_to_or_a_guess(engine):
    report = engine.diagnose(TRIAGE[0][0])
    assert all(engine.kb.get(c.id).kind.value == "problem" for c in report.candidates)


def test_a_named_stage_keeps_its_problems_only(engine):
    stage_of = {e.id: set(e.stages) for e in engine.kb}
    report = engine.diagnose("calls from the webex app to our desk phones never ring and I see nothing on the "
                             "expressway-e, where do I start?")
    assert all(stage_of[c.id] & {"connect", "dns"} for c in report.candidates), [c.id for c in report.candidates]


def test_every_problem_names_a_known_stage(engine):
    known = {s.id for s in engine.kb.stages}
    for entry in engine.kb:
        if entry.kind.value == "problem":
            assert entry.stages and set(entry.stages) <= known, entry.id


def test_a_bare_404_without_direction_keeps_both_directions(engine):
    listed = {c.id for c in engine.diagnose("we get 404 on hybrid calls, how do I tell which setting causes it")
              .candidates}
    assert {"out-search-rule-priority", "in-preloaded-sip-routes-off"} <= listed


def test_direction_in_words():
    assert direction_of("calls from Webex to our CUCM phones fail") is Section.INBOUND
    assert direction_of("calls from a desk phone to the webex app show a Join button") is Section.OUTBOUND
    assert direction_of("calls fail both ways, inbound and outbound") is Section.BIDIRECTIONAL
    assert direction_of("nothing works between the app and desk phones, in either direction") is Section.BIDIRECTIONAL
    assert direction_of("hybrid calls fail") is None
    assert direction_of("the C shows a 404 for calls from webex") is Section.INBOUND
    assert direction_of("calling to the webex app fails") is Section.OUTBOUND
    assert direction_of("the call to kim@acme.call.ciscospark.com dies on the E") is Section.OUTBOUND
    assert direction_of("calls from sam@example.webex.com to our desk phones fail") is Section.INBOUND


@pytest.mark.parametrize(("text", "direction"), [
    ("从 Webex 应用打座机，座机不响，但是对方的 Webex 应用会响", Section.INBOUND),   # the app rings: the desk does not
    ("Webex 应用拨打座机时座机不振铃", Section.INBOUND),
    ("座机打给 Webex 应用用户，Webex 应用不响", Section.OUTBOUND),
    ("从座机打 Webex 正常，但是从 Webex 应用打座机失败", Section.INBOUND),   # the clause that works is not the one
    ("两个方向都不行", Section.BIDIRECTIONAL),
    ("应用里会收到两个来电通知", None),
])
def test_direction_in_chinese(text, direction):
    assert direction_of(text) is direction


def test_a_chinese_never_ringing_call_lists_the_inbound_problems(engine):
    report = engine.diagnose("从 Webex 应用打座机，座机不响，但是对方的 Webex 应用会响，先查什么？")
    assert not report.diagnoses and report.candidates
    assert all(c.id.startswith("in-") for c in report.candidates[:2])


def test_jsonl_carries_the_candidates_and_no_matches(tmp_path):
    paste = tmp_path / "q.txt"
    paste.write_text(TRIAGE[2][0], encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "bot", "diagnose", str(paste), "--format", "jsonl"],
                         capture_output=True, text=True, check=True).stdout
    record = json.loads(out)
    assert record["outcome"] == "triage" and record["matches"] == []
    assert [set(c) for c in record["candidates"]] == [{"id", "title", "why", "check"}] * len(record["candidates"])


def test_the_triage_reply_is_one_webex_message(engine):
    from bot.render.markdown import WEBEX_MESSAGE_LIMIT, report_markdown, split_message

    text = report_markdown(engine.diagnose(TRIAGE[1][0]))
    assert len(split_message(text)) == 1 and len(text.encode()) < WEBEX_MESSAGE_LIMIT
    assert "explain <id>" in text and "To confirm" in text


B2B = ('Our B2B partner cannot call our video rooms:\nEvent="Inbound TLS Negotiation Error" Service="SIP" '
       'Src-ip="198.51.100.233" Src-port="5061" Dst-ip="198.51.100.10" Dst-port="5061" '
       'Detail="sslv3 alert certificate unknown"')
TRAVERSAL = ('Expressway-E, traversal zone from the Expressway-C:\n2025-03-12T08:01:17.440+01:00 fab-expe tvcs: '
             'Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="192.0.2.71" Src-port="25611" '
             'Dst-ip="192.0.2.72" Dst-port="7003" Detail="tlsv1 alert unknown ca" Protocol="TLS"')


@pytest.mark.parametrize(("text", "named"), [(B2B, "5061"), (TRAVERSAL, "traversal")], ids=["b2b", "traversal"])
def test_a_look_alike_gets_no_match_with_the_reason_its_evidence_shows(engine, text, named):
    report = engine.diagnose(text)
    assert str(report.outcome) == "no_match" and not report.diagnoses and not report.candidates
    assert report.message.startswith("It looks like") and named in report.message


def test_the_reason_reaches_the_reply(engine):
    from bot.render.markdown import report_markdown

    reply = report_markdown(engine.diagnose(TRAVERSAL))
    assert reply.startswith("No documented Hybrid Call Service Connect problem matches this. It looks like")


@pytest.mark.parametrize(("text", "named"), [
    ("Dec  3 10:01:22 sbc01 opensips[2211]: ERROR:tls_mgm:tls_accept: TLS accept error: "
     "error:14094418:SSL routines:ssl3_read_bytes:tlsv1 alert unknown ca", "opensips"),
    ("sslscan 203.0.113.10:443 -> SSL handshake failed: sslv3 alert certificate unknown", "sslscan"),
    ("Jan 10 10:00:00 janus[123]: [ERR] [dtls.c:janus_dtls_srtp_incoming_msg:1123] DTLS alert triggered on 12345 "
     "(unknown ca)", "janus"),
])
def test_another_products_log_is_a_no_match_that_names_it(engine, text, named):
    report = engine.diagnose(text)
    assert str(report.outcome) == "no_match" and not report.diagnoses and not report.candidates
    assert f"come from {named}" in report.message


def test_each_candidate_gets_its_own_check_and_not_just_a_heading(engine):
    report = engine.diagnose("calls from the webex app to our desk phones never ring and I see nothing on the "
                             "expressway-e, where do I start?")
    checks = [c.check for c in report.candidates]
    assert len(set(checks)) == len(checks), checks
    assert all(len(c) > 80 for c in checks), checks   # "What a capture shows." alone says nothing to do
    assert not any("this entry" in c for c in checks)


@pytest.mark.parametrize(("text", "wanted"), ASKS_CAUSES, ids=[t[:40] for t, _ in ASKS_CAUSES])
def test_asking_for_the_possible_causes_gets_the_differential(engine, text, wanted):
    report = engine.diagnose(text)
    listed = [c.id for c in report.candidates]
    assert str(report.outcome) == "triage" and not report.diagnoses, ([d.entry.id for d in report.diagnoses], listed)
    assert wanted <= set(listed), listed
    if direction_of(text) is Section.INBOUND:   # the direction said keeps the other direction's problems out
        assert not [i for i in listed if engine.kb.get(i).section is Section.OUTBOUND], listed


@pytest.mark.parametrize(("text", "answer"), [
    ("search history for a webex hybrid test call - what do I look for?", "tool-search-history"),   # a how-to
    ("users get two toasts for one call from the webex app, one from their own CSC device. ideas?",
     "in-double-toast-param-preservation"),                                                        # clear enough
])
def test_a_clear_answer_stands_when_the_message_also_asks_for_ideas(engine, text, answer):
    report = engine.diagnose(text)
    assert [d.entry.id for d in report.diagnoses][:1] == [answer], (report.outcome, [c.id for c in report.candidates])


def test_arrows_name_the_direction():
    assert direction_of("Webex app -> desk phone calls fail") is Section.INBOUND
    assert direction_of("desk phone → webex app calls fail") is Section.OUTBOUND
    assert direction_of("desk->webx broken, webex client silent") is Section.OUTBOUND
    assert direction_of("Webex app users can't call desk phones since yesterday") is Section.INBOUND
    assert direction_of("when a webex user calls a desk phone nothing happens") is Section.INBOUND
    assert direction_of("the webex app rings but the desk phone does not") is Section.INBOUND
    assert direction_of("the desk phone rings but the webex app never does") is Section.OUTBOUND
    assert direction_of("when I call from my Webex app to a colleague their on-premises phone does not ring") \
        is Section.INBOUND


def test_a_call_that_never_rings_failed_before_ringing(engine):
    # no stage named: "never rings" keeps the stages before ringing, not the after-answer or media problems
    stage_of = {e.id: set(e.stages) for e in engine.kb}
    for text in ("Webex app users can't call desk phones since yesterday, the app just says call failed",
                 "the webex app rings but the desk phone does not, where do I start?"):
        listed = [c.id for c in engine.diagnose(text).candidates]
        assert listed and all(stage_of[i] & {"dns", "connect", "tls", "routing"} for i in listed), listed
        assert all(engine.kb.get(i).section is not Section.OUTBOUND for i in listed), listed


def test_a_failure_both_ways_lists_what_both_directions_share(engine):
    """Mutual TLS and the both-way problems are shared by the two directions; one direction's own problems are not
    what fails both ways."""
    report = engine.diagnose("hybrid calls fail both ways since we renewed the Expressway-E certificate. where do I "
                             "start?")
    sections = {c.id.split("-")[0] for c in report.candidates}
    assert str(report.outcome) == "triage" and sections <= {"tls", "bi"}, report.candidates


@pytest.mark.parametrize("text, alike", [
    ("no audio on hybrid calls", {"bi-media-ports-blocked", "bi-unsupported-audio-codec"}),
    ("hybrid calls drop a few seconds after they're answered", {"bi-unsupported-audio-codec",
                                                                "bi-cucm-max-incoming-msg-size"}),
])
def test_words_that_only_say_where_a_call_fails_get_the_differential(engine, text, alike):
    """"No audio" says which stage fails, not why: one problem of that stage would be a guess."""
    report = engine.diagnose(text)
    assert not report.diagnoses and alike <= {c.id for c in report.candidates}, report.candidates


@pytest.mark.parametrize("text, wanted", [
    ("users get two toasts on the webex app for every call from a colleague", "in-double-toast-param-preservation"),
    ("the firewall only opens TCP 5062 to the Expressway-E, no UDP media ports, and hybrid calls have no audio",
     "bi-media-ports-blocked"),
])
def test_a_stage_with_one_problem_or_a_cause_in_words_stays_decided(engine, text, wanted):
    report = engine.diagnose(text)
    assert report.diagnoses and report.diagnoses[0].entry.id == wanted, (report.outcome, report.candidates)


def test_a_direction_alone_names_an_area(engine):
    report = engine.diagnose("outbound to the webex cloud is broken since monday")
    assert str(report.outcome) == "triage"
    assert all(not c.id.startswith("in-") for c in report.candidates), report.candidates


def test_a_never_ringing_inbound_call_lists_the_inbound_problems_first(engine):
    listed = [c.id for c in engine.diagnose("calls from the webex app to desk phones never ring").candidates]
    assert listed and all(i.startswith("in-") for i in listed), listed


@pytest.mark.parametrize("text", [
    "TLS handshake fails on our SBC, the certificate is rejected. where do I start?",
    "the certificate chain error: one or more certificates are missing in the middle of the chain. possible causes?",
])
def test_words_about_tls_in_general_get_no_differential(engine, text):
    """Nothing places the message in Webex Hybrid Call: a Hybrid differential would be a guess about another
    product."""
    report = engine.diagnose(text)
    assert not report.candidates and not report.diagnoses, report.candidates


def test_the_same_words_about_hybrid_call_get_the_tls_differential(engine):
    report = engine.diagnose("hybrid calls: the certificate is rejected during the handshake. where do I start?")
    assert str(report.outcome) == "triage" and all(c.id.startswith("tls-") for c in report.candidates)


@pytest.mark.parametrize(("text", "named"), [
    ("Genesys Cloud will renew the server certificates for the BYOC Cloud SIP endpoints, which removes the Client "
     "Authentication EKU from them; this could cause disruption if not validated", "genesys"),
    ("Your SBC must present the full certificate chain including intermediates. A missing intermediate certificate "
     "causes a TLS handshake failure", "sbc"),
    ("the CUBE drops the call with cause 47 when only G.729 is offered", "cube"),
])
def test_another_products_words_are_a_no_match_that_names_them(engine, text, named):
    """The words are read stemmed ("cube" as "cub"): a product named in them is found however it is inflected."""
    report = engine.diagnose(text)
    assert not report.diagnoses and not report.candidates
    assert named in report.message, report.message


WEBEX_CHECKS = {"tls-expe-incomplete-cert-chain", "tls-stale-control-hub-certs", "tls-expe-default-selfsigned-cert",
                "tls-webex-rejects-expe-ca", "tls-expe-cert-missing-client-auth-eku", "tls-expe-cert-expired"}
EXPE_CHECKS = {"tls-expe-untrusted-webex-ca", "tls-wrong-verify-subject-name", "tls-inbound-mapping-off",
               "tls-expe-cert-expired"}


@pytest.mark.parametrize(("text", "side"), [
    ("Webex rejects our Expressway-E certificate during the handshake, what could it be?", WEBEX_CHECKS),
    ("hybrid call: the cloud sends a fatal alert right after it gets our certificate. what could it be?",
     WEBEX_CHECKS),
    ("Our Expressway-E refuses the Webex certificate on incoming connections. What are the usual reasons?",
     EXPE_CHECKS),
    ("the E is refusing the cloud's certificate on inbound connections. what could cause that?", EXPE_CHECKS),
])
def test_which_side_refuses_the_certificate_picks_the_checks_of_that_side(engine, text, side):
    """Webex checks the Expressway-E's chain, CA and SAN; the Expressway-E checks Webex's CA, subject name and
    mapping (knowledge/stages.yaml: the parts of the handshake)."""
    listed = {c.id for c in engine.diagnose(text).candidates}
    assert len(listed) >= 2 and listed <= side, listed


def test_the_direction_said_to_work_is_not_the_one_that_fails():
    assert direction_of("inbound only: app to desk phones fail, but desk phone -> app (outbound) works great") \
        is Section.INBOUND
    assert direction_of("webex to cucm is fine; cucm to webex does not ring") is Section.OUTBOUND
    assert direction_of("app to desk fails and desk to app fails") is None


def test_the_join_button_is_the_outbound_symptom():
    assert direction_of("the called user's webex app just shows a Join button and never rings") is Section.OUTBOUND


@pytest.mark.parametrize("text", [
    "How do I change my profile picture in the Webex app?",
    "what's new in the webex app this month?",
])
def test_a_message_that_names_no_area_gets_no_differential(engine, text):
    """No stage, direction or evidence named: however close the wording, there is no area to list causes for."""
    report = engine.diagnose(text)
    assert not report.candidates and not report.diagnoses, report.candidates


def test_a_failed_sip_destination_test_lists_the_inbound_path(engine):
    listed = [c.id for c in engine.diagnose("The SIP destination test in Control Hub fails. What should I look "
                                            "at?").candidates]
    assert {"in-sip-destination-dns-unresolvable", "in-port-5062-blocked"} <= set(listed), listed
    assert all(i.startswith(("in-", "tls-")) for i in listed), listed


def test_the_stages_the_writer_says_work_leave_the_differential(engine):
    report = engine.diagnose("Control Hub SIP destination test: DNS ok, socket test ok, but SSL Handshake failed. "
                             "What's wrong with our side?")
    listed = [c.id for c in report.candidates]
    assert listed and all(i.startswith("tls-") for i in listed), listed


def test_a_sentence_quoting_a_log_record_is_read_as_the_writers_words(engine):
    report = engine.diagnose('On outbound hybrid calls the E log shows Module="network.dns" Detail="Could not resolve '
                             'hostname". What does that point to?')
    assert report.diagnoses or report.candidates, report.message


def test_any_idea_at_the_end_of_a_how_to_question_still_gets_the_how_to(engine):
    """"any idea?" closes many chat messages: it does not ask for the possible causes."""
    report = engine.diagnose("how do i decode the 5062 handshake in wireshark? any idea?")
    assert report.diagnoses and report.diagnoses[0].entry.id == "tool-wireshark-decode-5062", report.candidates


def test_calls_that_come_down_from_webex_are_inbound():
    assert direction_of("the C answers the calls that come down from Webex with 404") is Section.INBOUND
    assert direction_of("desk phones cannot reach webex users") is Section.OUTBOUND


def test_asked_about_a_log_line_two_problems_fire_on_the_differential_answers(engine):
    """Both problems rest on the one line pasted: asked what it means, the answer is both and what separates them."""
    report = engine.diagnose("E log for incoming Webex connections: Detail=\"Peer's TLS certificate identity was "
                             "unacceptable\". What does that mean?")
    listed = {c.id for c in report.candidates}
    assert not report.diagnoses and {"tls-wrong-verify-subject-name", "tls-inbound-mapping-off"} <= listed, listed


EOF_LINE = ('2026-11-02T10:01:02.123+00:00 expe tvcs: Module="network.tcp" Level="DEBUG": Src-ip="192.0.2.10" '
            'Src-port="25012" Dst-ip="198.51.100.20" Dst-port="5062" Detail="TCP Connection Closed" '
            'Reason="Got EOF on socket"')


def test_a_lone_failing_log_line_names_its_stage(engine):
    report = engine.diagnose(EOF_LINE)   # the handshake broke off: the handshake's problems, nothing of routing
    stage_of = {e.id: set(e.stages) for e in engine.kb}
    listed = [c.id for c in report.candidates]
    assert str(report.outcome) == "triage" and "tls-firewall-terminates-handshake" in listed, listed
    assert all(stage_of[i] & {"tls"} for i in listed), listed


@pytest.mark.parametrize("text", [
    'Module="network.ldap" Level="INFO": Detail="Search rule considered" Rule="Webex Hybrid"',
    'Detail="Found DNS alt-name in peer certificate" AltName="callservice.webex.com"',
])
def test_a_line_that_shows_nothing_failing_asks_for_no_differential(engine, text):
    report = engine.diagnose(text)
    assert str(report.outcome) == "no_match" and not report.candidates, [c.id for c in report.candidates]


def test_a_connection_failure_cut_off_before_its_port_lists_both_ports_problems(engine):
    text = ('from the E, the paste lost the end of the line:\n'
            'Module="network.tcp" Level="ERROR": Src-ip="10.1.1.5" Src-port="25011" Dst-ip="203.0.113.9" Dst-po\n'
            '...Detail="TCP Connection Failed"')
    report = engine.diagnose(text)
    assert str(report.outcome) == "triage"
    assert {"out-port-5062-blocked", "out-dns-override-missing"} <= {c.id for c in report.candidates}


@pytest.mark.parametrize("text", [
    "the E resets the connection right after Webex sends its certificate, why?",
    "we see a RST in the middle of the TLS handshake on hybrid calls",
    "is it our cert or something in control hub? the handshake on 5062 fails and the alert comes from the webex side",
])
def test_a_reset_once_the_handshake_began_is_the_handshakes_problem(engine, text):
    # certificates were sent: the TCP connection on 5062 was made, its problems do not fit
    listed = [c.id for c in engine.diagnose(text).candidates]
    assert listed and all(c.startswith("tls-") for c in listed)


def test_a_reset_with_no_handshake_said_keeps_the_connection_problems(engine):
    listed = {c.id for c in engine.diagnose("The connection between Webex and our E on 5062 just gets reset. No TLS "
                                            "alert, no error message, just an RST. What are the possibilities?")
              .candidates}
    assert {"tls-firewall-terminates-handshake", "in-expe-not-listening-5062"} <= listed


def test_a_writer_who_does_not_know_the_direction_gets_both_directions(engine):
    # "not sure whether it is inbound or outbound": DNS is the inbound SRV record's and the outbound DNS zone's
    report = engine.diagnose("是不是 DNS 的问题？SRV 记录要怎么配？我也不确定是呼入还是呼出的问题。")
    listed = {c.id for c in report.candidates}
    assert not report.diagnoses and {"in-sip-destination-dns-unresolvable", "out-dns-override-missing"} <= listed


def test_calls_coming_in_or_going_out_is_a_direction_not_known():
    from matchers.where_it_fails import read_direction
    assert read_direction("a DNS problem, not sure if it's for calls coming in or going out") == (None, True)
    assert read_direction("calls coming in from webex fail") == (Section.INBOUND, False)


def test_how_sure_the_writer_is_names_no_entry(engine):
    # "not sure which direction": the pairs of 不确定 are no entry's wording (they matched a how-to's once)
    report = engine.diagnose("5062 端口是不是被挡了？不确定是哪个方向。")
    assert not any(d.entry.id.startswith("tool-") for d in report.diagnoses)


def test_a_healthy_log_the_writer_calls_good_gets_no_differential(engine):
    report = engine.diagnose(
        "Outbound test after our change, all good I think:\n"
        'Module="network.dns" Level="DEBUG":  Detail="Sending DNS query" Name="_sips._tcp.callservice.webex.com"\n'
        'Module="network.tcp" Level="DEBUG":  Src-ip="198.51.100.8" Src-port="25910" Dst-ip="203.0.113.14" '
        'Dst-port="5062" Detail="TCP Connection Established"\n'
        'Module="developer.ssl" Level="DEBUG" Method="::ttssl_continueHandshake" Detail="Handshake succeeded"\n'
        "SIP/2.0 200 OK\n")
    assert str(report.outcome) == "no_match" and not report.candidates


def test_words_that_say_it_worked_once_still_get_the_differential(engine):
    # "worked for two years" is the past: the failure since this morning still asks for the causes
    report = engine.diagnose("Hybrid calls worked for two years. Since this morning, certificate errors on 5062 in "
                             "both directions and nobody touched the Expressways. What could it be?")
    assert {"tls-expe-cert-expired"} <= {c.id for c in report.candidates}


@pytest.mark.parametrize(("text", "wanted"), [
    ("Control Hub 的 SIP 目标测试没通过，怎么回事？", {"in-sip-destination-dns-unresolvable", "in-port-5062-blocked"}),
    ("接通以后没有声音，过一会儿就断了，这是怎么回事？",
     {"bi-unsupported-audio-codec", "bi-cucm-max-incoming-msg-size"}),
])
def test_a_vague_chinese_question_gets_the_differential(engine, text, wanted):
    report = engine.diagnose(text)
    assert not report.diagnoses and wanted <= {c.id for c in report.candidates}


def test_a_chinese_how_to_question_stays_the_how_to(engine):
    answer = engine.diagnose("Control Hub 的 SIP 目标测试怎么做？").diagnoses[0]
    assert answer.entry.id == "tool-hybrid-connectivity-test"


def test_a_stage_said_to_work_leaves_out_the_stages_before_it(engine):
    # TLS works: DNS and the connection on 5062 worked too; what is left is routing
    report = engine.diagnose("TLS is fine now, I can see the INVITE from Webex arriving on the Expressway-E and going "
                             "to the C. But the desk phone still never rings. What else can go wrong?")
    listed = [c.id for c in report.candidates]
    assert "in-preloaded-sip-routes-off" in listed
    assert not {"in-sip-destination-dns-unresolvable", "in-port-5062-blocked", "in-expe-not-listening-5062"} & set(
        listed)


def test_a_colon_ends_the_clause_that_says_who_rejects(engine):
    # "outbound to webex: the E rejects the INVITE" is not "webex rejects" (a certificate)
    listed = [c.id for c in engine.diagnose("outbound to webex: the E rejects the INVITE from the C instantly. what "
                                            "are the usual suspects").candidates]
    assert listed and not any(c.startswith("tls-") for c in listed)


def test_the_e_closing_once_it_has_webexs_certificate_names_the_checks_the_e_makes(engine):
    listed = [c.id for c in engine.diagnose("the E itself resets the 5062 connection from the cloud right after it "
                                            "receives webex's certificate. which E setting should I look at")
              .candidates]
    assert {"tls-expe-untrusted-webex-ca", "tls-wrong-verify-subject-name", "tls-inbound-mapping-off"} <= set(listed)
