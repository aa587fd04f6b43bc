# Recipes for the workspace. Install just with `pip install rust-just` or
# `cargo install just --locked`; every recipe is a plain cargo line you can run by hand.

default: test

# Run every test of the workspace (the README's command: test servers first).
test:
    bash scripts/test.sh

# Formatting, clippy with warnings as errors, and docs.
lint:
    cargo fmt --all --check
    cargo clippy --workspace --all-targets -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

# Format the code.
fmt:
    cargo fmt --all

# What CI runs.
ci:
    bash .ci/run

# Accept changed insta snapshots after reviewing them.
snap:
    INSTA_UPDATE=always cargo test --workspace

# The mock connector's self-description.
info:
    cargo run -q -p mock-connector -- info

# Benchmarks: drain 100,000 accounts from a local mock app (prints time and peak memory).
bench:
    cargo bench -p mock-connector

# Benchmark rate limiting: drain 20,000 accounts from a mock app limited to 20/s (burst 10),
# one process per page with the state passed along and through `serve` with 8 pagers, headers
# on and off: wall time against the ideal, 429s seen, errors surfaced.
bench-ratelimit:
    cargo bench -p mock-connector --bench ratelimit

# How long a new author waits: cold build of mock-connector, scaffold -> green `cargo test`
# cold and warm, each with the five slowest units of `cargo --timings`.
bench-build:
    bash scripts/bench-build.sh

# Benchmark hosted mode: `mock-connector serve` under concurrent keep-alive clients: the mock app
# directly (the ceiling), serve with metrics, --no-metrics, with OTLP export; then 200 one-shot
# calls. `cargo bench -p mock-connector --features mimalloc --bench serve` for mimalloc.
bench-serve:
    bash mock-connector/scripts/bench/ensure-wrk.sh
    cargo bench -p mock-connector --bench serve

# Needs slapd (connectors/ldap/scripts/ensure-slapd.sh). Arguments go to the demo, e.g.
# `just ldap-demo --users 100000 --keep`; add `--release` to both lines for production timings.
# The LDAP connector against a throwaway OpenLDAP with 10,000 users, one process per call.
ldap-demo *args:
    cargo build -q -p ldap-connector --bin ldap-connector --example ldap-demo
    cargo run -q -p ldap-connector --example ldap-demo -- {{args}}

# Statically linked (glibc crt-static), reproducible, with licences and SBOM; see connector-cli/README.md.
# On-prem bundles of every connector: dist/<app_id>-<version>.tar.gz and its .sha256.
package:
    cargo run -q -p connector-cli -- package --all

# Also the hosted-mode image (dist/<app_id>-<version>.oci.tar) and its Kubernetes manifest.
package-oci:
    cargo run -q -p connector-cli -- package --all --oci

# The protocol's OpenAPI 3.0 document, generated from the wire types.
spec:
    cargo run -q -p connector-cli -- spec

# Shares this workspace's target folder.
# The new-user path: scaffold demo-connector outside the workspace, test it, run its `info`.
scaffold-demo dir="/tmp/demo-connector":
    cargo run -q -p connector-cli -- scaffold demo-connector {{dir}} --force
    cd {{dir}} && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-{{justfile_directory()}}/target}" cargo test
    cd {{dir}} && CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-{{justfile_directory()}}/target}" cargo run -q -- info
