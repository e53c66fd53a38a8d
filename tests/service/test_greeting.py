"""The bot added to a space greets it once with a short card (issue 12.3): what to paste, `help`, an example.
Someone else joining gets nothing; the memberships webhook is signed and registered like the others."""
from __future__ import annotations

from bot.chat.registration import HOOKS, register
from tests.card_text import answer_text, card_of


def greetings(bot, room):
    return [r for r in bot.replies(room) if card_of(r) and "Hello! I diagnose" in answer_text(r)]


def test_the_bot_added_to_a_space_greets_it_once(bot, people, fake):
    membership, resp = bot.add(fake.state.bot_id, people["team"], actor=people["alice"])
    assert resp.status_code == 200 and resp.json["status"] == "queued"
    [greeting] = greetings(bot, people["team"])
    assert "parentId" not in greeting                       # a post of its own, not a reply
    text = answer_text(greeting)
    assert "Expressway-C/E diagnostic log" in text                             # what to paste
    assert "**@HCS Diag help**" in text                                        # help
    assert "**@HCS Diag calls from Webex to our desk phones never ring**" in text   # an example
    assert "`@HCS Diag help`" in greeting["markdown"]                          # the fallback says the same
    # a duplicate delivery, the bot removed and added again, or another instance: no second greeting
    assert bot.deliver("memberships", membership, actor=people["alice"]).json["status"] == "duplicate"
    bot.add(fake.state.bot_id, people["team"], actor=people["bob"])
    bot.drain()
    assert len(greetings(bot, people["team"])) == 1
    assert bot.storage.was_greeted(people["team"])


def test_someone_else_added_is_not_greeted(bot, people, fake):
    bot.rt.bot_id = fake.state.bot_id
    carol = fake.add_person("Carol New", "carol@customer.example")
    _, resp = bot.add(carol, people["team"], actor=people["alice"])
    assert resp.json == {"reason": "not the bot", "status": "ignored"}
    bot.rt.bot_id = ""   # identity not learned yet: queued, and the worker sees it is not the bot
    _, resp = bot.add(people["bob"], people["team"], actor=people["alice"])
    assert resp.json["status"] == "queued"
    bot.drain()
    assert bot.replies() == [] and not bot.storage.was_greeted(people["team"])


def test_a_direct_space_is_answered_not_greeted(bot, people, fake):
    bot.add(fake.state.bot_id, people["dm"], actor=people["alice"])
    bot.drain()
    assert bot.replies() == [] and not bot.storage.was_greeted(people["dm"])


def test_no_greeting_when_added_by_someone_not_allowed(make_bot, people, fake):
    bot = make_bot(allowed_email_domains=frozenset({"customer.example"}))
    bot.add(fake.state.bot_id, people["team"], actor=people["bob"])        # bob@partner.example
    bot.drain()
    assert bot.replies() == []
    other = fake.add_room("Allowed team", "group")
    bot.add(fake.state.bot_id, other, actor=people["alice"])
    assert len(greetings(bot, other)) == 1


def test_an_unsigned_membership_webhook_is_refused(bot, people, fake):
    membership = fake.add_member(people["team"], fake.state.bot_id, people["alice"])
    assert bot.deliver("memberships", membership, secret=None, actor=people["alice"]).status_code == 403
    assert bot.deliver("memberships", membership, secret="wrong", actor=people["alice"]).status_code == 403
    bot.drain()
    assert bot.storage.table_counts()["jobs"] == 0


def test_a_greeting_that_cannot_be_posted_is_retried_and_posted_once(bot, people, fake):
    fake.fail("POST", r"^messages$", 503, times=4)
    membership, _ = bot.add(fake.state.bot_id, people["team"], actor=people["alice"])
    bot.drain()
    job = f"membership:{membership['id']}"
    assert bot.storage.job_status(job)["status"] == "retry"
    bot.storage._execute("UPDATE jobs SET available_at = 0 WHERE id = ?", (job,))
    assert bot.rt.worker.sweep() == 1
    assert len(greetings(bot, people["team"])) == 1


def test_two_instances_greet_a_space_once(make_bot, people, fake, storage_url, cipher):
    from bot.chat.storage import Storage

    one = make_bot(storage=Storage(storage_url, cipher))
    two = make_bot(storage=Storage(storage_url, cipher))
    first = fake.add_member(people["team"], fake.state.bot_id, people["alice"])
    second = fake.add_member(people["team"], fake.state.bot_id, people["bob"])   # removed and added again
    one.deliver("memberships", first, actor=people["alice"])
    two.deliver("memberships", second, actor=people["bob"])
    one.drain()
    two.drain()
    assert len(fake.bot_messages(people["team"])) == 1


def test_registration_registers_the_memberships_webhook(bot, fake):
    assert ("memberships", "created", "/webhooks/memberships") in {(h.resource, h.event, h.path) for h in HOOKS}
    report = register(bot.rt.webex, "https://bot.example.com", "s3cret-s3cret")
    assert "created hybridcall-diag memberships -> https://bot.example.com/webhooks/memberships" in " ".join(report)
    assert {(h["resource"], h["targetUrl"]) for h in fake.state.webhooks.values()} >= {
        ("memberships", "https://bot.example.com/webhooks/memberships")}
