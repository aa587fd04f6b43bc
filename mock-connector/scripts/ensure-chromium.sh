#!/usr/bin/env bash
# Makes sure a headless-capable Chromium and its WebDriver (`chromedriver`) are installed
# (Debian/Ubuntu packages `chromium` and `chromium-driver`).
#
# The developer console's browser tests (mock-connector and connectors/ldap) start their own
# chromedriver on a free loopback port and drive a headless Chromium through it; they fail with
# a clear message when either binary is missing. Idempotent: does nothing when both are there.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if { have chromium || have chromium-browser; } && have chromedriver; then
    echo "ensure-chromium: chromium and chromedriver are already installed ($(command -v chromedriver))"
    exit 0
fi

if ! have apt-get; then
    echo "ensure-chromium: apt-get not found; install Chromium and chromedriver by hand" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends chromium chromium-driver

if { have chromium || have chromium-browser; } && have chromedriver; then
    echo "ensure-chromium: installed $(chromedriver --version 2>/dev/null | head -n1)"
else
    echo "ensure-chromium: the install finished but chromium or chromedriver is still missing" >&2
    exit 1
fi
