"""`python -m bot serve`: run the service with a threaded HTTP server (gunicorn in production: see Procfile)."""
from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import sys

from werkzeug.serving import get_sockaddr, make_server, select_address_family

from ..chat.config import Config, ConfigError
from .app import create_app
from .runtime import runtime

log = logging.getLogger(__name__)

DEFAULT_PORT = 5000
SUGGEST_WITHIN = 20   # ports after a busy one tried for the hint


def port_number(text: str) -> int:
    """A TCP port from `--port` or `PORT` (0 = any free port); ValueError says what is wrong."""
    try:
        port = int(text)
    except ValueError:
        raise ValueError(f"port must be a number, not {text!r}") from None
    if not 0 <= port <= 65535:
        raise ValueError(f"port must be between 0 and 65535, not {port}")
    return port


def listen(host: str, port: int) -> socket.socket:
    """A listening socket, bound here rather than by werkzeug so that a busy port is reported in one line
    (werkzeug prints its own paragraph and exits) and before the knowledge base is loaded."""
    family = select_address_family(host, port)
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)   # as http.server: restart without TIME_WAIT
        sock.bind(get_sockaddr(host, port, family))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    return sock


def _free_port_after(host: str, port: int) -> int | None:
    for candidate in range(port + 1, min(port + 1 + SUGGEST_WITHIN, 65536)):
        try:
            listen(host, candidate).close()
        except OSError:
            continue
        return candidate
    return None


def cannot_listen(host: str, port: int, exc: OSError) -> str:
    """The one line shown when the service cannot listen, with a port to try when it is busy."""
    if exc.errno == errno.EADDRINUSE:
        free = _free_port_after(host, port)
        hint = f"try ./run.sh --port {free}" if free else "stop the program using it or choose another --port"
        return f"port {port} is in use; {hint}"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


def serve(host: str | None, port_text: str | None) -> int:
    """Serve until Ctrl-C or SIGTERM; the port is `--port`, else `PORT` (as the Procfile), else 5000."""
    try:
        config = Config.from_env()
        port = port_number(port_text if port_text is not None else os.environ.get("PORT") or str(DEFAULT_PORT))
    except (ConfigError, ValueError) as exc:
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    host = host or "127.0.0.1"
    try:
        sock = listen(host, port)
    except OSError as exc:
        print(cannot_listen(host, port, exc), file=sys.stderr)
        return 2
    try:
        app = create_app(config)
    except ConfigError as exc:
        sock.close()
        print(f"cannot start: {exc}", file=sys.stderr)
        return 2
    server = make_server(host, port, app, threaded=True, fd=sock.fileno())
    shown = f"http://{host if host not in ('0.0.0.0', '::') else '127.0.0.1'}:{sock.getsockname()[1]}/"
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
        sock.close()
        runtime(app).close()
    return 0
