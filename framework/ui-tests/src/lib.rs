//! Compile-fail tests live in `tests/`; this crate has no code.
