"""Fixtures for the Webex service tests: the fake Webex API, the bot app wired to it, PostgreSQL, Chromium."""
from __future__ import annotations

import dataclasses
import json
import logging
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from bot.chat.config import Config
from bot.chat.crypto import EvidenceCipher
from bot.chat.signature import sign
from bot.chat.storage import Storage
from bot.chat.webex import WebexClient
from bot.web.app import create_app
from bot.web.runtime import runtime
from tests.fake_webex import FakeWebex

logging.getLogger("werkzeug").setLevel(logging.WARNING)  # the fake API's request lines

SECRET = "test-webhook-secret-0123456789"
TOKEN = "fake-bot-token-abcdef"
KEY = "q0H1xu2oFJ6sL9k5PZ8D1zMRx3G6q0H1xu2oFJ6sL9k="
IN_CI = os.environ.get("CI", "").lower() == "true"


def missing(what: str) -> None:
    """Skip when a system dependency is absent on a developer machine; fail in CI, which must have it."""
    if IN_CI:
        pytest.fail(f"{what} is required in CI (scripts/ci-system-deps.sh installs it)")
    pytest.skip(f"{what} not installed (scripts/ci-system-deps.sh installs it)")


class RecordingSleep:
    """Stands in for time.sleep in the Webex client: records what was asked, waits a little only."""

    def __init__(self, cap: float = 0.02) -> None:
        self.cap = cap
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        time.sleep(min(seconds, self.cap))


@pytest.fixture
def fake() -> Iterator[FakeWebex]:
    server = FakeWebex(token=TOKEN, deliver=False).start()
    yield server
    server.stop()


@pytest.fixture
def config(tmp_path: Path, fake: FakeWebex) -> Config:
    return Config(access_token=TOKEN, webhook_secret=SECRET, base_url=fake.base_url, data_dir=tmp_path / "var",
                  evidence_keys=(KEY,), worker_threads=2, sweep_interval=3600.0, max_retry_after=5,
                  progress_note_after=3600.0)   # no "Reading your bundle…" note unless a test asks for one


@dataclasses.dataclass
class BotHarness:
    app: Any
    fake: FakeWebex
    sleep: RecordingSleep
    config: Config

    @property
    def rt(self) -> Any:
        return runtime(self.app)

    @property
    def storage(self) -> Storage:
        return self.rt.storage

    def client(self) -> Any:
        return self.app.test_client()

    def deliver(self, resource: str, obj: dict[str, Any], secret: str | None = SECRET,
                signature: str | None = None, actor: str | None = None) -> Any:
        payload = self.fake.webhook_payload(resource, "created", obj, actor)
        body = json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Spark-Signature"] = signature
        elif secret is not None:
            headers["X-Spark-Signature"] = sign(body, secret)
        path = {"messages": "/webhooks/messages", "memberships": "/webhooks/memberships"}.get(
            resource, "/webhooks/attachment-actions")
        return self.client().post(path, data=body, headers=headers)

    def say(self, person: str, room: str, text: str, **kwargs: Any) -> tuple[dict[str, Any], Any]:
        """A person posts; Webex delivers the webhook; returns (message, webhook response)."""
        msg = self.fake.user_posts(person, room, text, **kwargs)
        return msg, self.deliver("messages", msg)

    def add(self, person: str, room: str, actor: str) -> tuple[dict[str, Any], Any]:
        """`actor` adds `person` to `room`; Webex delivers the memberships webhook; (membership, response)."""
        membership = self.fake.add_member(room, person, actor)
        return membership, self.deliver("memberships", membership, actor=actor)

    def drain(self) -> None:
        assert self.rt.worker.drain(30), "background jobs did not finish"

    def replies(self, room: str | None = None, pictures: bool = False) -> list[dict[str, Any]]:
        """The bot's messages; the call ladders it posts as files only with `pictures`."""
        self.drain()
        return self.fake.bot_messages(room, files=pictures)


@pytest.fixture
def make_bot(engine: Any, fake: FakeWebex, config: Config) -> Iterator[Callable[..., BotHarness]]:
    made: list[BotHarness] = []

    def make(storage: Storage | None = None, start_worker: bool = True, **overrides: Any) -> BotHarness:
        cfg = dataclasses.replace(config, **overrides)
        sleep = RecordingSleep()
        client = WebexClient(cfg.access_token, cfg.base_url, timeout=10, max_retry_after=cfg.max_retry_after,
                             retries=3, scan_wait=10, sleep=sleep)
        app = create_app(cfg, engine=engine, storage=storage, webex=client, start_worker=start_worker)
        harness = BotHarness(app, fake, sleep, cfg)
        made.append(harness)
        return harness

    yield make
    for h in made:
        h.rt.worker.stop()
        h.rt.webex.close()
        h.rt.storage.close()


@pytest.fixture
def bot(make_bot: Callable[..., BotHarness]) -> BotHarness:
    return make_bot()


@pytest.fixture
def people(fake: FakeWebex) -> dict[str, str]:
    return {
        "alice": fake.add_person("Alice Admin", "alice@customer.example"),
        "bob": fake.add_person("Bob Engineer", "bob@partner.example"),
        "dm": fake.add_room("Alice and the bot", "direct"),
        "team": fake.add_room("Voice team", "group"),
    }


def serve_app(app: Any) -> tuple[str, Callable[[], None]]:
    """Serve a WSGI app over real HTTP on loopback; returns (base URL, stop)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_port}", stop


# ---------------------------------------------------------------- PostgreSQL
def _pg_bindir() -> Path | None:
    candidates = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        out = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, check=False).stdout.strip()
        if out:
            candidates.append(Path(out))
    candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL server in a temporary directory (as the postgres user when run as root)."""
    bindir = _pg_bindir()
    if bindir is None:
        missing("PostgreSQL server (initdb, pg_ctl)")
    assert bindir is not None
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            missing("the postgres system user")
        prefix = ["runuser", "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="hcs-pg-"))
    if owner is not None:
        os.chown(base, owner.pw_uid, owner.pw_gid)
    data = base / "data"
    port = _free_port()
    subprocess.run([*prefix, str(bindir / "initdb"), "-D", str(data), "-U", "bot", "--auth=trust", "-E", "UTF8",
                    "--no-sync"], check=True, capture_output=True)
    options = f"-k {base} -p {port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
    subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(base / "log"),
                    "-w", "-t", "60", "start"], check=True, capture_output=True)
    try:
        yield f"postgresql://bot@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([*prefix, str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
                       check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgres"])
def storage_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.sqlite3'}"
        return
    url = request.getfixturevalue("postgres_url")
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:  # a clean schema for every test
        for table in ("schema_version", "jobs", "diagnoses", "case_links", "thread_cases", "thread_calls",
                      "feedback", "greeted_rooms", "thread_evidence"):
            conn.execute(f"DROP TABLE IF EXISTS {table}")
    yield url


@pytest.fixture
def cipher() -> EvidenceCipher:
    return EvidenceCipher([KEY])
