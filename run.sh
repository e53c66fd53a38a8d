#!/usr/bin/env bash
# Run the bot. With no arguments this starts the service: local mode (a page at http://127.0.0.1:5000/ to
# paste evidence or upload a file) when WEBEX_ACCESS_TOKEN is unset, Webex mode when it is set (see README).
# `--port N` (or the PORT variable, as in the Procfile) picks another port.
# Pass files (or '-' for standard input) to diagnose those with the command line instead.
set -euo pipefail
cd "$(dirname "$0")"

port=""
files=()
nfiles=0   # counted, not ${#files[@]}: bash 3.2 (macOS) under set -u trips on empty arrays
while [ "$#" -gt 0 ]; do
  case "$1" in
    --port) [ "$#" -ge 2 ] || { echo "run.sh: --port needs a port number" >&2; exit 2; }
            port="$2"; shift 2 ;;
    --port=*) port="${1#--port=}"; shift ;;
    *) files+=("$1"); nfiles=$((nfiles + 1)); shift ;;
  esac
done
if [ -n "$port" ] && [ "$nfiles" -gt 0 ]; then
  echo "run.sh: --port is for the service; diagnosing files needs no port" >&2
  exit 2
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
fi
# pip runs only when the venv is new or pyproject.toml changed since the last install (the install is
# editable, so source changes need none); otherwise a start takes ~9 s of pip for nothing.
stamp=.venv/run-sh-installed
wanted="$(cksum < pyproject.toml)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  .venv/bin/pip install --quiet -e . >/dev/null
  printf '%s\n' "$wanted" > "$stamp"
fi

if [ "$nfiles" -eq 0 ]; then
  if [ -n "$port" ]; then
    exec .venv/bin/python -m bot serve --port "$port"
  fi
  exec .venv/bin/python -m bot serve
fi
exec .venv/bin/python -m bot diagnose --format markdown "${files[@]}"
