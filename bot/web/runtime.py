"""The running service's parts, kept in the Flask app (`app.extensions`), and how a view finds them."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app

from matchers import Engine

from ..chat.access import AccessPolicy
from ..chat.config import Config
from ..chat.responder import Responder
from ..chat.storage import Storage
from ..chat.webex import WebexClient
from ..chat.worker import Worker

EXTENSION = "hybridcall_bot"


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
