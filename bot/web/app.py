"""The web service: Webex webhooks in Webex mode, the paste page in local mode, a health check in both.

`create_app()` reads the configuration from the environment (see bot/chat/config.py); gunicorn runs it with
`gunicorn 'bot.web.app:create_app()'` (Procfile). Each process builds one engine and reuses it.
"""
from __future__ import annotations

import logging
import os
import threading

from flask import Flask, Response, jsonify

from matchers import Engine, default_engine

from ..chat.access import AccessPolicy
from ..chat.config import Config
from ..chat.crypto import cipher_for
from ..chat.responder import Responder
from ..chat.storage import Storage
from ..chat.webex import WebexClient, WebexError
from ..chat.worker import Worker
from . import webhooks
from .runtime import EXTENSION, Runtime, runtime

log = logging.getLogger(__name__)


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
    engine = engine or default_engine()
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
    app.register_blueprint(webhooks.blueprint)
    if config.local_mode:
        from . import local

        app.register_blueprint(local.blueprint)
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


def healthz() -> tuple[Response, int]:
    rt = runtime()
    ok = rt.storage.ping()
    body = {"status": "ok" if ok else "degraded", "mode": "local" if rt.config.local_mode else "webex",
            "database": rt.storage.dialect if ok else "unreachable"}
    return jsonify(body), 200 if ok else 503


def webex_mode_index() -> Response:
    return Response("Hybrid Call Service Connect diagnosis bot (Webex mode). Talk to it in Webex.\n",
                    mimetype="text/plain")
