"""Packet captures built with dpkt: per-stream summaries, who sent what, the facts and the diagnosis."""
from __future__ import annotations

import random

import pytest

from matchers.evidence.capture import reader as pcap
from tests.evidence_builders import (
    ACK,
    FIN,
    RST,
    SYN,
    Capture,
    Conversation,
    alert,
    client_certificate_flight,
    client_hello,
    factory_certificate,
    public_chain,
    server_hello_certificate,
    webex_chain,
)

WEBEX, EXPE = "203.0.113.45", "198.51.100.80"


def facts(summary) -> dict[str, list[tuple[str, dict[str, str]]]]:
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for f in summary.facts:
        out.setdefault(f.name, []).append((f.value, f.values))
    return out


def diagnose(engine, summary):
    return engine.diagnose(summary.text, extra_facts=summary.facts)


def inbound_tls(expe_certs, webex_alert: int | None = None, expe_alert: int | None = None, pcapng: bool = False,
                mss: int = 1400) -> bytes:
    """Webex connects to the Expressway-E on 5062; the Expressway-E sends `expe_certs`, Webex its chain."""
    cap = Capture(pcapng)
    conv = Conversation(cap, WEBEX, EXPE, 41004, 5062)
    conv.handshake()
    conv.send(True, client_hello())
    conv.send(False, server_hello_certificate(expe_certs), mss=mss)
    if webex_alert is not None:
        conv.send(True, alert(webex_alert))
        conv.close(True, FIN | ACK)
        return cap.bytes()
    wr, wi, wl = webex_chain()
    conv.send(True, client_certificate_flight([wl, wi, wr]), mss=mss)
    if expe_alert is not None:
        conv.send(False, alert(expe_alert))
        conv.close(False, RST | ACK)
    return cap.bytes()


def test_syn_answered_by_rst(engine):
    cap = Capture()
    cap.packet(WEBEX, EXPE, 40110, 5062, SYN, 100)
    cap.packet(EXPE, WEBEX, 5062, 40110, RST | ACK, 0, 101)
    summary = pcap.summarise(cap.bytes())
    found = facts(summary)
    assert found["syn_answered_by_rst"][0][0] == "5062"
    assert found["syn_answered_by_rst"][0][1]["server"] == f"{EXPE}:5062"
    assert "tcp=SYN answered by RST from the server (frame 2)" in summary.text
    assert "reset by server 198.51.100.80:5062" in summary.text
    assert diagnose(engine, summary).diagnoses[0].entry.id == "in-expe-not-listening-5062"


def test_syn_retransmissions_never_answered(engine):
    """The Expressway-E (ephemeral ports 25000-29999) calling Webex on 5062 and getting no SYN-ACK."""
    cap = Capture()
    for _ in range(4):
        cap.packet(EXPE, "203.0.113.9", 25112, 5062, SYN, 555, gap=1.0)
    summary = pcap.summarise(cap.bytes())
    value, values = facts(summary)["syn_unanswered"][0]
    assert value == "5062" and values["attempts"] == "4"
    assert summary.text.count("[TCP Retransmission]") == 3
    assert "4 SYN (3 retransmissions), no SYN-ACK: never answered" in summary.text
    report = diagnose(engine, summary)
    assert report.diagnoses[0].entry.id == "out-port-5062-blocked"
    assert any(e.signal == "syn_unanswered_5062" and e.values.get("attempts") == "4"
               for e in report.diagnoses[0].evidence)


@pytest.mark.parametrize("pcapng", [False, True])
def test_leaf_only_chain_and_certificate_unknown_from_webex(engine, pcapng):
    _, _, leaf = public_chain("expe.litware.example")
    summary = pcap.summarise(inbound_tls([leaf], webex_alert=46, pcapng=pcapng))
    found = facts(summary)
    assert found["cert_chain_leaf_only"][0][1]["leaf"] == "expe.litware.example"
    assert found["tls_alert"][0][0] == "certificate_unknown"
    assert found["tls_alert_by_webex"][0][0] == "certificate_unknown"
    assert "Alert (Level: Fatal, Description: Certificate Unknown)" in summary.text
    assert "Certificate message: sender=server 198.51.100.80:5062 (Expressway-E) certificates=1" in summary.text
    report = diagnose(engine, summary)
    assert report.diagnoses[0].entry.id == "tls-expe-incomplete-cert-chain"
    assert {e.signal for e in report.diagnoses[0].evidence} >= {"leaf_only", "cert_unknown_alert"}


