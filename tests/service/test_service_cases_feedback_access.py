"""Case linking and history, card feedback, access control, through the service and the fake Webex API."""
from __future__ import annotations

import pytest

from tests.card_text import action

SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')
CASE_URL = "https://mycase.cloudapps.cisco.com/case/694123456"


def card_of(replies):
    return next(r for r in replies if "attachments" in r)


# ---------------------------------------------------------------- cases
@pytest.mark.parametrize("written", ["SR 694123456", "case #694123456", "TAC case 694123456", "694123456"])
def test_case_number_is_linked_and_the_diagnosis_recorded(bot, people, fake, written):
    bot.say(people["alice"], people["dm"], f"{written}: calls fail\n{SELF_SIGNED}")
    reply = bot.replies()[0]["markdown"]
    assert f"[694123456]({CASE_URL})" in reply and "recorded in its history" in reply
    history = bot.storage.case_history("694123456")
    assert [r.results[0]["id"] for r in history] == ["tls-expe-untrusted-webex-ca"]


def test_bug_ids_are_linked(bot, people, fake):
    bot.say(people["alice"], people["dm"], f"maybe CSCvc70955?\n{SELF_SIGNED}")
    reply = bot.replies()[0]["markdown"]
    assert "[CSCvc70955](https://bst.cloudapps.cisco.com/bugsearch/bug/CSCvc70955)" in reply


def test_link_templates_are_configurable(make_bot, people, fake):
    bot = make_bot(case_url_template="https://cases.example/{case}", bug_url_template="https://bugs.example/{bug}")
    bot.say(people["alice"], people["dm"], f"SR 694123456 CSCvc70955\n{SELF_SIGNED}")
    reply = bot.replies()[0]["markdown"]
    assert "(https://cases.example/694123456)" in reply and "(https://bugs.example/CSCvc70955)" in reply


def test_numbers_inside_logs_are_not_taken_for_cases(bot, people, fake):
    bot.say(people["alice"], people["dm"], 'Call-ID: 694123456@203.0.113.8 Src-port="694123456"\n' + SELF_SIGNED)
    bot.drain()
    assert "TAC case" not in bot.replies()[0]["markdown"]
    assert bot.storage.table_counts()["case_links"] == 0


def test_case_mentioned_earlier_in_the_thread_gets_the_later_diagnosis(bot, people, fake):
    root, _ = bot.say(people["alice"], people["team"], "working SR 694123456 with TAC, logs follow")
    bot.drain()
    bot.say(people["alice"], people["team"], SELF_SIGNED, parent_id=root["id"])
    replies = bot.replies()
    assert "694123456" in replies[-1]["markdown"]
    ids = [r.results[0]["id"] if r.results else None for r in bot.storage.case_history("694123456")]
    assert ids[-1] == "tls-expe-untrusted-webex-ca"
    assert len(ids) == 2


def test_case_in_an_unseen_thread_root_is_found_by_reading_the_root(bot, people, fake):
    root = fake.user_posts(people["bob"], people["team"], "TAC case 694123456 opened for the 5062 failures",
                           mention=False)
    bot.say(people["alice"], people["team"], SELF_SIGNED, parent_id=root["id"])
    bot.drain()
    assert [r.results[0]["id"] for r in bot.storage.case_history("694123456")] == ["tls-expe-untrusted-webex-ca"]


def test_case_history_shows_when_where_what_and_feedback(bot, people, fake):
    msg, _ = bot.say(people["alice"], people["team"], f"SR 694123456\n{SELF_SIGNED}")
    card = card_of(bot.replies())
    submission = fake.submit_card(people["alice"], card["id"], action(card, "👍"))
    bot.deliver("attachmentActions", submission)
    bot.drain()
    bot.say(people["alice"], people["team"], "case 694123456")
    history = bot.replies()[-1]["markdown"]
    assert history.startswith(f"### Case [694123456]({CASE_URL})")
    assert "1 diagnosis recorded" in history
    assert "this space" in history and "`tls-expe-untrusted-webex-ca` (" in history
    assert "feedback 👍 1 👎 0" in history
    assert " UTC · " in history


def test_case_history_from_other_spaces_is_limited_to_the_asker(bot, people, fake):
    bot.say(people["alice"], people["dm"], f"SR 694123456\n{SELF_SIGNED}")  # Alice's direct space
    bot.drain()
    bot.say(people["bob"], people["team"], "case 694123456")
    bob_view = bot.replies()[-1]["markdown"]
    assert "No diagnoses are recorded" in bob_view and "1 recorded in spaces" in bob_view
    bot.say(people["alice"], people["team"], "case 694123456")
    alice_view = bot.replies()[-1]["markdown"]
    assert "1 diagnosis recorded" in alice_view and "Alice and the bot" in alice_view


