"""The answer as one Adaptive Card (issue 12): the verdict, its confidence, the decisive evidence and the first
steps visible; the rest behind toggles; 👍 / 👎; a triage's candidates each with a button that posts it in full.
Every example the project has must give a card Webex takes: at most five buttons, toggles that find their
section, under the size ceiling, with a short markdown fallback."""
from __future__ import annotations

import dataclasses
import sqlite3

from bot.chat.cards import MAX_ACTIONS, MAX_CARD_BYTES, Extras, answer_card, card_bytes
from bot.chat.crypto import EvidenceCipher
from bot.chat.storage import SCHEMA_VERSION, NewDiagnosis, Storage
from bot.chat.storage.db import _SCHEMA
from bot.render.fallback import FALLBACK_LIMIT, diagnosis_fallback, triage_fallback
from bot.render.markdown import confidence_words, explain_markdown
from tests.card_text import action, buttons, card_of, card_text
from tests.fake_webex import _check_card
from tests.golden import example_texts
from tests.service.conftest import KEY

SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')
VAGUE = "calls from Webex to our desk phones never ring"
DID = "0123456789abcdef" * 2


def hidden_ids(card):
    def walk(items):
        for item in items:
            yield item
            yield from walk(item.get("items", []))
    return {e["id"] for e in walk(card["body"]) if e.get("isVisible") is False}


def visible_text(card):
    return card_text({"body": [e for e in card["body"] if e.get("isVisible") is not False]})


# ---------------------------------------------------------------- the card's content
def test_every_example_gives_a_card_webex_takes_and_a_short_fallback(engine):
    cards = 0
    links = "**Linked:** TAC case [694123456](https://mycase.cloudapps.cisco.com/case/694123456)"
    for key, text in example_texts():
        report = engine.diagnose(text)
        card = answer_card(report, DID, Extras(notes=["Read 2 text file(s) from `bundle.tar.gz`."], links=links))
        if card is None:
            assert not report.diagnoses and not report.candidates, key
            continue
        cards += 1
        assert card_bytes(card) <= MAX_CARD_BYTES and not _check_card(card), key
        assert len(card["actions"]) <= MAX_ACTIONS
        toggled = {t for a in card["actions"] if a["type"] == "Action.ToggleVisibility" for t in a["targetElements"]}
        assert toggled == hidden_ids(card), key
        fallback = (diagnosis_fallback if report.diagnoses else triage_fallback)(report, ["Read 2 files."], links)
        assert len(fallback.encode()) <= FALLBACK_LIMIT, key
    assert cards > 300


def test_the_visible_part_is_the_verdict_the_evidence_and_the_first_steps(engine):
    report = engine.diagnose(SELF_SIGNED)
    d = report.diagnoses[0]
    card = answer_card(report, DID)
    shown = visible_text(card)
    assert d.entry.title in shown and f"Confidence: {confidence_words(d.confidence)}" in shown
    assert "Evidence matched" in shown and 'Detail="self signed certificate in certificate chain"' in shown
    assert "1. " in shown and "3. " in shown and "4. " not in shown
    hidden = card_text(card).replace(shown, "")
    assert "Cause" in hidden and "4. " in hidden and "Verify" in hidden and "References" in hidden
    assert [a["title"] for a in card["actions"]][-2:] == ["👍 Yes", "👎 No"]


def test_log_lines_are_monospace_and_shown_as_written(engine):
    quote = '*c xConfiguration Zones Zone 4 DNS SIP TLS Verify InboundClassification: "Off"'
    report = engine.diagnose(quote + '\nDetail="Peer\'s TLS certificate identity was unacceptable"')
    card = answer_card(report, DID)
    blocks = [b for b in card["body"] if b.get("fontType") == "Monospace"]
    assert blocks and any("\\*c xConfiguration" in b["text"] for b in blocks)   # markdown would eat the *
    assert quote in card_text(card)


def test_long_texts_are_cut_to_keep_the_card_under_its_ceiling(engine):
    report = engine.diagnose(SELF_SIGNED)
    d = report.diagnoses[0]
    entry = dataclasses.replace(d.entry, cause="very long cause " * 4000, summary="summary " * 3000,
                                verify=["check " * 500] * 30)
    report.diagnoses[0] = dataclasses.replace(d, entry=entry)
    read = ["**Packet capture** `x.pcap`\n\n```\n" + "\n".join(f"{n} frame" for n in range(5000)) + "\n```"]
    card = answer_card(report, DID, Extras(notes=["note " * 2000], read=read, links="**Linked:** x"))
    assert card_bytes(card) <= MAX_CARD_BYTES and not _check_card(card)
    assert "very long cause" in card_text(card) and " …" in card_text(card)
    assert len(diagnosis_fallback(report, ["note " * 2000], "links " * 500).encode()) <= FALLBACK_LIMIT


def test_a_triage_card_has_a_button_per_candidate(engine):
    report = engine.diagnose(VAGUE)
    assert report.candidates and not report.diagnoses
    card = answer_card(report, DID)
    titles = [a["title"] for a in card["actions"]]
    assert len(titles) == len(report.candidates) + 1 and titles[-1] == "👎 None of these"
    assert [a["data"]["entry"] for a in card["actions"][:-1]] == [c.id for c in report.candidates]
    assert all(c.title in card_text(card) for c in report.candidates)


