# Recipes for the workspace. Install just with `pip install rust-just` or
# `cargo install just --locked`; every recipe is a plain cargo line you can run by hand.

default: test

# Run every test of the workspace (the README's command).
test:
    cargo test --workspace

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
