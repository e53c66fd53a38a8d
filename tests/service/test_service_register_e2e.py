"""register-webhooks, the fake Webex delivering signed webhooks to a served bot, and `python -m bot serve`."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.card_text import action
from tests.service.conftest import SECRET, TOKEN, serve_app

ROOT = Path(__file__).resolve().parents[2]
SELF_SIGNED = ('Event="Inbound TLS Negotiation Error" Service="SIP" Src-ip="203.0.113.8" Src-port="41000" '
               'Dst-ip="198.51.100.3" Dst-port="5062" Detail="self signed certificate in certificate chain" '
               'Protocol="TLS"\n')


def cli_env(fake, tmp_path, **extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBEX_", "BOT_", "DATABASE_URL"))}
    env.update(WEBEX_ACCESS_TOKEN=TOKEN, WEBEX_WEBHOOK_SECRET=SECRET, WEBEX_BASE_URL=fake.base_url,
               BOT_DATA_DIR=str(tmp_path / "var"), **extra)
    return env


def register_cli(fake, tmp_path, url):
    return subprocess.run([sys.executable, "-m", "bot", "register-webhooks", "--url", url], cwd=ROOT,
                          env=cli_env(fake, tmp_path), capture_output=True, text=True, timeout=60, check=False)


def test_register_webhooks_creates_updates_and_reactivates(fake, tmp_path):
    first = register_cli(fake, tmp_path, "https://bot.example.com/")
    assert first.returncode == 0, first.stderr
    assert first.stdout.count("created ") == 3
    hooks = sorted(fake.state.webhooks.values(), key=lambda h: h["resource"])
    assert [(h["resource"], h["event"], h["targetUrl"], h["secret"]) for h in hooks] == [
        ("attachmentActions", "created", "https://bot.example.com/webhooks/attachment-actions", SECRET),
        ("memberships", "created", "https://bot.example.com/webhooks/memberships", SECRET),
        ("messages", "created", "https://bot.example.com/webhooks/messages", SECRET)]
    hooks[2]["status"] = "inactive"
    hooks[0]["secret"] = "old-secret"
    second = register_cli(fake, tmp_path, "https://new.example.com")
    assert second.returncode == 0, second.stderr
    assert "re-activated hybridcall-diag messages -> https://new.example.com/webhooks/messages" in second.stdout
    assert "updated hybridcall-diag card submissions" in second.stdout
    assert "updated hybridcall-diag memberships" in second.stdout
    assert len(fake.state.webhooks) == 3
    assert all(h["status"] == "active" and h["secret"] == SECRET and h["targetUrl"].startswith("https://new.")
               for h in fake.state.webhooks.values())


def test_register_webhooks_without_a_token_explains(tmp_path, fake):
    env = cli_env(fake, tmp_path)
    del env["WEBEX_ACCESS_TOKEN"]
    proc = subprocess.run([sys.executable, "-m", "bot", "register-webhooks", "--url", "https://x.example"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and "WEBEX_ACCESS_TOKEN is not set" in proc.stderr


def test_webex_delivers_to_the_served_bot_end_to_end(make_bot, people, fake, tmp_path):
    bot = make_bot()
    url, stop = serve_app(bot.app)
    try:
        assert register_cli(fake, tmp_path, url).returncode == 0
        fake.deliver = True
        msg = fake.user_posts(people["alice"], people["team"], SELF_SIGNED)
        replies = fake.wait_for_posts(1)
        assert len(replies) == 1 and replies[0]["parentId"] == msg["id"]
        card = replies[0]
        fake.submit_card(people["alice"], card["id"], action(card, "👍"))
        replies = fake.wait_for_posts(2)
        assert "helped" in replies[1]["markdown"]
        deadline = time.monotonic() + 10
        while len(fake.state.deliveries) < 4 and time.monotonic() < deadline:  # 1 + 1 + the bot's own 2
            time.sleep(0.05)
        bot.drain()
        time.sleep(0.3)
        assert {d["status"] for d in fake.state.deliveries} == {200}
        assert len(fake.bot_messages()) == 2  # the bot's own messages came back as webhooks and were ignored
        assert bot.storage.job_counts() == {"done": 2}
        assert bot.storage.table_counts()["feedback"] == 1
    finally:
        stop()


def test_healthz(bot):
    resp = bot.client().get("/healthz")
    assert resp.status_code == 200 and resp.json == {"status": "ok", "mode": "webex", "database": "sqlite"}
    assert bot.client().get("/").status_code == 200


def _start_serve(env, *args):
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve", "--port", "0", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    return proc, line


def test_serve_starts_local_mode_without_a_token(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBEX_", "BOT_", "DATABASE_URL"))}
    env["BOT_DATA_DIR"] = str(tmp_path / "var")
    proc, line = _start_serve(env)
    try:
        assert line.startswith("Local mode"), (line, proc.stderr.read() if proc.poll() is not None else "")
        base = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        assert requests.get(base + "healthz", timeout=10).json()["mode"] == "local"
        page = requests.post(base, data={"evidence": SELF_SIGNED}, timeout=30).text
        assert "Expressway-E does not trust" in page
        assert requests.post(base + "webhooks/messages", data=b"{}", timeout=10).status_code == 404
        assert (tmp_path / "var" / "evidence.key").stat().st_mode & 0o777 == 0o600
    finally:
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
        proc.stdout.close()
        proc.stderr.close()


def test_serve_in_webex_mode_refuses_to_start_without_a_secret(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBEX_", "BOT_", "DATABASE_URL"))}
    env.update(WEBEX_ACCESS_TOKEN=TOKEN, BOT_DATA_DIR=str(tmp_path / "var"))
    proc = subprocess.run([sys.executable, "-m", "bot", "serve", "--port", "0"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 2 and "WEBEX_WEBHOOK_SECRET is required" in proc.stderr
    assert TOKEN not in proc.stderr + proc.stdout


@pytest.mark.parametrize("legacy", ["SPARK_ACCESS_TOKEN", "WEBEX_TEAMS_ACCESS_TOKEN"])
def test_legacy_token_variables_are_never_printed(tmp_path, fake, legacy):
    env = cli_env(fake, tmp_path, **{legacy: "LEGACY-TOKEN-VALUE-123"})
    del env["WEBEX_ACCESS_TOKEN"]
    env["PYTHONWARNINGS"] = "always"
    code = "import bot.chat.webex"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "LEGACY-TOKEN-VALUE-123" not in proc.stdout + proc.stderr
