"""A "Reading your bundle (name, size)…" note before the answer when a message's files take longer than the
threshold to read (issue 12.4). No test sleeps: a threshold of 0 posts the note at once, and the timer path is
driven by a download that waits for the note."""
from __future__ import annotations

import io
import tarfile
import threading

import pytest

from bot.chat.config import Config, ConfigError
from bot.chat.progress import ProgressNote
from matchers.evidence.archives import human_size
from tests.card_text import card_of

SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')


def bundle() -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        data = ("2024-05-14 noise line\n" * 400 + SELF_SIGNED).encode()
        info = tarfile.TarInfo("diagnostic_log/expe.log")
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def test_a_slow_bundle_gets_a_note_first_then_the_answer(make_bot, people, fake):
    bot = make_bot(progress_note_after=0.0)
    data = bundle()
    msg, _ = bot.say(people["alice"], people["team"], "inbound calls fail",
                     files=[fake.add_file("diag.tar.gz", data)])
    note, answer = bot.replies()
    assert note["parentId"] == answer["parentId"] == msg["id"]
    assert note["markdown"] == f"Reading your bundle (diag.tar.gz, {human_size(len(data))})…"
    assert card_of(answer) is not None and "Expressway-E does not trust" in answer["markdown"]
    assert fake.state.calls["HEAD contents/{id}"] == 1     # name and size asked for, before the download


def test_no_note_without_files_or_when_reading_is_quick(make_bot, people, fake):
    quick = make_bot(progress_note_after=0.0)
    quick.say(people["alice"], people["dm"], SELF_SIGNED)                     # no attachment
    assert len(quick.replies()) == 1
    slow_threshold = make_bot()                                              # the tests' 3600 s
    slow_threshold.say(people["alice"], people["dm"], "", files=[fake.add_file("expe.log", SELF_SIGNED.encode())])
    assert [r["markdown"][:7] for r in slow_threshold.replies()][-1] != "Reading"
    assert fake.state.calls["HEAD contents/{id}"] == 0


def test_the_note_comes_when_the_threshold_passes_during_the_download(make_bot, people, fake):
    bot = make_bot(progress_note_after=0.05)
    noted = threading.Event()
    post, download = bot.rt.webex.post_message, bot.rt.webex.download

    def posting(room_id, markdown, **kwargs):
        out = post(room_id, markdown, **kwargs)
        if markdown.startswith("Reading your"):
            noted.set()
        return out

    def slow_download(url, max_bytes):   # the download lasts until the note is out: no clock needed
        assert noted.wait(20), "the note never came"
        return download(url, max_bytes)

    bot.rt.webex.post_message, bot.rt.webex.download = posting, slow_download
    bot.say(people["alice"], people["dm"], "", files=[fake.add_file("expe.log", SELF_SIGNED.encode())])
    note, answer = bot.replies()
    assert note["markdown"] == f"Reading your file (expe.log, {human_size(len(SELF_SIGNED))})…"
    assert "Expressway-E does not trust" in answer["markdown"]


def test_a_retried_job_does_not_post_the_note_again(make_bot, people, fake):
    from bot.chat.webex import TransientWebexError

    bot = make_bot(progress_note_after=0.0)
    original, outage = bot.rt.webex.post_message, [True]

    def answer_fails_once(room_id, markdown, **kwargs):   # the note goes through, the answer does not
        if not markdown.startswith("Reading your") and outage and outage.pop():
            raise TransientWebexError("simulated outage", 503)
        return original(room_id, markdown, **kwargs)

    bot.rt.webex.post_message = answer_fails_once
    msg, _ = bot.say(people["alice"], people["dm"], "", files=[fake.add_file("expe.log", SELF_SIGNED.encode())])
    bot.drain()
    job = f"message:{msg['id']}"
    status = bot.storage.job_status(job)
    assert status["status"] == "retry" and status["progress"]["note"] is True
    bot.storage._execute("UPDATE jobs SET available_at = 0 WHERE id = ?", (job,))
    bot.rt.worker.sweep()
    texts = [r["markdown"][:12] for r in bot.replies()]
    assert texts.count("Reading your") == 1 and len(texts) == 2


def test_progress_note_unit():
    posts: list[int] = []
    quick = ProgressNote(60.0, lambda: posts.append(1))
    with quick.running():
        pass
    assert posts == [] and not quick.posted
    done = threading.Event()
    slow = ProgressNote(0.01, lambda: (posts.append(2), done.set()))
    with slow.running():
        assert done.wait(20)
    assert posts == [2] and slow.posted

    def broken() -> None:
        raise RuntimeError("Webex is down")

    failing = ProgressNote(0.0, broken)
    with failing.running():      # a note that cannot be posted costs nothing else
        pass
    assert not failing.posted


def test_the_threshold_is_configurable():
    assert Config.from_env({}).progress_note_after == 3.0
    assert Config.from_env({"BOT_PROGRESS_NOTE_AFTER": "0.5"}).progress_note_after == 0.5
    for bad in ("soon", "-1", "7200"):
        with pytest.raises(ConfigError):
            Config.from_env({"BOT_PROGRESS_NOTE_AFTER": bad})
