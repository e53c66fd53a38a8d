"""Certificates, screenshots and packet captures: attached in Webex (real SDK against the fake API), alone, with
pasted text, or inside a diagnostic log bundle; and uploaded on the local page."""
from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from pathlib import Path

import pytesseract
import pytest

from bot.chat.config import Config
from bot.render.markdown import WEBEX_MESSAGE_LIMIT
from bot.web.app import create_app
from bot.web.runtime import runtime
from tests.card_text import answer_text, card_of
from tests.evidence_builders import (
    ACK,
    FIN,
    FONT_DIR,
    RST,
    SYN,
    UNTRUSTED,
    Capture,
    Conversation,
    alert,
    client_hello,
    factory_certificate,
    public_chain,
    screenshot,
    server_hello_certificate,
    tesseract_installed,
)
from tests.service.conftest import missing

EXPE, WEBEX = "198.51.100.80", "203.0.113.45"
CERT_UNKNOWN_LOG = ('2024-05-14T09:31:02.301+02:00 expe01 tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" '
                    f'Src-ip="{WEBEX}" Src-port="41004" Dst-ip="{EXPE}" Dst-port="5062" '
                    'Detail="sslv3 alert certificate unknown" Protocol="TLS"\n')
NOISE = '2024-05-14T09:31:00.000+02:00 expe01 tvcs: Module="network.sip" Level="DEBUG" Detail="routine"\n'


def syn_rst_capture(streams: int = 1) -> bytes:
    """Webex's SYN to 5062 answered at once by RST: nothing listens on the Expressway-E."""
    cap = Capture()
    for n in range(streams):
        cap.packet(WEBEX, EXPE, 40110 + n, 5062, SYN, 100)
        cap.packet(EXPE, WEBEX, 5062, 40110 + n, RST | ACK, 0, 101)
    return cap.bytes()


def leaf_only_capture() -> bytes:
    """The Expressway-E sends its leaf certificate only; Webex answers Certificate Unknown."""
    cap = Capture()
    conv = Conversation(cap, WEBEX, EXPE, 41004, 5062)
    conv.handshake()
    conv.send(True, client_hello())
    conv.send(False, server_hello_certificate([public_chain()[2]]))
    conv.send(True, alert(46))
    conv.close(True, FIN | ACK)
    return cap.bytes()


