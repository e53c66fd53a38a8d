#!/usr/bin/env bash
# Run the bot. Until the Webex service exists this diagnoses the sample paste with the command line;
# pass your own files (or '-' for standard input) to diagnose those instead.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
fi
.venv/bin/pip install --quiet -e . >/dev/null
if [ "$#" -eq 0 ]; then
  set -- samples/inbound-tls-failure.txt
fi
exec .venv/bin/python -m bot diagnose --format markdown "$@"
