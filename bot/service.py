"""The web service: Webex webhooks in Webex mode, the paste page in local mode, a health check in both.

`create_app()` reads the configuration from the environment (see bot/config.py); gunicorn runs it with
`gunicorn 'bot.service:create_app()'` (Procfile). Each process builds one engine and reuses it.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, current_app, jsonify, request

from matchers import Engine

from .access import AccessPolicy, is_bot_email
from .config import Config
from .crypto import cipher_for
from .handlers import Responder
from .signature import HEADER, verify
from .storage import Storage
from .webex import WebexClient, WebexError
from .worker import Worker

log = logging.getLogger(__name__)

MAX_WEBHOOK_BYTES = 256 * 1024
EXTENSION = "hybridcall_bot"

_engine: Engine | None = None
_engine_lock = threading.Lock()


def shared_engine() -> Engine:
    """One engine per process (construction takes a fraction of a second; diagnose is thread-safe)."""
    global _engine
    with _engine_lock:
        if _engine is None:
            _engine = Engine()
        return _engine


@dataclass
class Runtime:
    config: Config
    engine: Engine
    storage: Storage
    responder: Responder
    access: AccessPolicy
    webex: WebexClient | None = None
    worker: Worker | None = None
    bot_id: str = ""

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
        if self.webex is not None:
            self.webex.close()
        self.storage.close()


def runtime(app: Flask | None = None) -> Runtime:
    return (app or current_app).extensions[EXTENSION]


def configure_logging() -> None:
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=os.environ.get("BOT_LOG_LEVEL", "INFO").upper(),
                            format="%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s")
    # the HTTP libraries log URLs (with ids) at DEBUG only; keep them quiet at INFO
    logging.getLogger("urllib3").setLevel(max(logging.INFO, root.level))


def create_app(config: Config | None = None, *, engine: Engine | None = None, storage: Storage | None = None,
               webex: WebexClient | None = None, start_worker: bool = True) -> Flask:
    configure_logging()
    config = config or Config.from_env()
    engine = engine or shared_engine()
    if storage is None:
        shared = config.effective_database_url.startswith("postgresql")
        cipher = cipher_for(config.evidence_keys, config.data_dir, shared)
        storage = Storage(config.effective_database_url, cipher)
    if webex is None and not config.local_mode:
        webex = WebexClient(config.access_token, config.base_url, timeout=config.request_timeout,
                            max_retry_after=config.max_retry_after)
    responder = Responder(engine, storage, config, room_title=webex.room_title if webex else None)
    access = AccessPolicy.from_config(config)
    rt = Runtime(config=config, engine=engine, storage=storage, responder=responder, access=access, webex=webex)
    if webex is not None:
        rt.worker = Worker(config, storage, webex, responder, access)
        if start_worker:
            rt.worker.start()
            threading.Thread(target=_learn_identity, args=(rt,), name="bot-identity", daemon=True).start()

    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = config.max_file_bytes + 1024 * 1024
    app.extensions[EXTENSION] = rt
    app.add_url_rule("/healthz", view_func=healthz, methods=["GET"])
    app.add_url_rule("/webhooks/messages", view_func=message_webhook, methods=["POST"])
    app.add_url_rule("/webhooks/attachment-actions", view_func=action_webhook, methods=["POST"])
    if config.local_mode:
        from .local_page import blueprint

        app.register_blueprint(blueprint)
    else:
        app.add_url_rule("/", view_func=webex_mode_index, methods=["GET"])
    log.info("service ready: %s", config)
    return app


def _learn_identity(rt: Runtime) -> None:
    assert rt.webex is not None
    try:
        rt.bot_id = rt.webex.me().id
    except WebexError as exc:
        log.warning("could not read the bot's identity yet (%s); will retry on the first message", exc)


# ---------------------------------------------------------------- routes
def healthz() -> tuple[Response, int]:
    rt = runtime()
    ok = rt.storage.ping()
    body = {"status": "ok" if ok else "degraded", "mode": "local" if rt.config.local_mode else "webex",
            "database": rt.storage.dialect if ok else "unreachable"}
    return jsonify(body), 200 if ok else 503


def webex_mode_index() -> Response:
    return Response("Hybrid Call Service Connect diagnosis bot (Webex mode). Talk to it in Webex.\n",
                    mimetype="text/plain")


def _signed_payload() -> tuple[dict[str, Any] | None, tuple[Response, int] | None]:
    rt = runtime()
    if rt.config.local_mode or rt.worker is None:
        return None, (jsonify(error="local mode: set WEBEX_ACCESS_TOKEN to receive webhooks"), 404)
    if (request.content_length or 0) > MAX_WEBHOOK_BYTES:
        return None, (jsonify(error="too large"), 413)
    body = request.get_data(cache=False)
    if not verify(body, rt.config.webhook_secret, request.headers.get(HEADER)):
        log.warning("webhook with a missing or wrong signature from %s refused", request.remote_addr)
        return None, (jsonify(error="bad signature"), 403)
    try:
        payload = json.loads(body)
    except ValueError:
        return None, (jsonify(error="not JSON"), 400)
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict):
        return None, (jsonify(error="no data"), 400)
    return payload, None


def _created_event(resource: str) -> tuple[dict[str, Any], str] | tuple[Response, int]:
    """The data and id of a signed "created" event on `resource`, or the response that ends the request."""
    payload, error = _signed_payload()
    if error is not None:
        return error
    assert payload is not None
    data = payload["data"]
    item_id = data.get("id")
    if payload.get("resource") != resource or payload.get("event") != "created" or not isinstance(item_id, str):
        return jsonify(status="ignored"), 200
    return data, item_id


def message_webhook() -> tuple[Response, int]:
    event = _created_event("messages")
    if isinstance(event[0], Response):
        return event  # type: ignore[return-value]
    data, message_id = event
    rt = runtime()
    assert rt.worker is not None
    person_id, email, room_id = str(data.get("personId", "")), str(data.get("personEmail", "")), str(
        data.get("roomId", ""))
    if is_bot_email(email) or (rt.bot_id and person_id == rt.bot_id):
        return jsonify(status="ignored", reason="bot"), 200
    if not rt.access.allows(person_id, email, room_id):
        if rt.access.should_refuse(person_id, room_id):
            rt.worker.submit_refusal(room_id, str(data.get("parentId") or message_id))
        return jsonify(status="refused"), 200
    job_id = f"message:{message_id}"
    if rt.storage.enqueue(job_id, "message", {"id": message_id, "roomId": room_id}):
        rt.worker.submit(job_id)
        return jsonify(status="queued"), 200
    return jsonify(status="duplicate"), 200


def action_webhook() -> tuple[Response, int]:
    event = _created_event("attachmentActions")
    if isinstance(event[0], Response):
        return event  # type: ignore[return-value]
    data, action_id = event
    rt = runtime()
    assert rt.worker is not None
    person_id, room_id = str(data.get("personId", "")), str(data.get("roomId", ""))
    if rt.bot_id and person_id == rt.bot_id:
        return jsonify(status="ignored", reason="bot"), 200
    if not rt.access.needs_email and not rt.access.allows(person_id, "", room_id):
        return jsonify(status="refused"), 200
    job_id = f"action:{action_id}"
    if rt.storage.enqueue(job_id, "action", {"id": action_id, "roomId": room_id}):
        rt.worker.submit(job_id)
        return jsonify(status="queued"), 200
    return jsonify(status="duplicate"), 200
