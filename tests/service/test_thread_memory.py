"""A follow-up in a thread is diagnosed with the thread's earlier evidence (issue 12.5): the xConfiguration the
bot asked for completes the log that came first, the reply says so, commands and chat are not evidence, the
memory is bounded, encrypted, and forgotten after a quiet while."""
from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from bot.chat.thread_memory import EARLIER_MESSAGE, MAX_THREAD_CHARS, earlier_pieces, excerpt, remembered
from matchers.evidence.intake import from_text
from tests.card_text import answer_text, card_of

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "samples" / "inbound-tls-failure.txt").read_text().splitlines()
TLS_LOG = "\n".join(SAMPLE[1:3]) + "\n"     # Peer's TLS certificate identity was unacceptable, nothing else
XCONFIG = '*c xConfiguration Zones Zone 4 DNS SIP TLS Verify InboundClassification: "Off"\n'
SAID_SO = "Read together with the evidence posted earlier in this thread"


def entry_of(post):
    card = card_of(post)
    return next(f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
                if f["title"] == "Entry") if card else None


def test_the_xconfiguration_in_the_thread_completes_the_earlier_log(bot, people, fake, engine):
    assert not engine.diagnose(XCONFIG).diagnoses                           # alone it decides nothing
    root, _ = bot.say(people["alice"], people["team"], TLS_LOG)
    first = bot.replies()[-1]
    assert entry_of(first) == "tls-wrong-verify-subject-name" and SAID_SO not in answer_text(first)
    bot.say(people["alice"], people["team"], XCONFIG, parent_id=root["id"])
    follow = bot.replies()[-1]
    assert follow["parentId"] == root["id"]
    assert entry_of(follow) == "tls-inbound-mapping-off"
    assert f"{SAID_SO} (earlier-message)." in answer_text(follow)
    assert f"{SAID_SO} (`earlier-message`)." in follow["markdown"]
    assert "earlier-message · " in answer_text(follow)      # the earlier log's line quoted as such


def test_the_memory_follows_files_too_and_a_later_root_starts_afresh(bot, people, fake):
    url = fake.add_file("expe01.log", TLS_LOG.encode())
    root, _ = bot.say(people["alice"], people["dm"], "", files=[url])
    bot.drain()                                               # the follow-up comes after the answer
    bot.say(people["alice"], people["dm"], XCONFIG, parent_id=root["id"])
    follow = bot.replies()[-1]
    assert entry_of(follow) == "tls-inbound-mapping-off" and f"{SAID_SO} (expe01.log)." in answer_text(follow)
    latest = bot.storage._diagnoses("WHERE 1 = 1 ORDER BY d.created", ())[-1]
    assert latest.source == "message"                         # the follow-up's own source, not the log's
    bot.say(people["alice"], people["dm"], XCONFIG)           # a new root: no memory of the other thread
    assert SAID_SO not in answer_text(bot.replies()[-1])


def test_commands_greetings_and_thanks_in_the_thread_are_not_evidence(bot, people, fake):
    root, _ = bot.say(people["alice"], people["team"], "thanks")
    bot.say(people["alice"], people["team"], "help", parent_id=root["id"])
    bot.say(people["alice"], people["team"], "hi there!", parent_id=root["id"])
    bot.drain()
    assert bot.storage.thread_evidence(people["team"], root["id"]) == []
    bot.say(people["alice"], people["team"], XCONFIG, parent_id=root["id"])
    assert SAID_SO not in answer_text(bot.replies()[-1])


def test_a_retried_follow_up_is_not_read_twice(bot, people, fake, engine):
    root, _ = bot.say(people["alice"], people["team"], TLS_LOG)
    bot.drain()
    follow, _ = bot.say(people["alice"], people["team"], XCONFIG, parent_id=root["id"])
    bot.drain()
    kept = bot.storage.thread_evidence(people["team"], root["id"])
    assert [(m == follow["id"], name) for m, name, _ in kept] == [(False, EARLIER_MESSAGE), (True, EARLIER_MESSAGE)]
    # the same message handled again (a retry): it replaces its own piece instead of adding one
    from bot.chat.responder import Incoming

    again = Incoming(follow["id"], people["team"], "group", root["id"], people["alice"], XCONFIG.strip())
    bot.rt.responder.respond(again)
    assert bot.storage.thread_evidence(people["team"], root["id"]) == kept


