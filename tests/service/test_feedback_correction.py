"""After a 👎 the bot asks which of the report's other problems was right, or why, and stores the answer
(issue 12.2): choices from that diagnosis only, the room it was made in, bounded text, encrypted at rest."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bot.chat.cards import Correction, parse_action
from bot.chat.cards.actions import MAX_REASON, clean_reason
from tests.card_text import action, card_of

SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')
TWO_PROBLEMS = (SELF_SIGNED + 'Detail="CPL: <rule unauthenticated-origin=".*" '
                'destination=".*@acme\\.calls\\.webex\\.com.*"> matched "\nDetail="CPL: <reject/> "\n')
VAGUE = "calls from Webex to our desk phones never ring"
REASON = "It was the firewall: SIP inspection on the ASA, fixed by disabling it"


def press_down(bot, fake, person, room, text):
    """Ask, press 👎 on the answer; returns (answer post, the bot's question card post)."""
    bot.say(person, room, text)
    answer = bot.replies()[-1]
    bot.deliver("attachmentActions", fake.submit_card(person, answer["id"], action(answer, "👎")))
    question = bot.replies()[-1]
    assert question["parentId"] == answer["parentId"] and card_of(question) is not None
    return answer, question


def choices(post):
    inputs = [e for e in card_of(post)["body"] if e["type"] == "Input.ChoiceSet"]
    return [(c["value"], c["title"]) for c in inputs[0]["choices"]]


def test_thumbs_down_asks_which_other_diagnosis_was_right_and_stores_the_answer(bot, people, fake, engine):
    report = engine.diagnose(TWO_PROBLEMS)
    answer, question = press_down(bot, fake, people["alice"], people["team"], TWO_PROBLEMS)
    assert "did not help" in question["markdown"]
    offered = choices(question)
    assert offered == [*[(d.entry.id, d.entry.title) for d in report.diagnoses[1:]], ("none", "None of these")]
    reason = [e for e in card_of(question)["body"] if e["type"] == "Input.Text"][0]
    assert reason["maxLength"] == MAX_REASON == 300
    right = offered[0][0]
    inputs = {**action(question, "Send"), "right": right, "reason": REASON}
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], question["id"], inputs))
    ack = bot.replies()[-1]
    assert ack["parentId"] == answer["parentId"] and f"`{right}` was the right one" in ack["markdown"]
    [stored] = bot.storage.feedback_of(inputs["diagnosis"])
    assert (stored.vote, stored.entry_id, stored.right_entry, stored.reason) == (
        "down", report.diagnoses[0].entry.id, right, REASON)


def test_a_triage_none_of_these_offers_its_candidates(bot, people, fake, engine):
    report = engine.diagnose(VAGUE)
    _, question = press_down(bot, fake, people["alice"], people["dm"], VAGUE)
    assert [v for v, _ in choices(question)] == [*[c.id for c in report.candidates], "none"]
    inputs = {**action(question, "Send"), "right": "none", "reason": ""}
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], question["id"], inputs))
    assert "none of these was right" in bot.replies()[-1]["markdown"]
    [stored] = bot.storage.feedback_of(inputs["diagnosis"])
    assert (stored.entry_id, stored.right_entry, stored.reason) == ("", "none", "")


def test_someone_else_may_answer_the_question(bot, people, fake):
    _, question = press_down(bot, fake, people["alice"], people["team"], TWO_PROBLEMS)
    inputs = {**action(question, "Send"), "right": "", "reason": "  wrong\nbox,\tit was the Exp-C  "}
    bot.deliver("attachmentActions", fake.submit_card(people["bob"], question["id"], inputs))
    assert "noted that what you wrote" in bot.replies()[-1]["markdown"]
    votes = {f.person_id: f for f in bot.storage.feedback_of(inputs["diagnosis"])}
    assert votes[people["bob"]].vote == "down" and votes[people["bob"]].reason == "wrong box, it was the Exp-C"
    assert votes[people["alice"]].reason == ""


@pytest.mark.parametrize("forged", [
    {"right": "TOP"},                           # the diagnosis voted down is not one of the choices
    {"right": "tls-expe-cert-expired"},         # a real entry the report did not name
    {"right": "Robert'); DROP TABLE feedback"},
    {"reason": "x" * (MAX_REASON + 1)},         # longer than the field allows
    {"reason": ["a list"]},
    {"diagnosis": "f" * 32},                    # no such diagnosis
    {"kind": "diagnosis-feedback"},             # not a correction
])
def test_forged_corrections_store_nothing(bot, people, fake, engine, forged):
    _, question = press_down(bot, fake, people["alice"], people["team"], TWO_PROBLEMS)
    inputs = {**action(question, "Send"), "right": "none", "reason": "ok", **forged}
    if inputs["right"] == "TOP":
        inputs["right"] = engine.diagnose(TWO_PROBLEMS).diagnoses[0].entry.id
    before = len(bot.replies())
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], question["id"], inputs))
    bot.drain()
    assert len(bot.replies()) == before
    did = action(question, "Send")["diagnosis"]
    assert [(f.right_entry, f.reason) for f in bot.storage.feedback_of(did)] == [("", "")]


