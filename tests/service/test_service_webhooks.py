"""The Webex service end to end: signed webhooks in, the real SDK talking HTTP to the fake Webex API, replies out."""
from __future__ import annotations

import concurrent.futures
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.chat.config import Config, ConfigError
from bot.render.fallback import FALLBACK_LIMIT
from bot.render.markdown import NO_MATCH_HELP
from matchers import load_knowledge_base
from tests.card_text import answer_text, buttons, card_of
from tests.service.conftest import SECRET, TOKEN

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "samples" / "inbound-tls-failure.txt").read_text()
SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')


def only_text(replies):
    return [r for r in replies if "attachments" not in r]


def only_cards(replies):
    return [r for r in replies if "attachments" in r]


# ---------------------------------------------------------------- signatures and acknowledgement
def test_signed_webhook_gets_one_threaded_answer_card(bot, people, fake):
    msg, resp = bot.say(people["alice"], people["dm"], SAMPLE)
    assert resp.status_code == 200 and resp.json["status"] == "queued"
    replies = bot.replies()
    assert len(replies) == 1                      # the answer is one post: the card with its fallback text
    answer = replies[0]
    assert answer["parentId"] == msg["id"]
    assert answer["markdown"].startswith("### Diagnosis: TLS verify inbound mapping is Off")
    assert "**Resolution:**" in answer["markdown"] and len(answer["markdown"].encode()) <= FALLBACK_LIMIT
    content = card_of(answer)
    assert content["version"] == "1.3"
    assert buttons(answer) == ["Show cause, 3 more steps, verify, references", "👍 Yes", "👎 No"]
    assert content["actions"][1]["data"]["entry"] == "tls-inbound-mapping-off"
    assert "TLS verify inbound mapping is Off" in answer_text(answer)
    assert bot.storage.table_counts()["diagnoses"] == 1


@pytest.mark.parametrize("signature", [None, "", "0" * 40, "not-hex", "é" * 40])
def test_missing_or_wrong_signature_is_refused_and_nothing_is_processed(bot, people, fake, signature):
    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    if signature is None:
        resp = bot.deliver("messages", msg, secret=None)
    else:
        resp = bot.deliver("messages", msg, signature=signature)
    assert resp.status_code == 403
    bot.drain()
    assert bot.storage.table_counts()["jobs"] == 0
    assert fake.state.calls["GET messages/{id}"] == 0
    assert fake.bot_messages() == []


def test_signature_with_another_secret_is_refused(bot, people, fake):
    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    assert bot.deliver("messages", msg, secret="someone-elses-secret").status_code == 403
    assert bot.deliver("messages", msg).status_code == 200


def test_tampered_body_is_refused(bot, people, fake):
    import json

    from bot.chat.signature import sign

    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    body = json.dumps(fake.webhook_payload("messages", "created", msg)).encode()
    signature = sign(body, SECRET)
    tampered = body.replace(msg["id"].encode(), b"Y2lzY29zcGFyazovL3VzL01FU1NBR0UvZm9yZ2Vk")
    resp = bot.client().post("/webhooks/messages", data=tampered, headers={"X-Spark-Signature": signature})
    assert resp.status_code == 403


def test_webex_mode_requires_a_secret():
    with pytest.raises(ConfigError, match="WEBEX_WEBHOOK_SECRET"):
        Config.from_env({"WEBEX_ACCESS_TOKEN": TOKEN})


def test_acknowledgement_does_not_wait_for_the_work(bot, people, fake):
    fake.fail("GET", r"^messages/", 503, times=2)  # processing will take retries; the ack must not
    import time

    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    start = time.perf_counter()
    resp = bot.deliver("messages", msg)
    elapsed = time.perf_counter() - start
    assert resp.status_code == 200 and elapsed < 0.5
    assert len(bot.replies()) == 1


# ---------------------------------------------------------------- exactly once
def test_duplicate_deliveries_are_processed_once(bot, people, fake):
    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = [f.result().json["status"] for f in [pool.submit(bot.deliver, "messages", msg) for _ in range(8)]]
    assert statuses.count("queued") == 1 and statuses.count("duplicate") == 7
    assert len(bot.replies()) == 1
    assert fake.state.calls["GET messages/{id}"] == 1


def test_duplicates_across_instances_and_restarts(make_bot, people, fake):
    first = make_bot()
    second = make_bot(storage=None)  # another instance, same database file
    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    assert first.deliver("messages", msg).json["status"] == "queued"
    assert second.deliver("messages", msg).json["status"] == "duplicate"
    first.drain()
    first.rt.close()
    restarted = make_bot()
    assert restarted.deliver("messages", msg).json["status"] == "duplicate"
    restarted.drain()
    assert len(fake.bot_messages()) == 1


