#!/bin/sh
# System packages the test suite needs beyond the Python venv: Debian's chromium, which
# the report test drives headless. Idempotent and quiet: does nothing when present.
set -eu

if command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-system-deps: chromium missing and not root; install it with: apt-get install chromium" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "install-system-deps: installed $(/usr/bin/chromium --version 2>/dev/null || echo chromium)"
