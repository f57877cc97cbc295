#!/bin/sh
# System packages the test suite needs beyond the Python venv: Debian's chromium, which
# the report tests drive headless, and fonts-noto-cjk, without which Chinese renders as
# boxes (tofu) in the report's screenshot. Idempotent and quiet: does nothing when present.
set -eu

PACKAGES="chromium fonts-noto-cjk"
missing=""
for pkg in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing="$missing $pkg"
done
if [ -z "$missing" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then
        SUDO="sudo"
    else
        echo "install-system-deps: missing$missing and not root; install with: apt-get install$missing" >&2
        exit 1
    fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
# shellcheck disable=SC2086 # one word per package
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
echo "install-system-deps: installed$missing ($(/usr/bin/chromium --version 2>/dev/null || echo chromium))"