def test_a_correction_from_another_room_is_ignored(bot, people, fake):
    _, question = press_down(bot, fake, people["alice"], people["team"], TWO_PROBLEMS)
    elsewhere = fake.user_posts(people["alice"], people["dm"], "x")
    inputs = {**action(question, "Send"), "right": "none", "reason": "from elsewhere"}
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], elsewhere["id"], inputs))
    bot.drain()
    assert [f.reason for f in bot.storage.feedback_of(inputs["diagnosis"])] == [""]


def test_an_empty_answer_is_asked_again_and_a_new_vote_clears_the_correction(bot, people, fake):
    answer, question = press_down(bot, fake, people["alice"], people["team"], TWO_PROBLEMS)
    empty = {**action(question, "Send"), "right": "", "reason": "   "}
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], question["id"], empty))
    assert bot.replies()[-1]["markdown"].startswith("Choose which one was right")
    full = {**empty, "right": "none", "reason": "nope"}
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], question["id"], full))
    bot.drain()
    assert bot.storage.feedback_of(full["diagnosis"])[0].reason == "nope"
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], answer["id"], action(answer, "👍")))
    bot.drain()
    [stored] = bot.storage.feedback_of(full["diagnosis"])
    assert (stored.vote, stored.right_entry, stored.reason) == ("up", "", "")


def test_the_reason_is_encrypted_at_rest(bot, people, fake):
    _, question = press_down(bot, fake, people["alice"], people["dm"], TWO_PROBLEMS)
    inputs = {**action(question, "Send"), "right": "none", "reason": "MARKER-REASON-77 on 192.0.2.9"}
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], question["id"], inputs))
    bot.drain()
    assert bot.storage.feedback_of(inputs["diagnosis"])[0].reason.startswith("MARKER-REASON-77")
    with sqlite3.connect(Path(bot.config.data_dir / "hybridcall-bot.sqlite3")) as conn:
        dump = "\n".join(conn.iterdump())
    assert "MARKER-REASON-77" not in dump and "192.0.2.9" not in dump


def test_corrections_are_stored_on_both_databases(storage_url, cipher):
    from bot.chat.storage import NewDiagnosis, Storage

    storage = Storage(storage_url, cipher)
    try:
        did = storage.record_diagnosis(NewDiagnosis("m", "r", "group", "t", "p", "message", "match",
                                                    [{"id": "a", "title": "A", "confidence": 0.9}]))
        storage.record_feedback(did, "p", "a", "down", "act1")
        storage.record_correction(did, "p", "a", "b", "the other one", "act2")
        storage.record_correction(did, "q", "a", "none", "", "act3")
        assert [(f.person_id, f.vote, f.right_entry, f.reason) for f in storage.feedback_of(did)] == [
            ("p", "down", "b", "the other one"), ("q", "down", "none", "")]
        assert storage.feedback_counts([did]) == {did: {"down": 2}}
    finally:
        storage.close()


def test_the_local_page_asks_and_stores_too(engine, tmp_path):
    from bot.chat.config import Config
    from bot.web.app import create_app
    from bot.web.runtime import runtime

    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    try:
        client = app.test_client()
        client.post("/", data={"evidence": TWO_PROBLEMS})
        record = runtime(app).storage._diagnoses("WHERE 1 = 1", ())[0]
        down = {"kind": "diagnosis-feedback", "vote": "down", "diagnosis": record.id, "entry": record.results[0]["id"]}
        page = client.post("/feedback", data={"action": json.dumps(down)}).get_data(as_text=True)
        assert '<select id="in-right" name="right">' in page and 'maxlength="300"' in page
        send = {"kind": "diagnosis-correction", "diagnosis": record.id}
        page = client.post("/feedback", data={"action": json.dumps(send), "right": "none",
                                              "reason": "local reason"}).get_data(as_text=True)
        assert "none of these was right" in page
        assert runtime(app).storage.feedback_of(record.id)[0].reason == "local reason"
    finally:
        runtime(app).close()


def test_reading_a_correction():
    did = "ab" * 16
    assert parse_action({"kind": "diagnosis-correction", "diagnosis": did, "right": "none", "reason": ""}) == \
        Correction(did, "none", "")
    assert parse_action({"kind": "diagnosis-correction", "diagnosis": did}) == Correction(did, "", "")
    assert clean_reason("a\u0000b\n\n c") == "a b c" and clean_reason("x" * 301) is None and clean_reason(3) is None
