"""The call view in Webex and on the local page: the failing call's ladder posted as a file under the diagnosis,
`calls` listing the calls of the thread's last evidence, and the page's call list with the ladder inline."""
from __future__ import annotations

import base64
import io
import re

import pytest
from PIL import Image

from bot.chat.commands import help_text
from bot.chat.config import Config
from bot.web.app import create_app
from bot.web.runtime import runtime
from tests.call_logs import Log, Site, inbound


def log_text(*rejects: bool) -> str:
    log = Log()
    for n, reject in enumerate(rejects):
        inbound(log, Site(), n * 2.0, 500 + n, reject_at_c=reject)
    return "\n".join(log.lines()) + "\n"


def test_failing_call_is_posted_as_a_png_under_the_diagnosis_and_calls_lists_them(bot, people, fake):
    url = fake.add_file("expe-diag.log", log_text(False, True).encode())
    msg, _ = bot.say(people["alice"], people["dm"], "inbound calls fail", files=[url])
    replies = bot.replies(pictures=True)
    files = [r for r in replies if r.get("files")]
    assert len(files) == 1 and all(r["parentId"] == msg["id"] for r in replies)
    answer = [r for r in replies if not r.get("files")]
    assert len(answer) == 1 and "attachments" in answer[0]                  # the answer card
    assert replies.index(answer[0]) < replies.index(files[0])               # under the diagnosis
    stored = fake.state.files[files[0]["files"][0].rsplit("/", 1)[1]]
    assert stored.name.endswith(".png") and files[0]["fileTypes"] == ["image/png"]
    with Image.open(io.BytesIO(stored.data)) as image:
        assert image.format == "PNG" and image.size[0] >= 800

    bot.say(people["alice"], people["dm"], "calls", parent_id=msg["id"])
    listing = bot.replies()[-1]
    assert listing["parentId"] == msg["id"]
    body = listing["markdown"]
    assert "2, 1 failing" in body and "sip:wuser501@fabrikam.calls.webex.com" in body
    assert re.search(r"❌ failed `.*404 Not Found  \[[a-z0-9-]+\]`", body)


def test_no_picture_without_a_failing_call_and_calls_before_any_evidence(bot, people, fake):
    url = fake.add_file("expe-diag.log", log_text(False).encode())
    msg, _ = bot.say(people["alice"], people["dm"], "", files=[url])
    assert not [r for r in bot.replies(pictures=True) if r.get("files")]
    other, _ = bot.say(people["alice"], people["dm"], "calls")
    answer = bot.replies()[-1]
    assert answer["parentId"] == other["id"] and "no calls for this thread yet" in answer["markdown"]


def test_calls_is_in_the_help():
    assert "`calls`" in help_text("logs")


def test_fake_webex_refuses_a_multipart_message_without_a_file(fake, people):
    import requests

    resp = requests.post(fake.base_url + "messages", headers={"Authorization": f"Bearer {fake.state.token}"},
                         files={"roomId": (None, people["dm"])})
    assert resp.status_code == 400


@pytest.fixture
def local_app(engine, tmp_path):
    app = create_app(Config(data_dir=tmp_path / "var"), engine=engine)
    yield app
    runtime(app).close()


def test_local_page_lists_the_calls_and_shows_the_failing_ladder(local_app):
    page = local_app.test_client().post("/", data={"evidence": log_text(False, True, False)}).get_data(as_text=True)
    assert 'id="calls"' in page and "Calls (3, 1 failing)" in page
    assert page.count('<li class="failed">') == 1 and page.count('<li class="ok">') == 2
    uri = re.search(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert uri is not None
    with Image.open(io.BytesIO(base64.b64decode(uri.group(1)))) as image:
        assert image.format == "PNG"


def test_local_page_without_calls_has_no_call_list(local_app):
    page = local_app.test_client().post("/", data={"evidence": "why 603 decline"}).get_data(as_text=True)
    assert 'id="calls"' not in page