def test_thread_evidence_is_encrypted_and_purged_after_quiet_days(bot, people, fake, storage_url, cipher):
    marker = 'Src-ip="192.0.2.77" MARKER-THREAD-55'
    root, _ = bot.say(people["alice"], people["dm"], TLS_LOG + marker)
    bot.drain()
    with sqlite3.connect(Path(bot.config.data_dir / "hybridcall-bot.sqlite3")) as conn:
        dump = "\n".join(conn.iterdump())
    assert "MARKER-THREAD-55" not in dump and "192.0.2.77" not in dump
    assert "MARKER-THREAD-55" in bot.storage.thread_evidence(people["dm"], root["id"])[0][2]
    from bot.chat.storage import Storage

    storage = Storage(storage_url, cipher)                    # both databases forget the same way
    try:
        storage.set_thread_evidence("r", "old", [("m1", "message", "x")])
        storage.set_thread_evidence("r", "new", [("m2", "message", "y")])
        storage._execute("UPDATE thread_evidence SET updated = ? WHERE thread_id = 'old'", (time.time() - 15 * 86400,))
        assert storage.purge_thread_evidence(14 * 86400) == 1
        assert storage.thread_evidence("r", "old") == [] and storage.thread_evidence("r", "new")[0][2] == "y"
    finally:
        storage.close()


def test_the_sweeper_purges_quiet_threads(make_bot, people, fake):
    bot = make_bot(thread_memory_days=1)
    bot.storage.set_thread_evidence("r", "t", [("m", "message", "x")])
    bot.storage._execute("UPDATE thread_evidence SET updated = ?", (time.time() - 2 * 86400,))
    bot.rt.worker.sweep()
    assert bot.storage.thread_evidence("r", "t") == []


# ---------------------------------------------------------------- the bound
def test_a_thread_keeps_its_newest_evidence_within_the_bound(engine):
    old = [(f"m{n}", f"log{n}.txt", f"{n}" * 50_000) for n in range(6)]
    new = [from_text("message", XCONFIG)]
    kept = remembered(old, "m9", new, engine.diagnose_pieces(new))
    assert sum(len(text) for _, _, text in kept) <= MAX_THREAD_CHARS
    assert kept[-1] == ("m9", EARLIER_MESSAGE, XCONFIG) and kept[0][1] != "log0.txt"   # the oldest went first


def test_a_big_log_keeps_the_lines_its_diagnosis_quoted(engine):
    noise = "\n".join(f'2024-05-14T09:{n // 60:02d}:{n % 60:02d} expe01 tvcs: Module="network.sip" routine {n}'
                      for n in range(8000))
    big = from_text("expe.log", noise + "\n" + TLS_LOG + noise)
    report = engine.diagnose_pieces([big])
    assert report.diagnoses and len(big.text) > MAX_THREAD_CHARS
    [(_, name, text)] = remembered([], "m1", [big], report)
    assert name == "expe.log" and len(text) <= MAX_THREAD_CHARS
    assert "Peer's TLS certificate identity was unacceptable" in text
    again = engine.diagnose_pieces([*earlier_pieces([("m1", name, text)]), from_text("message", XCONFIG)])
    assert again.diagnoses[0].entry.id == "tls-inbound-mapping-off"


def test_excerpt_keeps_the_evidence_then_the_tail():
    text = "\n".join(f"line {n}" for n in range(1, 101))
    kept = excerpt(text, {50}, 70)
    assert "line 50" in kept and "line 100" in kept and "line 1\n" not in kept and len(kept) <= 70

