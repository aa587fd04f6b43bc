#!/usr/bin/env bash
# Makes sure `promtool` is installed (Debian/Ubuntu package `prometheus`, which ships it).
#
# mock-connector's hosted-mode metrics test pipes `serve`'s `/metrics` (after a load) through
# `promtool check metrics`; it fails with a clear message when promtool is missing.
# Idempotent: does nothing when promtool is there.
set -euo pipefail

if command -v promtool >/dev/null 2>&1; then
    echo "ensure-promtool: promtool is already installed ($(command -v promtool))"
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "ensure-promtool: apt-get not found; install promtool (Prometheus) by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
# --no-install-recommends: the server's web assets and node exporter are not needed.
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends prometheus
# The package starts a Prometheus server where an init system runs; tests need only promtool.
if command -v promtool >/dev/null 2>&1; then
    echo "ensure-promtool: installed $(promtool --version 2>&1 | head -n1)"
else
    echo "ensure-promtool: the install finished but promtool is still missing" >&2
    exit 1
fi