def test_full_chain_with_certificate_unknown_points_to_stale_control_hub_certs(engine):
    root, inter, leaf = public_chain()
    summary = pcap.summarise(inbound_tls([leaf, inter, root], webex_alert=46, mss=536))   # many segments
    assert facts(summary)["cert_chain_full"][0][0] == "3"
    report = diagnose(engine, summary)
    ids = [d.entry.id for d in report.diagnoses]
    assert ids[0] == "tls-stale-control-hub-certs"
    assert "tls-expe-incomplete-cert-chain" not in ids


def test_unknown_ca_from_the_expressway_after_the_webex_chain(engine):
    root, inter, leaf = public_chain()
    summary = pcap.summarise(inbound_tls([leaf, inter, root], expe_alert=48))
    found = facts(summary)
    assert found["tls_alert_by_expressway"][0][0] == "unknown_ca"
    assert found["tls_alert"][0][1]["sender"] == "server 198.51.100.80:5062 (Expressway-E)"
    assert "Certificate message: sender=client 203.0.113.45:41004 (Webex) certificates=3" in summary.text
    report = diagnose(engine, summary)
    assert report.diagnoses[0].entry.id == "tls-expe-untrusted-webex-ca"
    assert report.diagnoses[0].confidence > 0.9


def test_unknown_ca_sent_by_webex_is_not_the_expressway_distrusting_webex(engine):
    corp = public_chain()[2]
    summary = pcap.summarise(inbound_tls([corp], webex_alert=48))
    assert facts(summary)["tls_alert_by_webex"][0][0] == "unknown_ca"
    assert "tls-expe-untrusted-webex-ca" not in [d.entry.id for d in diagnose(engine, summary).diagnoses]


def test_factory_certificate_in_the_handshake(engine):
    _, leaf = factory_certificate("vcse-dmz")
    summary = pcap.summarise(inbound_tls([leaf], webex_alert=46))
    assert "cert_expressway_temporary" in facts(summary)
    assert "OU=Temporary Certificate" in summary.text
    assert diagnose(engine, summary).diagnoses[0].entry.id == "tls-expe-default-selfsigned-cert"


def test_outbound_connection_tells_sides_by_certificate():
    """The Expressway-E calls Webex on 5062: Webex is the server, told by its certificate, not by the port."""
    cap = Capture()
    conv = Conversation(cap, EXPE, "203.0.113.9", 33000, 5062)
    conv.handshake()
    conv.send(True, client_hello())
    wr, wi, wl = webex_chain()
    conv.send(False, server_hello_certificate([wl, wi, wr]))
    conv.send(True, alert(48))
    conv.close(True, RST | ACK)
    summary = pcap.summarise(cap.bytes())
    assert facts(summary)["tls_alert_by_expressway"][0][0] == "unknown_ca"
    assert "server=203.0.113.9:5062 (Webex)" in summary.text


def test_other_traffic_and_empty_captures_are_summarised_not_refused():
    cap = Capture()
    cap.packet("192.0.2.1", "192.0.2.2", 50000, 443, SYN, 1)
    summary = pcap.summarise(cap.bytes())
    assert summary.packets == 1 and not summary.streams and not summary.facts
    assert "no TCP traffic on ports 5062, 5061" in summary.text


def test_not_a_capture_and_damaged_header_raise_capture_error():
    with pytest.raises(pcap.CaptureError, match="not a packet capture"):
        pcap.summarise(b"hello world, this is text")
    with pytest.raises(pcap.CaptureError):
        pcap.summarise(b"\xd4\xc3\xb2\xa1\x02\x00")


def test_truncated_and_corrupted_captures_never_crash():
    data = inbound_tls([public_chain()[2]], webex_alert=46)
    cut = pcap.summarise(data[: len(data) - 30])
    assert any("truncated" in n or "damaged" in n for n in cut.notes) or cut.packets < 13
    rnd = random.Random(7)
    for _ in range(400):
        damaged = bytearray(data)
        for _ in range(rnd.randint(1, 25)):
            damaged[rnd.randrange(24, len(damaged))] = rnd.randrange(256)
        try:
            summary = pcap.summarise(bytes(damaged))
        except pcap.CaptureError:
            continue
        assert summary.lines[0].startswith("Packet capture:")


def test_work_is_bounded(monkeypatch):
    monkeypatch.setattr(pcap, "MAX_PACKETS", 5)
    cap = Capture()
    for i in range(20):
        cap.packet(WEBEX, EXPE, 41000 + i, 5062, SYN, i)
    summary = pcap.summarise(cap.bytes())
    assert summary.packets == 5
    assert any("only the first 5 packets" in n for n in summary.notes)