def test_case_history_scope_all(make_bot, people, fake):
    bot = make_bot(case_history_scope="all")
    bot.say(people["alice"], people["dm"], f"SR 694123456\n{SELF_SIGNED}")
    bot.drain()
    bot.say(people["bob"], people["team"], "case 694123456")
    assert "1 diagnosis recorded" in bot.replies()[-1]["markdown"]


# ---------------------------------------------------------------- feedback
def test_card_vote_is_fetched_and_stored_on_the_diagnosis(bot, people, fake):
    msg, _ = bot.say(people["alice"], people["dm"], SELF_SIGNED)
    card = card_of(bot.replies())
    down = action(card, "👎")
    resp = bot.deliver("attachmentActions", fake.submit_card(people["alice"], card["id"], down))
    assert resp.json["status"] == "queued"
    replies = bot.replies()
    assert replies[-1]["parentId"] == msg["id"] and "did not help" in replies[-1]["markdown"]
    assert fake.state.calls["GET attachment/actions/{id}"] == 1
    record = bot.storage.get_diagnosis(down["diagnosis"])
    assert record.feedback == {"down": 1}
    # a change of mind replaces the vote; a duplicate delivery changes nothing
    up = action(card, "👍")
    second = fake.submit_card(people["alice"], card["id"], up)
    bot.deliver("attachmentActions", second)
    assert bot.deliver("attachmentActions", second).json["status"] == "duplicate"
    bot.drain()
    assert bot.storage.get_diagnosis(down["diagnosis"]).feedback == {"up": 1}


def test_forged_or_foreign_votes_are_ignored(bot, people, fake):
    bot.say(people["alice"], people["dm"], SELF_SIGNED)
    card = card_of(bot.replies())
    data = action(card, "👍")
    for inputs in ({**data, "diagnosis": "0" * 32}, {**data, "entry": "some-other-entry"}, {"vote": "up"},
                   {**data, "vote": "maybe"}):
        bot.deliver("attachmentActions", fake.submit_card(people["alice"], card["id"], inputs))
    # the same diagnosis voted from another space
    other = fake.user_posts(people["alice"], people["team"], "x")
    bot.deliver("attachmentActions", fake.submit_card(people["bob"], other["id"], data))
    bot.drain()
    assert bot.storage.table_counts()["feedback"] == 0
    assert len(bot.replies()) == 1


# ---------------------------------------------------------------- access control
def test_allow_list_by_domain_refuses_others_once_and_stores_nothing(make_bot, people, fake):
    bot = make_bot(allowed_email_domains=frozenset({"customer.example"}))
    outsider_room = fake.add_room("Bob and the bot", "direct")
    for _ in range(3):
        bot.say(people["bob"], outsider_room, f"SR 694123456\n{SELF_SIGNED}")
    refusals = bot.replies(outsider_room)
    assert len(refusals) == 1 and refusals[0]["markdown"].startswith("Sorry, I am set up to help")
    assert set(bot.storage.table_counts().values()) == {0}
    assert fake.state.calls["GET messages/{id}"] == 0
    bot.say(people["alice"], people["dm"], SELF_SIGNED)
    assert len(bot.replies(people["dm"])) == 1


def test_allow_list_by_person_and_by_room(make_bot, people, fake):
    bot = make_bot(allowed_person_ids=frozenset({people["bob"]}), allowed_room_ids=frozenset({people["team"]}))
    bot.say(people["bob"], fake.add_room("Bob direct", "direct"), "help")  # allowed person anywhere
    bot.say(people["alice"], people["team"], "help")                      # anyone in the allowed room
    carol = fake.add_person("Carol", "carol@else.example")
    carol_room = fake.add_room("Carol direct", "direct")
    bot.say(carol, carol_room, "help")
    replies = bot.replies()
    assert sum(r["markdown"].startswith("### Hybrid Call") for r in replies) == 2
    assert [r["markdown"][:5] for r in bot.replies(carol_room)] == ["Sorry"]


def test_votes_from_people_not_allowed_are_ignored(make_bot, people, fake):
    bot = make_bot(allowed_email_domains=frozenset({"customer.example"}))
    bot.say(people["alice"], people["team"], SELF_SIGNED)
    card = card_of(bot.replies())
    data = action(card, "👍")
    bot.deliver("attachmentActions", fake.submit_card(people["bob"], card["id"], data))
    bot.drain()
    assert bot.storage.table_counts()["feedback"] == 0
    bot.deliver("attachmentActions", fake.submit_card(people["alice"], card["id"], data))
    bot.drain()
    assert bot.storage.table_counts()["feedback"] == 1