# ---------------------------------------------------------------- in Webex
def test_a_diagnosis_is_one_post_and_its_look_alikes_are_a_button_away(bot, people, fake, engine):
    text = (SELF_SIGNED + 'Detail="CPL: <rule unauthenticated-origin=".*" '
                          'destination=".*@acme\\.calls\\.webex\\.com.*"> matched "\nDetail="CPL: <reject/> "\n')
    report = engine.diagnose(text)
    assert len(report.diagnoses) >= 2
    msg, _ = bot.say(people["alice"], people["team"], text)
    [answer] = bot.replies()
    assert answer["parentId"] == msg["id"] and card_of(answer) is not None
    others = [d.entry.id for d in report.diagnoses[1:]]
    about = [a for a in card_of(answer)["actions"] if a["title"].startswith("About: ")]
    assert [a["data"]["entry"] for a in about] == others[:len(about)] and about
    bot.deliver("attachmentActions", fake.submit_card(people["bob"], answer["id"], about[0]["data"]))
    replies = bot.replies()
    assert len(replies) == 2 and replies[1]["parentId"] == msg["id"]
    assert replies[1]["markdown"] == explain_markdown(engine.kb, others[0])[0]


def test_a_triage_candidate_button_posts_what_explain_posts(bot, people, fake):
    msg, _ = bot.say(people["alice"], people["dm"], VAGUE)
    [answer] = bot.replies()
    assert answer["markdown"].startswith("This fits more than one documented problem")
    assert len(answer["markdown"].encode()) <= FALLBACK_LIMIT
    first = buttons(answer)[0]
    data = action(answer, first)
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], answer["id"], data))
    bot.drain()
    bot.say(people["alice"], people["dm"], f"explain {data['entry']}")
    replies = bot.replies()
    assert replies[1]["parentId"] == msg["id"] and replies[1]["markdown"] == replies[2]["markdown"]
    assert bot.storage.get_diagnosis(data["diagnosis"]).candidates[0]["id"] == data["entry"]


def test_explain_buttons_that_do_not_belong_to_the_diagnosis_post_nothing(bot, people, fake):
    bot.say(people["alice"], people["dm"], VAGUE)
    [answer] = bot.replies()
    data = action(answer, buttons(answer)[0])
    other_room = fake.user_posts(people["alice"], people["team"], "x")
    for inputs, where in (({**data, "entry": "tls-expe-cert-expired"}, answer["id"]),   # not a candidate
                          ({**data, "diagnosis": "f" * 32}, answer["id"]),               # no such diagnosis
                          ({**data, "entry": "../../etc"}, answer["id"]),                # not an id
                          (data, other_room["id"])):                                     # pressed elsewhere
        bot.deliver("attachmentActions", fake.submit_card(people["alice"], where, inputs))
    bot.drain()
    assert len(bot.replies()) == 1
    assert bot.storage.job_counts() == {"done": 1, "ignored": 4}


def test_the_local_page_posts_a_candidate_in_full(engine, tmp_path):
    from bot.chat.config import Config
    from bot.web.app import create_app
    from bot.web.runtime import runtime

    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    try:
        import json

        client = app.test_client()
        page = client.post("/", data={"evidence": VAGUE}).get_data(as_text=True)
        assert 'class="secondary action-explain-entry"' in page
        record = runtime(app).storage._diagnoses("WHERE 1 = 1", ())[0]
        entry = record.candidates[1]["id"]
        page = client.post("/feedback", data={"action": json.dumps(
            {"kind": "explain-entry", "diagnosis": record.id, "entry": entry})}).get_data(as_text=True)
        assert f"{entry}</code> · problem" in page
    finally:
        runtime(app).close()


# ---------------------------------------------------------------- storage
def test_a_version_1_database_is_migrated_and_keeps_its_records(tmp_path):
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as conn:   # as the first release left it
        conn.executescript(_SCHEMA.format(real="REAL", blob="BLOB"))
        conn.execute("INSERT INTO schema_version (version) VALUES (1)")
        conn.execute("INSERT INTO diagnoses VALUES ('a' || hex(randomblob(15)), 1, 'm', 'r', 'direct', 't', 'p', "
                     "'message', 'match', 'x', 0.9, '[{\"id\": \"x\", \"title\": \"X\", \"confidence\": 0.9}]', NULL)")
    storage = Storage(f"sqlite:///{path}", EvidenceCipher([KEY]))
    try:
        assert storage.schema_version() == SCHEMA_VERSION
        [old] = storage._diagnoses("WHERE 1 = 1", ())
        assert old.results[0]["id"] == "x" and old.candidates == []
        storage.record_correction(old.id, "p", "x", "none", "why", "a1")       # the feedback columns came too
        assert [(f.right_entry, f.reason) for f in storage.feedback_of(old.id)] == [("none", "why")]
        new = storage.record_diagnosis(NewDiagnosis("m2", "r", "direct", "t", "p", "message", "triage", [],
                                                    candidates=[{"id": "y", "title": "Y"}]))
        assert storage.get_diagnosis(new).candidates == [{"id": "y", "title": "Y"}]
    finally:
        storage.close()
    again = Storage(f"sqlite:///{path}", EvidenceCipher([KEY]))   # a second start migrates nothing
    assert again.schema_version() == SCHEMA_VERSION
    again.close()


def test_migrations_run_on_both_databases(storage_url, cipher):
    storage = Storage(storage_url, cipher)
    try:
        assert storage.schema_version() == SCHEMA_VERSION
        did = storage.record_diagnosis(NewDiagnosis("m", "r", "group", "t", "p", "message", "triage", [],
                                                    candidates=[{"id": "in-port-5062-blocked", "title": "T"}]))
        assert storage.get_diagnosis(did).candidates[0]["id"] == "in-port-5062-blocked"
    finally:
        storage.close()
