"""`python -m bot serve`: run the service with a threaded HTTP server (gunicorn in production: see Procfile)."""
from __future__ import annotations

import logging
import signal
import sys

from werkzeug.serving import make_server

from ..chat.config import Config, ConfigError
from .app import create_app
from .runtime import runtime

log = logging.getLogger(__name__)


def serve(host: str | None, port: int | None) -> int:
    try:
        config = Config.from_env()
        app = create_app(config)
    except ConfigError as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    host = host or "127.0.0.1"
    port = 5000 if port is None else port
    server = make_server(host, port, app, threaded=True)
    shown = f"http://{host if host not in ('0.0.0.0', '::') else '127.0.0.1'}:{server.server_port}/"
    if config.local_mode and host not in ("127.0.0.1", "localhost", "::1"):
        print(f"warning: local mode listening on {host}: anyone who can reach it can use the page", file=sys.stderr)
    if config.local_mode:
        print(f"Local mode (no WEBEX_ACCESS_TOKEN): open {shown} to paste evidence or upload a file. "
              "Ctrl-C stops.", flush=True)
    else:
        print(f"Webex mode: webhooks at {shown}webhooks/messages and {shown}webhooks/attachment-actions. "
              "Ctrl-C stops.", flush=True)

    def stop(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        runtime(app).close()
    return 0
