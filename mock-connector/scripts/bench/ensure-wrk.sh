#!/usr/bin/env bash
# Installs wrk (the HTTP load generator `just bench-serve` drives serve with) from the Debian
# archive when it is missing. Idempotent. Not run by the tests: only the benchmark needs it.
set -euo pipefail
if command -v wrk >/dev/null 2>&1; then
    exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get install -y -q wrk >/dev/null 2>&1 || {
    $sudo apt-get update -q >/dev/null
    $sudo apt-get install -y -q wrk >/dev/null
}
command -v wrk >/dev/null || { echo "wrk could not be installed" >&2; exit 1; }