def test_two_instances_on_a_shared_database_answer_once(make_bot, people, fake, storage_url, cipher):
    from bot.chat.storage import Storage

    one = make_bot(storage=Storage(storage_url, cipher))
    two = make_bot(storage=Storage(storage_url, cipher))
    messages = [fake.user_posts(people["alice"], people["dm"], f"help {i}" if i % 2 else "help") for i in range(6)]
    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        for msg in messages:
            pool.submit(one.deliver, "messages", msg)
            pool.submit(two.deliver, "messages", msg)
    one.drain()
    two.drain()
    parents = [r["parentId"] for r in fake.bot_messages()]
    assert sorted(parents) == sorted(m["id"] for m in messages)
    assert one.storage.job_counts() == {"done": 6}


def test_a_job_stranded_by_a_dead_instance_is_taken_over(make_bot, people, fake):
    dead = make_bot(start_worker=False)
    msg = fake.user_posts(people["alice"], people["dm"], SAMPLE)
    # the instance acknowledged the webhook (row stored) and died before working on it
    assert dead.storage.enqueue(f"message:{msg['id']}", "message", {"id": msg["id"], "roomId": people["dm"]},
                                grace=0)
    survivor = make_bot()
    assert survivor.rt.worker.sweep() == 1
    assert len(survivor.replies()) == 1
    assert survivor.rt.worker.sweep() == 0
    assert survivor.storage.job_status(f"message:{msg['id']}")["status"] == "done"


# ---------------------------------------------------------------- who is talking
def test_own_messages_and_other_bots_are_ignored(bot, people, fake):
    mine = {"id": "Y2lzY29zcGFyazovL3VzL01FU1NBR0UvbWluZQ", "roomId": people["dm"], "roomType": "direct",
            "personId": fake.state.bot_id, "personEmail": "hcs-diag@webex.bot"}
    other_bot = dict(mine, id="Y2lzY29zcGFyazovL3VzL01FU1NBR0Uvb3RoZXI", personId="x", personEmail="other@webex.bot")
    assert bot.deliver("messages", mine).json == {"reason": "bot", "status": "ignored"}
    assert bot.deliver("messages", other_bot).json == {"reason": "bot", "status": "ignored"}
    assert bot.replies() == []
    assert bot.storage.table_counts()["jobs"] == 0


def test_own_message_is_ignored_even_when_the_payload_lacks_the_email(bot, people, fake):
    reply = fake.user_posts(people["alice"], people["dm"], "help")
    bot.deliver("messages", reply)
    posted = bot.replies()[0]
    payload_obj = {k: v for k, v in posted.items() if k != "personEmail"}
    bot.rt.bot_id = ""  # identity not learned yet: the worker still recognises its own message
    assert bot.deliver("messages", payload_obj).json["status"] == "queued"
    bot.drain()
    assert len(fake.bot_messages()) == 1
    assert bot.storage.job_status(f"message:{posted['id']}")["status"] == "ignored"


def test_group_mention_is_stripped_before_reading_the_message(bot, people, fake):
    msg, _ = bot.say(people["alice"], people["team"], "help")
    replies = bot.replies()
    assert len(replies) == 1 and replies[0]["parentId"] == msg["id"]
    assert replies[0]["markdown"].startswith("### Hybrid Call Service Connect diagnosis")


def test_group_mention_with_shortened_name_and_bare_uuid(bot, people, fake):
    from tests.fake_webex import bare_uuid

    html = (f'<p><spark-mention data-object-type="person" data-object-id="{bare_uuid(fake.state.bot_id)}">HCS'
            "</spark-mention> topics</p>")
    fake.state.bot_name = "HCS"
    bot.say(people["alice"], people["team"], "topics", html=html)
    assert bot.replies()[0]["markdown"].startswith("### What I know")


def test_group_message_without_a_mention_is_ignored(bot, people, fake):
    bot.say(people["alice"], people["team"], "help", mention=False)
    assert bot.replies() == []


def test_reply_goes_to_the_thread_root_when_the_user_writes_in_a_thread(bot, people, fake):
    root, _ = bot.say(people["alice"], people["team"], "help")
    bot.drain()
    follow, _ = bot.say(people["alice"], people["team"], SELF_SIGNED, parent_id=root["id"])
    replies = bot.replies()
    assert len(replies) == 2
    assert all(r["parentId"] == root["id"] for r in replies)
    assert "Expressway-E does not trust" in replies[1]["markdown"]


