"""Capture text in every common form -> the per-stream facts a .pcap gives, with who sent what.

The samples follow the real output of each tool (Wireshark 3.x/4.x list and details, tshark, tcpdump 4.9,
ASA 9.x `show capture`), with RFC 5737 addresses: Webex 203.0.113.x, the Expressway-E 198.51.100.x outside
(192.0.2.x or RFC 1918 behind NAT), a B2B partner 192.0.2.44.
"""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from matchers import Engine
from matchers.document import Document
from matchers.evidence import FACT_NAMES
from matchers.evidence.text import capture_text
from matchers.normalize import skeleton
from matchers.prefilter import Prefilter

EXPE, WEBEX = "198.51.100.20", "203.0.113.73"
DATA = Path(__file__).parent / "data" / "capture_text"


def sample(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def read(text: str) -> capture_text.CaptureText:
    """As the engine does it: only the lines holding a trigger are handed over."""
    doc = Document.from_text(text)
    keys = sorted({skeleton(t) for t in capture_text.TRIGGERS})
    hits = Prefilter(keys).scan(doc)
    return capture_text.read(doc.lines, sorted({i for k in keys for i in hits.get(k, ())}))


def facts(text: str) -> dict[str, list[tuple[str, dict[str, str]]]]:
    out: dict[str, list[tuple[str, dict[str, str]]]] = {}
    for f in read(text).facts:
        out.setdefault(f.name, []).append((f.value, f.values))
    return out


def top(engine: Engine, text: str) -> str:
    report = engine.diagnose(text)
    assert report.diagnoses, "no diagnosis"
    return report.diagnoses[0].entry.id


# ------------------------------------------------------------------ samples, one per form
LIST_INBOUND_UNKNOWN_CA = sample("wireshark_list_inbound_unknown_ca.txt")

# Columns reordered in the preferences (Stream and Delta added, Destination before Source), copied as
# tab-separated values; outbound: the Expressway-E calls Webex and distrusts its certificate
LIST_TABS_OUTBOUND = "\n".join("\t".join(row) for row in [
    ["No.", "tcp.stream", "Delta", "Destination", "Dst Port", "Source", "Src Port", "Protocol", "Length", "Info"],
    ["263", "7", "0.000000", "203.0.113.5", "5062", "198.51.100.20", "25714", "TCP", "74",
     "25714 → 5062 [SYN] Seq=0 Win=29200 Len=0 MSS=1460"],
    ["264", "7", "0.023192", "198.51.100.20", "25714", "203.0.113.5", "5062", "TCP", "74",
     "5062 → 25714 [SYN, ACK] Seq=0 Ack=1 Win=28960 Len=0 MSS=1380"],
    ["266", "7", "0.001694", "203.0.113.5", "5062", "198.51.100.20", "25714", "TLSv1.2", "583", "Client Hello"],
    ["270", "7", "0.025708", "198.51.100.20", "25714", "203.0.113.5", "5062", "TLSv1.2", "4150",
     "Server Hello, Certificate, Server Key Exchange, Certificate Request, Server Hello Done"],
    ["272", "7", "0.001708", "203.0.113.5", "5062", "198.51.100.20", "25714", "TLSv1.2", "73",
     "Alert (Level: Fatal, Description: Unknown CA)"],
    ["273", "7", "0.000081", "203.0.113.5", "5062", "198.51.100.20", "25714", "TCP", "54",
     "25714 → 5062 [RST, ACK] Seq=525 Ack=4085 Win=0 Len=0"],
])

TSHARK_HEALTHY = sample("tshark_healthy_handshake.txt")

# the Wireshark details pane, "Copy > All Visible Items" of two frames (Wireshark 3.6 wording)
DETAILS_LEAF_ONLY = sample("wireshark_details_leaf_only.txt")

# tshark -V: Webex's client certificate chain, then the Expressway-E's Unknown CA alert and RST
TSHARK_V_UNKNOWN_CA = sample("tshark_v_unknown_ca.txt")

# Export Packet Dissections: each frame's summary row above its tree; the factory certificate expanded
EXPORT_TEMPORARY = sample("export_dissections_temporary_certificate.txt")

TCPDUMP_OUTBOUND = sample("tcpdump_nn_outbound_syns.txt")

TCPDUMP_VV_RST = sample("tcpdump_vv_syn_rst.txt")

ASA_OUTSIDE_INSIDE = sample("asa_show_capture_outside_inside.txt")


# ------------------------------------------------------------------ each form's facts
def test_wireshark_list_alert_sent_by_the_expressway_e():
    found = facts(LIST_INBOUND_UNKNOWN_CA)
    value, values = found["tls_alert_by_expressway"][0]
    assert value == "unknown_ca"
    assert values["sender"] == f"server {EXPE}:5062 (Expressway-E)"
    assert values["client"] == f"{WEBEX}:41706" and values["port"] == "5062"
    assert "tls_alert_by_webex" not in found and "syn_unanswered" not in found
    assert "syn_answered_by_rst" not in found
    rows = read(LIST_INBOUND_UNKNOWN_CA).packets
    assert [p.sport for p in rows if p.tls] == [41706, 5062, 41706, 5062]   # TLS rows take the stream's ports
    assert rows[4].tls == ["Server Hello", "Certificate", "Server Key Exchange", "Certificate Request",
                           "Server Hello Done"]


def test_wireshark_list_columns_in_any_order_tab_separated_outbound():
    found = facts(LIST_TABS_OUTBOUND)
    value, values = found["tls_alert_by_expressway"][0]
    assert value == "unknown_ca"
    assert values["sender"] == f"client {EXPE}:25714 (Expressway-E)"
    assert values["server"] == "203.0.113.5:5062"
    assert "syn_answered_by_rst" not in found     # the RST ends an established connection
    (stream,) = read(LIST_TABS_OUTBOUND).streams
    assert (stream.webex, stream.side_basis) == ("server", "port range")   # the Expressway's outbound ports


def test_wireshark_list_without_header_with_port_columns():
    text = ("17  0.021902  203.0.113.73  41706  198.51.100.20  5062  TLSv1.2  583  Client Hello\n"
            "18  0.022140  198.51.100.20  5062  203.0.113.73  41706  TLSv1.2  73  "
            "Alert (Level: Fatal, Description: Handshake Failure)\n")
    value, values = facts(text)["tls_alert_by_expressway"][0]
    assert value == "handshake_failure" and values["port"] == "5062"


def test_tshark_one_line_output_of_a_healthy_handshake_gives_no_alert_or_reset():
    result = read(TSHARK_HEALTHY)
    assert len(result.packets) == 9 and len(result.streams) == 1
    assert result.packets[7].tls == ["Application Data"]
    assert not result.facts


def test_details_pane_leaf_only_chain_and_certificate_unknown_from_webex():
    found = facts(DETAILS_LEAF_ONLY)
    count, values = found["cert_chain_leaf_only"][0]
    assert count == "1" and values["leaf"] == "expe.example.com"
    assert values["sender"] == f"server {EXPE}:5062 (Expressway-E)"
    assert found["tls_alert_by_webex"][0][0] == "certificate_unknown"
    assert found["tls_alert_by_webex"][0][1]["sender"] == "client 203.0.113.45:33441 (Webex)"
    assert len(found["tls_alert"]) == 1                  # the record line and its Description are one alert
    message = read(DETAILS_LEAF_ONLY).packets[0].certificates[0]
    assert message.leaf.issuer["cn"] == "go daddy secure certificate authority - g2"
    assert message.leaf.issuer["o"] == "godaddy.com, inc."   # Wireshark's escaped comma


def test_tshark_v_webex_told_by_its_certificate_and_the_expressway_alert():
    result = read(TSHARK_V_UNKNOWN_CA)
    (stream,) = result.streams
    assert (stream.webex, stream.side_basis) == ("client", "certificate")
    assert [m.count for p in result.packets for m in p.certificates] == [3]
    found = facts(TSHARK_V_UNKNOWN_CA)
    assert found["tls_alert_by_expressway"][0][1]["sender"] == f"server {EXPE}:5062 (Expressway-E)"
    assert "cert_chain_full" not in found            # a chain fact is about the Expressway-E's chain only
    assert "syn_answered_by_rst" not in found


def test_outbound_details_the_webex_server_presents_its_chain():
    text = TSHARK_V_UNKNOWN_CA.replace("Src: 203.0.113.73, Dst: 198.51.100.20", "Src: A, Dst: B") \
        .replace("Src: 198.51.100.20, Dst: 203.0.113.73", "Src: 203.0.113.73, Dst: 198.51.100.20") \
        .replace("Src: A, Dst: B", "Src: 198.51.100.20, Dst: 203.0.113.73") \
        .replace("Src Port: 57538, Dst Port: 5062", "Src Port: 5062, Dst Port: 57538") \
        .replace("Src Port: 5062, Dst Port: 57538, Seq: 2988", "Src Port: 57538, Dst Port: 5062, Seq: 2988") \
        .replace("Src Port: 5062, Dst Port: 57538, Seq: 2995", "Src Port: 57538, Dst Port: 5062, Seq: 2995")
    (stream,) = read(text).streams
    assert stream.server == ("198.51.100.20", 5062) and stream.webex == "server"
    value, values = facts(text)["tls_alert_by_expressway"][0]
    assert value == "unknown_ca" and values["sender"] == "client 203.0.113.73:57538 (Expressway-E)"


def test_export_dissections_row_and_tree_are_one_packet_and_the_factory_certificate():
    result = read(EXPORT_TEMPORARY)
    assert len(result.packets) == 2 and all(p.form == "details" for p in result.packets)
    found = facts(EXPORT_TEMPORARY)
    assert found["cert_chain_leaf_only"][0][1]["leaf"] == "vcse-dmz"
    temporary = found["cert_expressway_temporary"][0][1]
    assert temporary["issuer"].startswith("temporary ca ")
    assert found["tls_alert_by_webex"] == [("certificate_unknown", found["tls_alert"][0][1])]


def test_tcpdump_outbound_syn_retransmissions():
    found = facts(TCPDUMP_OUTBOUND)
    value, values = found["syn_unanswered_outbound"][0]
    assert value == "5062" and values["attempts"] == "4"
    assert values["client"] == f"{EXPE}:25026" and values["sides_from"] == "port range"
    assert "syn_unanswered_inbound" not in found and "firewall_drops_syn" not in found


def test_tcpdump_verbose_two_line_form_syn_answered_by_rst():
    result = read(TCPDUMP_VV_RST)
    assert [p.time for p in result.packets] == ["16:22:07.530114", "16:22:07.530190"]
    value, values = facts(TCPDUMP_VV_RST)["syn_answered_by_rst"][0]
    assert value == "5062" and values["sender"] == "server 198.51.100.88:5062 (Expressway-E)"


def test_asa_capture_outside_with_webex_syns_and_empty_inside_means_the_firewall_drops_them():
    result = read(ASA_OUTSIDE_INSIDE)
    assert [(s.place, s.declared) for s in result.sections] == [("outside", 3), ("inside", 0)]
    found = facts(ASA_OUTSIDE_INSIDE)
    assert found["syn_unanswered_inbound"][0][1]["attempts"] == "3"
    value, values = found["firewall_drops_syn"][0]
    assert value == "inbound" and values["outside"] == "capo" and values["packets_inside"] == "0"


def test_asa_capture_names_placed_by_a_show_capture_listing_pasted_after_them():
    text = (ASA_OUTSIDE_INSIDE.replace("capture outside:\n", "").replace("capture inside:\n", "")
            .replace("CAPO", "WEBEX1").replace("CAPI", "WEBEX2")
            + "fw01# show capture\n"
              "capture WEBEX1 type raw-data interface outside [Capturing - 222 bytes]\n"
              "  match tcp any host 198.51.100.20 eq 5062\n"
              "capture WEBEX2 type raw-data interface inside [Capturing - 0 bytes]\n"
              "  match tcp any host 192.0.2.20 eq 5062\n")
    assert facts(text)["firewall_drops_syn"][0][0] == "inbound"


def test_asa_outbound_syns_inside_none_outside():
    text = sample("asa_outbound_inside_syns_outside_empty.txt")
    found = facts(text)
    assert found["syn_unanswered_outbound"][0][1]["sides_from"] == "private address"
    assert found["firewall_drops_syn"][0][0] == "outbound"


def test_asa_both_sides_see_the_syn_and_the_reset_no_firewall_drop():
    text = """\
capture outside:
   1: 10:14:07.388921       203.0.113.73.39114 > 198.51.100.20.5062: S 2716211883:2716211883(0) win 29200
   2: 10:14:07.389433       198.51.100.20.5062 > 203.0.113.73.39114: R 0:0(0) ack 2716211884 win 0
2 packets shown
capture inside:
   1: 10:14:07.388990       203.0.113.73.39114 > 192.0.2.20.5062: S 2716211883:2716211883(0) win 29200
   2: 10:14:07.389401       192.0.2.20.5062 > 203.0.113.73.39114: R 0:0(0) ack 2716211884 win 0
2 packets shown
"""
    found = facts(text)
    assert "firewall_drops_syn" not in found
    assert [v["capture"] for _, v in found["syn_answered_by_rst"]] == ["capture outside", "capture inside"]


def test_asa_asp_drop_capture():
    text = ("fw01# show capture ASP | include 5062\n"
            "   1: 10:14:07.388921       203.0.113.73.39114 > 198.51.100.20.5062: S 2716211883:2716211883(0) "
            "win 29200 <mss 1380,sackOK> Drop-reason: (acl-drop) Flow is denied by configured rule, "
            "Drop-location: frame 0x00005581c9a0e8cf flow (NA)/NA\n")
    value, values = facts(text)["firewall_drops_syn"][0]
    assert value == "inbound" and values["reason"] == "(acl-drop) flow is denied by configured rule"


def test_wireshark_list_outside_and_an_empty_tcpdump_on_the_expressway_e():
    found = facts(sample("wireshark_outside_tcpdump_expe_empty.txt"))
    value, values = found["firewall_drops_syn"][0]
    assert value == "inbound" and values["inside"] == "tcpdump" and values["packets_inside"] == "0"


def test_an_outside_capture_alone_is_not_a_firewall_drop():
    text = ASA_OUTSIDE_INSIDE.split("capture inside:")[0]
    found = facts(text)
    assert "syn_unanswered_inbound" in found and "firewall_drops_syn" not in found


def test_b2b_stream_on_5061_is_reported_with_its_port_and_no_webex_side():
    text = sample("wireshark_list_b2b_5061.txt")
    found = facts(text)
    assert [v for v, _ in found["syn_unanswered"]] == ["5061"]
    assert not {"syn_unanswered_inbound", "syn_unanswered_outbound", "firewall_drops_syn"} & set(found)


# ------------------------------------------------------------------ OCR damage
def test_ocr_damaged_list_digits_and_letters():
    text = ("55  0.000000  2O3.0.ll3.19  198.5l.100.140  TCP  74  4l172 → 5O62 [SYN] Seq=0 Win=29200 Len=0\n"
            "56  0.000071  198.5l.1OO.140  2O3.0.1l3.19  TCP  54  5O62 → 4l172 [RST, ACK] Seq=1 Ack=1 Win=0 Len=0\n")
    value, values = facts(text)["syn_answered_by_rst"][0]
    assert value == "5062" and values["client"] == "203.0.113.19:41172"
    assert values["server"] == "198.51.100.140:5062"


def test_ocr_damaged_details_with_lost_spaces_and_tree_arrows():
    text = sample("wireshark_details_ocr.txt")
    found = facts(text)
    assert found["cert_chain_leaf_only"][0][1]["sender"] == "server 198.51.100.20:5062 (Expressway-E)"
    assert found["tls_alert_by_webex"][0][0] == "certificate_unknown"


def test_ocr_damaged_tcpdump_and_asa_lines():
    tcpdump = ("l4:O3:11.204518 IP 2O3.0.ll3.90.4l236 > 198.5l.100.15.5O62: Flags [S], seq 3390441807, length 0\n"
               "14:03:11.204611 IP 198.51.1OO.15.5062 > 203.0.113.9O.41236: Flags [R.], seq 0, ack 1, length 0\n")
    assert facts(tcpdump)["syn_answered_by_rst"][0][1]["client"] == "203.0.113.90:41236"
    asa = ("capture outside:\n"
           "   l: 10:14:07.388921  2O3.0.ll3.73.39ll4 > 198.5l.100.20.5O62: S 2716211883:2716211883(O) win 29200\n"
           "   2: 10:14:08.391005  203.0.113.73.39114 > 198.51.100.20.5062: S 2716211883:2716211883(0) win 29200\n"
           "capture inside:\n0 packet captured\n")
    assert facts(asa)["firewall_drops_syn"][0][0] == "inbound"


# ------------------------------------------------------------------ robustness and bounds
def test_fact_names_are_known_to_the_knowledge_base():
    names = {f.name for text in (LIST_INBOUND_UNKNOWN_CA, DETAILS_LEAF_ONLY, EXPORT_TEMPORARY, TCPDUMP_OUTBOUND,
                                 ASA_OUTSIDE_INSIDE) for f in read(text).facts}
    assert names <= set(FACT_NAMES)
    assert set(capture_text.FACTS) <= set(FACT_NAMES)
    # port-anchored triggers ("→ 5062", ".5062:") have the port's four digits; every other one has five or more
    assert all(len([c for c in skeleton(t) if c.isalnum()]) >= (4 if "506" in t else 5)
               for t in capture_text.TRIGGERS)


def test_damaged_text_never_raises():
    rng = random.Random(7)
    base = "\n".join([LIST_INBOUND_UNKNOWN_CA, DETAILS_LEAF_ONLY, TCPDUMP_VV_RST, ASA_OUTSIDE_INSIDE])
    alphabet = "0123456789abcdefSRP.:>→()[],= \t\nlIO|"
    for _ in range(60):
        chars = list(base)
        for _ in range(400):
            i = rng.randrange(len(chars))
            chars[i] = rng.choice(alphabet) if rng.random() < 0.7 else ""
        read("".join(chars))


def test_thousands_of_packets_are_read_in_linear_time():
    rows = [f"{n} {n / 1000:.6f} 203.0.113.{n % 200} → 198.51.100.20 TCP 74 {30000 + n} → 5062 [SYN] Seq=0"
            for n in range(1, 20001)]
    lines = rows + [LIST_INBOUND_UNKNOWN_CA]
    start = time.perf_counter()
    result = capture_text.read("\n".join(lines).splitlines(), range(len(lines) + 10))
    assert time.perf_counter() - start < 10
    assert len(result.streams) <= 2000           # MAX_STREAMS: later streams are not kept


# ------------------------------------------------------------------ end to end
@pytest.fixture(scope="module")
def engine_() -> Engine:
    return Engine()


INBOUND_SYNS = sample("wireshark_list_inbound_syns.txt")


@pytest.mark.parametrize(("text", "expected"), [
    (INBOUND_SYNS, "in-port-5062-blocked"),
    (ASA_OUTSIDE_INSIDE, "in-port-5062-blocked"),
    (TCPDUMP_VV_RST, "in-expe-not-listening-5062"),
    (LIST_INBOUND_UNKNOWN_CA, "tls-expe-untrusted-webex-ca"),
    (TSHARK_V_UNKNOWN_CA, "tls-expe-untrusted-webex-ca"),
    (LIST_TABS_OUTBOUND, "tls-expe-untrusted-webex-ca"),
    (DETAILS_LEAF_ONLY, "tls-expe-incomplete-cert-chain"),
    (EXPORT_TEMPORARY, "tls-expe-default-selfsigned-cert"),
    (TCPDUMP_OUTBOUND, "out-port-5062-blocked"),
], ids=["inbound-syns", "asa-outside-inside", "syn-rst", "list-unknown-ca", "tshark-v-unknown-ca",
        "outbound-unknown-ca", "leaf-only", "temporary-certificate", "outbound-syns"])
def test_end_to_end(engine_, text, expected):
    assert top(engine_, text) == expected


def test_end_to_end_inbound_syns_are_not_the_outbound_problem(engine_):
    ids = [d.entry.id for d in engine_.diagnose(INBOUND_SYNS).diagnoses]
    assert "out-port-5062-blocked" not in ids
    outbound = [d.entry.id for d in engine_.diagnose(TCPDUMP_OUTBOUND).diagnoses]
    assert "in-port-5062-blocked" not in outbound


def test_end_to_end_healthy_handshake_and_b2b_give_no_capture_problem(engine_):
    assert not engine_.diagnose(TSHARK_HEALTHY).diagnoses


def test_end_to_end_evidence_names_the_sender(engine_):
    report = engine_.diagnose(DETAILS_LEAF_ONLY)
    evidence = {e.signal: e for e in report.diagnoses[0].evidence}
    assert evidence["leaf_only"].values["sender"] == f"server {EXPE}:5062 (Expressway-E)"
    assert "id-at-commonName=expe.example.com" in evidence["leaf_only"].quote


def test_a_pcap_of_webex_syns_now_reads_as_inbound(engine_):
    """The .pcap summary's list is capture text too: its unanswered SYNs get their direction from it."""
    from matchers.evidence.capture import reader as pcap
    from tests.evidence_builders import SYN, Capture

    cap = Capture()
    for _ in range(3):
        cap.packet("203.0.113.45", "198.51.100.80", 41112, 5062, SYN, 555, gap=1.0)
    summary = pcap.summarise(cap.bytes())
    report = engine_.diagnose(summary.text, extra_facts=summary.facts)
    assert [d.entry.id for d in report.diagnoses] == ["in-port-5062-blocked"]
