#!/usr/bin/env bash
# Makes sure `scim2-server` (an in-memory SCIM 2.0 server from PyPI) is installed in a
# virtualenv the SCIM connector's tests find without configuration:
# ${SCIM2_SERVER_VENV:-$HOME/.cache/connector-sdk/scim2-server-venv}.
#
# The tests start their own server on a loopback port (`<venv>/bin/scim2-server`), seed it
# through its /Bulk endpoint and stop it when the test process exits; they only need the
# program. This script creates the virtualenv with `python3 -m venv` and installs the pinned
# version; when the pinned version is already there it does nothing. On Debian/Ubuntu it
# installs `python3-venv` with apt-get when Python's venv/ensurepip modules are missing.
set -euo pipefail

VERSION=0.8.3
VENV="${SCIM2_SERVER_VENV:-$HOME/.cache/connector-sdk/scim2-server-venv}"
BIN="$VENV/bin/scim2-server"
STAMP="$VENV/.scim2-server-$VERSION"

if [ -x "$BIN" ] && [ -e "$STAMP" ]; then
    echo "ensure-scim2-server: scim2-server $VERSION is already installed ($BIN)"
    exit 0
fi

if ! command -v python3 >/dev/null 2>&1; then
    echo "ensure-scim2-server: python3 not found; install Python 3.10 or newer" \
        "(Debian/Ubuntu: apt-get install python3 python3-venv)" >&2
    exit 1
fi

# `python3 -m venv` needs the venv and ensurepip modules (Debian ships them in python3-venv).
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "ensure-scim2-server: python3 cannot create virtualenvs (no venv/ensurepip" \
            "module) and apt-get is not available; install Python's venv support by hand" >&2
        exit 1
    fi
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        SUDO="sudo"
    fi
    # Debian names the package after the minor version (python3.11-venv); python3-venv
    # depends on the default one.
    minor="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    echo "ensure-scim2-server: installing python3-venv (python$minor-venv)"
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        python3-venv || $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "python$minor-venv"
    if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
        echo "ensure-scim2-server: python3 still cannot create virtualenvs after installing" \
            "python3-venv" >&2
        exit 1
    fi
fi

if [ ! -x "$VENV/bin/python" ]; then
    echo "ensure-scim2-server: creating a virtualenv at $VENV"
    mkdir -p "$(dirname "$VENV")"
    python3 -m venv "$VENV"
fi
if ! "$VENV/bin/python" -m pip --version >/dev/null 2>&1; then
    echo "ensure-scim2-server: the virtualenv at $VENV has no pip; remove it and run this again" >&2
    exit 1
fi

echo "ensure-scim2-server: installing scim2-server==$VERSION into $VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "scim2-server==$VERSION"
rm -f "$VENV"/.scim2-server-*
touch "$STAMP"
echo "ensure-scim2-server: installed $BIN ($("$VENV/bin/python" -m pip show scim2-server \
    | sed -n 's/^Version: //p'))"
