#!/usr/bin/env bash
# Makes sure OpenLDAP's `slapd`, the `ldap-utils` tools and `openssl` are installed
# (Debian/Ubuntu).
#
# The LDAP connector's tests start their own slapd on a loopback port from a generated config
# in a temporary directory (with certificates made by openssl); they only need the binaries
# and OpenLDAP's schema and module files. This script installs them
# non-interactively when missing and keeps the package from starting a system-wide server
# (through the standard policy-rc.d hook, only for the duration of the install).
set -euo pipefail

find_bin() {
    command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true
}

if [ -n "$(find_bin slapd)" ] && [ -n "$(find_bin slapadd)" ] && [ -n "$(find_bin ldapsearch)" ] \
    && [ -n "$(find_bin openssl)" ]; then
    echo "ensure-slapd: slapd, ldap-utils and openssl are already installed ($(find_bin slapd))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-slapd: apt-get not found; install OpenLDAP's slapd and ldap-utils by hand" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi

# Keep the package's postinst from starting a system slapd: the tests run their own.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$POLICY" >/dev/null
    $SUDO chmod 755 "$POLICY"
    created_policy=1
fi
cleanup() {
    if [ "$created_policy" -eq 1 ]; then
        $SUDO rm -f "$POLICY"
    fi
}
trap cleanup EXIT

echo "ensure-slapd: installing slapd, ldap-utils and openssl"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    slapd ldap-utils openssl

echo "ensure-slapd: installed $(find_bin slapd)"
