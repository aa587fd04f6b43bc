#!/usr/bin/env bash
# Every test of the workspace, on a fresh Debian/Ubuntu machine with only the Rust toolchain:
# first the test servers and tools the tests need (each connectors/*/scripts/ensure-*.sh and
# <crate>/scripts/ensure-*.sh installs one: slapd, scim2-server, file, the headless Chromium +
# chromedriver of the developer console's browser tests, …), then `cargo test --workspace`
# (extra arguments go to it), then
# the scaffold-to-green check (for every `--auth`: a fresh `connector scaffold` outside the
# workspace, its tests, its `info`, `connector package` and the bundle's `main info`).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== test servers and tools"
for script in connectors/*/scripts/ensure-*.sh */scripts/ensure-*.sh; do
    [ -e "$script" ] && bash "$script"
done

echo "== cargo test --workspace"
cargo test --workspace "$@"

echo "== every scaffold variant: cargo test, info, package, the bundle's info"
cargo test -p connector-cli --test integration -- --ignored
