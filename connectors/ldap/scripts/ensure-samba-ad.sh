#!/usr/bin/env bash
# Makes sure Samba's Active Directory domain controller (`samba`, `samba-tool`, the
# provisioning data), the `ldap-utils` tools and `openssl` are installed (Debian/Ubuntu).
#
# The LDAP connector's AD tests provision their own throwaway domain in a temporary directory
# (`samba-tool domain provision --targetdir`, no DNS backend, loopback only) and run
# `samba -i` in the foreground; they touch no system-wide Samba configuration. This script
# installs the packages non-interactively when missing and keeps them from starting
# system-wide services (through the standard policy-rc.d hook, only during the install).
set -euo pipefail

find_bin() {
    command -v "$1" 2>/dev/null || { [ -x "/usr/sbin/$1" ] && echo "/usr/sbin/$1"; } || true
}

provision_data() {
    # samba-ad-provision ships the LDIF/schema files `samba-tool domain provision` reads.
    [ -d /usr/share/samba/setup ] && [ -n "$(ls -A /usr/share/samba/setup 2>/dev/null)" ]
}

if [ -n "$(find_bin samba)" ] && [ -n "$(find_bin samba-tool)" ] && provision_data \
    && [ -n "$(find_bin ldapadd)" ] && [ -n "$(find_bin openssl)" ]; then
    echo "ensure-samba-ad: samba, samba-tool, ldap-utils and openssl are already installed"
    exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-samba-ad: apt-get not found; install Samba's AD DC (samba, samba-ad-dc," \
        "samba-ad-provision), ldap-utils and openssl by hand" >&2
    exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "ensure-samba-ad: not root and no sudo; cannot install Samba" >&2
        exit 1
    fi
    SUDO="sudo"
fi

# Keep the packages' postinst scripts from starting system-wide daemons: the tests run their own.
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

echo "ensure-samba-ad: installing samba, samba-ad-dc, samba-ad-provision, ldap-utils, openssl"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
if ! $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules winbind \
    ldap-utils openssl; then
    echo "ensure-samba-ad: apt-get could not install Samba's AD DC" >&2
    exit 1
fi

if [ -z "$(find_bin samba)" ] || ! provision_data; then
    echo "ensure-samba-ad: the packages installed, but samba or its provisioning data is missing" >&2
    exit 1
fi
echo "ensure-samba-ad: installed $(find_bin samba)"
