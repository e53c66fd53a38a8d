"""Attached files: downloaded through the API with the bot's token, unpacked safely, diagnosed."""
from __future__ import annotations

import gzip
import io
import re
import tarfile
import zipfile

import pytest

from tests.card_text import answer_text

SELF_SIGNED = ('2024-05-14T09:31:02.301+02:00 expe01 tvcs: Event="Inbound TLS Negotiation Error" Service="SIP" '
               'Src-ip="203.0.113.8" Src-port="41000" Dst-ip="198.51.100.3" Dst-port="5062" '
               'Detail="self signed certificate in certificate chain" Protocol="TLS"\n')
NOISE = '2024-05-14T09:31:00.000+02:00 expe01 tvcs: Module="network.sip" Level="DEBUG" Detail="routine"\n'


def tar_gz(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def text_replies(bot):
    """What each answer says: the card's text, or the markdown of a reply without a card."""
    return [answer_text(r) for r in bot.replies()]


def test_log_file_is_downloaded_with_the_token_and_diagnosed(bot, people, fake):
    url = fake.add_file("expe.log", (NOISE * 40 + SELF_SIGNED).encode())
    bot.say(people["alice"], people["dm"], "", files=[url])
    reply = text_replies(bot)[0]
    assert "Expressway-E does not trust" in reply
    assert "line 41: expe.log · … Detail=" in reply   # the file and line; the timestamp prefix elided
    assert fake.state.calls["GET contents/{id}"] == 1


def test_diagnostic_bundle_tar_gz_is_unpacked(bot, people, fake):
    bundle = tar_gz({
        "diagnostic_log/loggingsnapshot_expe01.txt": (NOISE * 5 + SELF_SIGNED).encode(),
        "diagnostic_log/xconfig.txt": b'*c xConfiguration Zones Zone 4 Name: "Webex Hybrid DNS"\n',
        "diagnostic_log/capture_5062.pcap": b"\xd4\xc3\xb2\xa1" + b"\x00" * 100,
        "../../etc/evil.txt": b"should be skipped",
    })
    url = fake.add_file("diagnostic_log_expe01_2024-05-14.tar.gz", bundle)
    bot.say(people["alice"], people["dm"], "calls from Webex fail", files=[url])
    reply = text_replies(bot)[0]
    assert "Read 2 text file(s) and 1 packet capture(s) from diagnostic_log_expe01_2024-05-14.tar.gz" in reply
    assert "**Packet capture** diagnostic_log/capture_5062.pcap: 5 packets" in reply and "unsafe path" in reply
    assert "Expressway-E does not trust" in reply
    assert "loggingsnapshot_expe01.txt · " in reply


def test_zip_and_gz_attachments(bot, people, fake):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("logs/expe.log", NOISE * 3 + SELF_SIGNED)
    zipped = fake.add_file("logs.zip", buf.getvalue())
    gzipped = fake.add_file("expe.log.gz", gzip.compress((NOISE + SELF_SIGNED).encode()))
    bot.say(people["alice"], people["dm"], "", files=[zipped])
    bot.drain()
    bot.say(people["alice"], people["dm"], "", files=[gzipped])
    replies = text_replies(bot)
    assert all("Expressway-E does not trust" in r for r in replies) and len(replies) == 2


def test_file_still_being_scanned_is_retried(bot, people, fake):
    url = fake.add_file("expe.log", SELF_SIGNED.encode(), scan_polls=2)
    bot.say(people["alice"], people["dm"], "", files=[url])
    assert "Expressway-E does not trust" in text_replies(bot)[0]
    assert fake.state.calls["GET contents/{id}"] == 3
    assert bot.sleep.calls.count(1) >= 2  # waited Retry-After between polls


def test_file_that_stays_locked_gets_a_clear_reply(make_bot, people, fake):
    bot = make_bot()
    bot.rt.webex.scan_wait = 2
    url = fake.add_file("expe.log", SELF_SIGNED.encode(), scan_polls=50)
    bot.say(people["alice"], people["dm"], "", files=[url])
    assert "still being scanned for malware" in text_replies(bot)[0]


@pytest.mark.parametrize(("status", "says"), [(410, "quarantined"), (428, "could not scan")])
def test_infected_or_unscannable_file(bot, people, fake, status, says):
    url = fake.add_file("expe.log", SELF_SIGNED.encode(), status=status)
    bot.say(people["alice"], people["dm"], "", files=[url])
    assert says in text_replies(bot)[0]


def test_unsupported_file_type_gets_a_clear_reply(bot, people, fake):
    url = fake.add_file("report.pdf", b"%PDF-1.7\n" + b"\x00" * 200)
    bot.say(people["alice"], people["dm"], "", files=[url])
    reply = text_replies(bot)[0]
    assert "I cannot read report.pdf" in reply and ".tar.gz" in reply and ".pcap" in reply


def test_damaged_capture_in_a_bundle_is_skipped_with_the_reason(bot, people, fake):
    bundle = tar_gz({"diag/expe.log": SELF_SIGNED.encode(), "diag/cut.pcapng": b"\x0a\x0d\x0d\x0a\x01"})
    bot.say(people["alice"], people["dm"], "", files=[fake.add_file("diag.tar.gz", bundle)])
    reply = text_replies(bot)[0]
    assert "Read 1 text file(s) from diag.tar.gz: diag/expe.log. Skipped diag/cut.pcapng (" in reply
    assert "Expressway-E does not trust" in reply
    only = tar_gz({"diag/cut.pcap": b"\xd4\xc3\xb2\xa1\x00"})
    bot.say(people["alice"], people["dm"], "", files=[fake.add_file("cut.tar.gz", only)])
    assert text_replies(bot)[-1].startswith("I could not read the attachment: cut.tar.gz holds no text log or packet "
                                            "capture I can read (diag/cut.pcap: the capture header is damaged")


def test_too_large_file_gets_a_clear_reply(make_bot, people, fake):
    bot = make_bot(max_file_bytes=2048)
    url = fake.add_file("big.log", (NOISE * 100).encode())
    bot.say(people["alice"], people["dm"], "", files=[url])
    reply = text_replies(bot)[0]
    assert re.search(r"big\.log is \d+ KB; the limit is 2 KB", reply), reply


def test_decompression_bomb_is_refused(bot, people, fake):
    bomb = gzip.compress(b"\x00" * (150 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 200 * 1024
    url = fake.add_file("expe.log.gz", bomb)
    bot.say(people["alice"], people["dm"], "", files=[url])
    reply = text_replies(bot)[0]
    assert "unpacks to more than" in reply or "decompression bomb" in reply


def test_file_url_on_another_host_never_gets_the_token(bot, people, fake):
    bot.say(people["alice"], people["dm"], "", files=["https://attacker.example/contents/x"])
    reply = text_replies(bot)[0]
    assert "could not download" in reply.lower()


def test_message_text_and_file_are_diagnosed_together(bot, people, fake):
    url = fake.add_file("expe.log", SELF_SIGNED.encode())
    bot.say(people["alice"], people["dm"], "SR 694123456 inbound calls fail", files=[url])
    reply = text_replies(bot)[0]
    assert "Expressway-E does not trust" in reply and "694123456" in reply
    assert bot.storage.case_history("694123456")[0].source == "expe.log"
