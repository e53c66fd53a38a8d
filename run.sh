#!/usr/bin/env bash
# Run the bot. With no arguments this starts the service: local mode (a page at http://127.0.0.1:5000/ to
# paste evidence or upload a file) when WEBEX_ACCESS_TOKEN is unset, Webex mode when it is set (see README).
# Pass files (or '-' for standard input) to diagnose those with the command line instead.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
fi
.venv/bin/pip install --quiet -e . >/dev/null
if [ "$#" -eq 0 ]; then
  exec .venv/bin/python -m bot serve
fi
exec .venv/bin/python -m bot diagnose --format markdown "$@"