# ---------------------------------------------------------------- what the reply says
def test_a_long_answer_is_one_card_with_a_short_fallback(bot, people, fake):
    kb = load_knowledge_base()
    text = "\n".join(ex for e in kb for ex in e.positive_examples)
    bot.say(people["alice"], people["dm"], text)
    replies = bot.replies()
    assert len(replies) == 1 and card_of(replies[0]) is not None
    assert len(replies[0]["markdown"].encode()) <= FALLBACK_LIMIT
    assert "Also possible: " in replies[0]["markdown"]            # the other diagnoses are named
    assert "Also possible" in answer_text(replies[0])


def test_no_match_says_so_and_what_would_help(bot, people, fake):
    bot.say(people["alice"], people["dm"], "thanks, all good now, have a nice weekend")
    replies = bot.replies()
    assert len(replies) == 1  # no card without a diagnosis
    body = replies[0]["markdown"]
    assert body.startswith("No documented Hybrid Call Service Connect problem matches this.")
    assert NO_MATCH_HELP in body and "developer.ssl" in body and "xConfiguration" in body


def test_empty_mention_prompts_for_evidence(bot, people, fake):
    bot.say(people["alice"], people["team"], "")
    assert "Paste the evidence" in bot.replies()[0]["markdown"]


# ---------------------------------------------------------------- commands
@pytest.mark.parametrize(("text", "starts"), [
    ("help", "### Hybrid Call Service Connect diagnosis"),
    ("/help", "### Hybrid Call Service Connect diagnosis"),
    ("topics", "### What I know"),
    ("explain tls-expe-untrusted-webex-ca", "### Expressway-E does not trust"),
    ("explain 603", "SIP 603 appears in these documented problems"),
    ("explain nothing-like-this", "I have no topic `nothing-like-this`"),
    ("case 12345", "TAC case numbers have nine digits"),
    ("case 694123456", "### Case [694123456]"),
])
def test_commands(bot, people, fake, text, starts):
    bot.say(people["alice"], people["dm"], text)
    replies = bot.replies()
    assert len(replies) == 1
    assert replies[0]["markdown"].startswith(starts), replies[0]["markdown"][:200]


def test_a_pasted_log_containing_help_is_evidence(bot, people, fake):
    bot.say(people["alice"], people["dm"], "help\n" + SELF_SIGNED)
    replies = bot.replies()
    assert "Expressway-E does not trust" in replies[0]["markdown"]
    bot.say(people["alice"], people["dm"], "help me: " + SELF_SIGNED.strip())
    assert "Expressway-E does not trust" in bot.replies()[1]["markdown"]


def test_why_603_question_is_answered(bot, people, fake):
    bot.say(people["alice"], people["dm"], "why 603 decline after the webex user answers, cucm never acks")
    assert "### " in bot.replies()[0]["markdown"]


# ---------------------------------------------------------------- Webex API failures
def test_429_honours_retry_after(bot, people, fake):
    fake.fail("POST", r"^messages$", 429, times=1, retry_after=3)
    bot.say(people["alice"], people["dm"], "help")
    replies = bot.replies()
    assert len(replies) == 1
    assert 3 in bot.sleep.calls
    assert fake.state.calls["POST messages"] == 2


def test_429_beyond_the_bound_reschedules_instead_of_blocking(bot, people, fake):
    fake.fail("POST", r"^messages$", 429, times=1, retry_after=3600)
    msg, _ = bot.say(people["alice"], people["dm"], "help")
    bot.drain()
    status = bot.storage.job_status(f"message:{msg['id']}")
    assert status["status"] == "retry" and "rate limited" in status["last_error"]
    assert all(s <= bot.config.max_retry_after for s in bot.sleep.calls)
    assert bot.fake.bot_messages() == []


def test_5xx_is_retried_with_backoff(bot, people, fake):
    fake.fail("GET", r"^messages/", 502, times=2)
    fake.fail("POST", r"^messages$", 500, times=1)
    bot.say(people["alice"], people["dm"], "help")
    assert len(bot.replies()) == 1
    backoff = [s for s in bot.sleep.calls]
    assert len(backoff) == 3 and backoff[1] > backoff[0] * 1.1


def test_reply_that_cannot_be_posted_is_retried_later_and_logged(bot, people, fake, caplog):
    fake.fail("POST", r"^messages$", 503, times=4)  # more than the in-place retries
    msg, _ = bot.say(people["alice"], people["dm"], "help")
    with caplog.at_level(logging.WARNING, logger="bot"):
        bot.drain()
    job = f"message:{msg['id']}"
    assert bot.storage.job_status(job)["status"] == "retry"
    assert any(job in r.getMessage() and "retrying" in r.getMessage() for r in caplog.records)
    # later, when Webex is back, the sweeper posts it exactly once
    bot.storage._execute("UPDATE jobs SET available_at = 0 WHERE id = ?", (job,))
    assert bot.rt.worker.sweep() == 1
    assert len(bot.replies()) == 1
    assert bot.storage.job_status(job)["status"] == "done"


