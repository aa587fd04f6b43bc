#!/usr/bin/env bash
# Makes sure podman can run the hosted-mode image test (connector-cli's package tests): podman
# and the `runc` runtime (Debian packages `podman`, `runc`; `catatonit`, the pause process of
# pods; `iptables` and `netavark` for container networks; `uidmap` and `slirp4netns` for
# rootless use).
#
# The test itself runs podman with `--runtime runc --cgroup-manager cgroupfs` and a
# containers.conf of its own (ulimits below the machine's hard limits): Debian's default `crun`
# refuses the hybrid cgroup layout of these machines. It fails with a clear message when podman
# is missing. Idempotent: does nothing when podman and runc are there.
set -euo pipefail

have() { command -v "$1" >/dev/null 2>&1; }

if have podman && have runc && have catatonit && { have iptables || [ -x /usr/sbin/iptables ]; }; then
    echo "ensure-podman: podman and runc are already installed ($(podman --version))"
    exit 0
fi
if ! have apt-get; then
    echo "ensure-podman: apt-get not found; install podman and runc by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends \
    podman runc catatonit iptables uidmap slirp4netns netavark aardvark-dns
if have podman && have runc; then
    echo "ensure-podman: installed $(podman --version)"
else
    echo "ensure-podman: the install finished but podman or runc is still missing" >&2
    exit 1
fi
