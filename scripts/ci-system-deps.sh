#!/usr/bin/env bash
# System packages the test suite needs beyond Python: a PostgreSQL server (storage tests start their own
# throwaway instance with initdb/pg_ctl) and Debian's Chromium with its driver (the local page is tested in a
# real headless browser). Idempotent: installs only what is missing. .ci/run calls it; developers can run it
# once, or `INSTALL_SYSTEM_DEPS=1 ./test.sh`. Without these, those tests skip locally and fail in CI.
set -euo pipefail

have_postgres() {
  command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ] && return 0
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}

missing=()
have_postgres || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
# screenshots are read with Tesseract OCR; the OCR tests render text with the DejaVu fonts
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
compgen -G "/usr/share/tesseract-ocr/*/tessdata/eng.traineddata" >/dev/null || missing+=(tesseract-ocr-eng)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || missing+=(fonts-dejavu-core)

if [ "${#missing[@]}" -eq 0 ]; then
  echo "system test dependencies present (postgresql, chromium, chromium-driver, tesseract-ocr, fonts-dejavu-core)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo"
  else
    echo "need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
# the Debian package starts a cluster of its own; the tests do not use it
if command -v pg_lsclusters >/dev/null 2>&1 && command -v service >/dev/null 2>&1; then
  $SUDO service postgresql stop >/dev/null 2>&1 || true
fi
echo "installed: ${missing[*]}"