def zipped(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def text_replies(bot, after: int = 0) -> list[str]:
    """What the bot's answers say (a card's text, or the markdown of a reply without one), from the `after`-th
    message on; each message's markdown must fit in one Webex message."""
    posts = bot.replies()[after:]
    assert all(len(r["markdown"].encode()) <= WEBEX_MESSAGE_LIMIT for r in posts)
    return [answer_text(r) for r in posts]


def ids(reply: str) -> list[str]:
    """Entry ids of the diagnoses in an answer card's text, best first (the top one, then "also possible")."""
    found = re.findall(r"^Entry: ([a-z0-9-]+)$|· (?:certain|likely|possible) \(\d+%\) · ([a-z0-9-]+)$", reply,
                       re.MULTILINE)
    return [top or other for top, other in found]


def attach(bot, people, fake, text: str, files: dict[str, bytes]) -> str:
    """Post text and files; the bot's answer to that message (all its parts)."""
    before = len(bot.replies())
    urls = [fake.add_file(name, data) for name, data in files.items()]
    bot.say(people["alice"], people["dm"], text, files=urls)
    return "\n\n".join(text_replies(bot, before))


@pytest.fixture
def tesseract():
    if not tesseract_installed():
        missing("tesseract-ocr")
    if not (FONT_DIR / "DejaVuSans.ttf").exists():
        missing("fonts-dejavu-core")


# ---------------------------------------------------------------- certificates
def test_factory_certificate_attached_as_pem(bot, people, fake):
    _, leaf = factory_certificate("expe01")
    reply = attach(bot, people, fake, "", {"expe01.pem": leaf.pem.encode()})
    assert ids(reply)[0] == "tls-expe-default-selfsigned-cert"
    assert "**Certificate checks** (expe01.pem, 1 certificate(s))" in reply
    assert "❌ fail · issuer: Expressway factory certificate" in reply
    assert reply.index("Evidence matched") < reply.index("What I read from the files") < reply.index(
        "**Certificate checks**")   # the verdict first, what it rests on one toggle away
    card = card_of(bot.replies()[-1])
    assert [a["targetElements"] for a in card["actions"] if a["type"] == "Action.ToggleVisibility"] == [
        ["details"], ["read"]]


def test_der_certificate_and_case_history_keeps_it_encrypted(bot, people, fake):
    _, leaf = factory_certificate("expe01")
    reply = attach(bot, people, fake, "SR 694123456 Webex calls fail", {"expe01.cer": leaf.der})
    assert ids(reply)[0] == "tls-expe-default-selfsigned-cert" and "694123456" in reply
    record = bot.storage.case_history("694123456")[0]
    assert record.source == "expe01.cer" and record.results[0]["id"] == "tls-expe-default-selfsigned-cert"
    assert "== expe01.cer\n-----BEGIN CERTIFICATE-----" in record.evidence
    with sqlite3.connect(Path(bot.config.data_dir / "hybridcall-bot.sqlite3")) as conn:
        dump = "\n".join(conn.iterdump())
    assert "BEGIN CERTIFICATE" not in dump and "Webex calls fail" not in dump


# ---------------------------------------------------------------- packet captures
def test_capture_with_syn_answered_by_rst(bot, people, fake):
    reply = attach(bot, people, fake, "", {"expe-5062.pcap": syn_rst_capture()})
    assert ids(reply)[0] == "in-expe-not-listening-5062"
    assert "**Packet capture** expe-5062.pcap: 2 packets" in reply
    assert "expe-5062.pcap · " in reply   # the evidence quotes the capture summary


def test_pasted_log_line_and_attached_capture_give_one_answer(bot, people, fake):
    reply = attach(bot, people, fake, f"inbound calls fail\n{CERT_UNKNOWN_LOG}",
                   {"expe-5062.pcapng": leaf_only_capture()})
    assert ids(reply)[0] == "tls-expe-incomplete-cert-chain"
    assert len(bot.replies()) == 1                                   # one report, not one per piece
    assert "expe-5062.pcapng · " in reply and "sslv3 alert certificate unknown" in reply


def test_bundle_with_a_log_and_a_capture_is_read_in_full(bot, people, fake):
    bundle = zipped({
        "diagnostic_log/loggingsnapshot_expe01.log": NOISE * 3 + CERT_UNKNOWN_LOG,
        "diagnostic_log/tcpdump_5062.pcap": leaf_only_capture(),
        "../../escape.pcap": syn_rst_capture(),
    })
    reply = attach(bot, people, fake, "", {"diagnostic_log_expe01.zip": bundle})
    assert ("Read 1 text file(s) and 1 packet capture(s) from diagnostic_log_expe01.zip: "
            "diagnostic_log/loggingsnapshot_expe01.log, diagnostic_log/tcpdump_5062.pcap.") in reply
    assert "../../escape.pcap (unsafe path)" in reply and "in-expe-not-listening-5062" not in reply
    assert "**Packet capture** diagnostic_log/tcpdump_5062.pcap" in reply
    assert ids(reply)[0] == "tls-expe-incomplete-cert-chain"
    assert "diagnostic_log/tcpdump_5062.pcap · " in reply   # evidence from the capture in the bundle
    assert "line 4: diagnostic_log/loggingsnapshot_expe01.log · " in reply


def test_capture_in_a_bundle_stays_within_the_unpacked_limit(make_bot, people, fake):
    bot = make_bot(max_unpacked_bytes=4096)
    bundle = zipped({"expe.log": CERT_UNKNOWN_LOG, "big.pcap": syn_rst_capture(100)})
    reply = attach(bot, people, fake, "", {"bundle.zip": bundle})
    assert "unpacks to more than 4 KB" in reply and "### Diagnosis" not in reply


def test_a_long_answer_stays_one_card_within_its_size(bot, people, fake):
    from bot.chat.cards import MAX_CARD_BYTES, card_bytes
    from bot.render.fallback import FALLBACK_LIMIT

    _, leaf = factory_certificate("expe01")
    urls = [fake.add_file("expe-5062.pcap", syn_rst_capture(60)), fake.add_file("expe01.pem", leaf.pem.encode())]
    bot.say(people["alice"], people["dm"], CERT_UNKNOWN_LOG, files=urls)
    [answer] = bot.replies()
    assert len(answer["markdown"].encode()) <= FALLBACK_LIMIT and card_bytes(card_of(answer)) <= MAX_CARD_BYTES
    whole = answer_text(answer)
    assert "**Packet capture** expe-5062.pcap: 120 packets" in whole and "**Certificate checks**" in whole
    assert " …" in whole                                        # the capture's list was cut to fit


# ---------------------------------------------------------------- screenshots
def test_screenshot_of_a_log_line_is_read_and_diagnosed(tesseract, bot, people, fake):
    shot = screenshot(UNTRUSTED, "DejaVuSans.ttf", 16, False, False)
    reply = attach(bot, people, fake, "", {"event-log.png": shot})
    assert ids(reply)[0] == "tls-expe-untrusted-webex-ca"
    assert "_Text read from the image event-log.png with OCR" in reply
    assert "self signed certificate in certificate chain" in reply.split("What I read")[1]   # the OCR quote


def test_without_tesseract_the_reply_says_image_reading_is_unavailable(bot, people, fake, monkeypatch):
    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    png = screenshot(UNTRUSTED, "DejaVuSans.ttf", 16, False, False) if (FONT_DIR / "DejaVuSans.ttf").exists() \
        else b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    alone = attach(bot, people, fake, "", {"shot.png": png})
    assert alone.startswith("I could not read the attachment: I cannot read the image shot.png: "
                            "image reading is unavailable")
    with_text = attach(bot, people, fake, CERT_UNKNOWN_LOG, {"shot.jpg": png})
    assert "image reading is unavailable" in with_text and "Evidence matched" in with_text


# ---------------------------------------------------------------- local page
@pytest.fixture
def local_app(engine, tmp_path):
    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    yield app
    runtime(app).close()


def test_local_page_offers_and_reads_evidence_files(local_app):
    client = local_app.test_client()
    accept = re.search(r'accept="([^"]+)"', client.get("/").get_data(as_text=True))
    assert accept
    for ext in (".log", ".tar.gz", ".zip", ".pem", ".crt", ".cer", ".der", ".p7b", ".png", ".jpg", ".jpeg",
                ".pcap", ".pcapng", ".cap"):
        assert ext in accept.group(1).split(","), ext
    _, leaf = factory_certificate("expe01")
    page = client.post("/", data={"evidence": "", "file": (io.BytesIO(leaf.pem.encode()), "expe01.crt")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Certificate checks" in page and "expe01.crt" in page
    assert "Expressway factory certificate" in page and "tls-expe-default-selfsigned-cert" in page
    page = client.post("/", data={"evidence": "", "file": (io.BytesIO(syn_rst_capture()), "expe.pcap")},
                       content_type="multipart/form-data").get_data(as_text=True)
    assert "Packet capture" in page and "in-expe-not-listening-5062" in page
