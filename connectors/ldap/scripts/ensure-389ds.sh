#!/usr/bin/env bash
# Makes sure 389 Directory Server (`389-ds-base`: `ns-slapd`, `dscreate`, `dsconf`, `dsctl`),
# the `ldap-utils` tools and `openssl` are installed (Debian/Ubuntu).
#
# The LDAP connector's 389-ds tests create their own throwaway instance (`dscreate from-file`
# with systemd off, a free loopback port, a unique instance name), run `ns-slapd` in the
# foreground and remove the instance when they end; they need root, because an instance's
# files live under /etc/dirsrv, /var/lib/dirsrv, /var/log/dirsrv and /run. This script
# installs the packages non-interactively when missing (running `apt-get update` first only
# then) and keeps them from starting system-wide services (through the standard policy-rc.d
# hook, only during the install). It prints one line saying what it did.
set -euo pipefail

find_bin() {
    command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true
}

installed() {
    [ -n "$(find_bin ns-slapd)" ] && [ -n "$(find_bin dscreate)" ] && [ -n "$(find_bin dsconf)" ] \
        && [ -n "$(find_bin dsctl)" ] && [ -n "$(find_bin ldapadd)" ] && [ -n "$(find_bin openssl)" ]
}

if installed; then
    echo "ensure-389ds: 389-ds-base, ldap-utils and openssl are already installed ($(find_bin ns-slapd))"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-389ds: apt-get not found; install 389 Directory Server (389-ds-base)," \
        "ldap-utils and openssl by hand" >&2
    exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-389ds: run me as root (the tests' 389-ds instances also need root)" >&2
    exit 1
fi

# Keep the packages' postinst scripts from starting system-wide daemons: the tests run their own.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$POLICY"
    chmod 755 "$POLICY"
    created_policy=1
fi
cleanup() {
    if [ "$created_policy" -eq 1 ]; then
        rm -f "$POLICY"
    fi
}
trap cleanup EXIT

packages=(389-ds-base ldap-utils openssl)
log=$(mktemp)
trap 'cleanup; rm -f "$log"' EXIT
install() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        "${packages[@]}" >>"$log" 2>&1
}
# `apt-get update` only when the package index does not know the package or is too old for it.
if ! apt-cache show 389-ds-base >/dev/null 2>&1 || ! install; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1 || true
    if ! install; then
        echo "ensure-389ds: apt-get could not install ${packages[*]}:" >&2
        cat "$log" >&2
        exit 1
    fi
fi

if ! installed; then
    echo "ensure-389ds: the packages installed, but ns-slapd, dscreate, dsconf or dsctl is missing" >&2
    exit 1
fi
echo "ensure-389ds: installed ${packages[*]} ($(find_bin ns-slapd))"
