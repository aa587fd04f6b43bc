#!/usr/bin/env bash
# Makes sure the tools connector-cli's bundle tests use are installed (Debian/Ubuntu): `file`
# (the test checks that it calls the bundled `main` statically linked) and `unshare`/`chroot`
# (util-linux and coreutils, to run `main` in an empty root).
set -euo pipefail

missing=()
for tool in file unshare chroot; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "ensure-bundle-tools: file, unshare and chroot are installed"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-bundle-tools: apt-get not found; install ${missing[*]} by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "ensure-bundle-tools: installing file, util-linux, coreutils (missing: ${missing[*]})"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq file util-linux coreutils >/dev/null