def test_a_retried_job_does_not_repost_what_was_already_posted(bot, people, fake):
    from bot.chat.webex import TransientWebexError
    from tests.call_logs import Log, Site, inbound

    log = Log()
    inbound(log, Site(), 0.0, 500, reject_at_c=True)
    url = fake.add_file("expe-diag.log", ("\n".join(log.lines()) + "\n").encode())
    msg = fake.user_posts(people["alice"], people["dm"], "inbound calls fail", files=[url])
    original, outage = bot.rt.webex.post_file, [True]

    def ladder_fails_once(*args, **kwargs):   # the answer card is posted; the ladder under it is not
        if outage.pop() if outage else False:
            raise TransientWebexError("simulated outage", 503)
        return original(*args, **kwargs)

    bot.rt.webex.post_file = ladder_fails_once
    bot.deliver("messages", msg)
    bot.drain()
    job = f"message:{msg['id']}"
    status = bot.storage.job_status(job)
    assert status["status"] == "retry" and status["progress"]["posted"] == 1
    bot.storage._execute("UPDATE jobs SET available_at = 0 WHERE id = ?", (job,))
    bot.rt.worker.sweep()
    replies = bot.replies(pictures=True)
    assert len(only_cards(replies)) == 1                        # the answer once
    assert len([r for r in replies if r.get("files")]) == 1     # the ladder once, after the retry
    assert bot.storage.table_counts()["diagnoses"] == 1         # the retry reused the recorded diagnosis


def test_deleted_message_is_not_retried(bot, people, fake):
    msg = fake.user_posts(people["alice"], people["dm"], "help")
    del fake.state.messages[msg["id"]]
    bot.deliver("messages", msg)
    bot.drain()
    assert bot.storage.job_status(f"message:{msg['id']}")["status"] == "ignored"


# ---------------------------------------------------------------- logs
def test_no_token_and_no_evidence_in_logs_at_info(make_bot, people, fake, caplog):
    secret_evidence = 'Detail="self signed certificate in certificate chain" Src-ip="192.0.2.77" SR 694123456'
    with caplog.at_level(logging.INFO):
        bot = make_bot()
        fake.fail("POST", r"^messages$", 429, times=1, retry_after=1)
        fake.fail("GET", r"^messages/", 500, times=1)
        bot.say(people["alice"], people["dm"], secret_evidence)
        bot.drain()
        bot.deliver("messages", fake.user_posts(people["alice"], people["dm"], "x"), secret="wrong")
        bot.drain()
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert TOKEN not in text and SECRET not in text
    assert "192.0.2.77" not in text and "self signed certificate" not in text
    assert repr(bot.config).count(TOKEN) == 0


def test_evidence_is_encrypted_at_rest(bot, people, fake):
    marker = "UNIQUE-EVIDENCE-MARKER-42"
    bot.say(people["alice"], people["dm"], f"case 694123456\n{SELF_SIGNED}{marker}")
    bot.drain()
    record = bot.storage.case_history("694123456")[0]
    assert marker in record.evidence
    raw = Path(bot.config.data_dir / "hybridcall-bot.sqlite3")
    with sqlite3.connect(raw) as conn:
        blob = conn.execute("SELECT evidence FROM diagnoses").fetchone()[0]
        dump = "\n".join(conn.iterdump())
    assert blob and marker.encode() not in blob
    assert marker not in dump


def test_a_signed_event_other_than_created_is_acknowledged_and_ignored(bot, people, fake):
    import json as _json

    from bot.chat.signature import sign as _sign

    payload = fake.webhook_payload("messages", "deleted", {"id": "gone", "roomId": people["team"]})
    body = _json.dumps(payload).encode()
    reply = bot.client().post("/webhooks/messages", data=body,
                              headers={"Content-Type": "application/json", "X-Spark-Signature": _sign(body, SECRET)})
    assert (reply.status_code, reply.json) == (200, {"status": "ignored"})
    assert bot.storage.table_counts()["jobs"] == 0


@pytest.mark.parametrize("text", ["hi", "Hello team!", "thanks", "你好"])
def test_a_greeting_gets_a_greeting_not_a_diagnosis(bot, people, fake, text):
    bot.say(people["alice"], people["dm"], text)
    replies = bot.replies()
    assert len(replies) == 1
    body = replies[0]["markdown"]
    assert "No documented" not in body and ("Hello" in body or "welcome" in body)
