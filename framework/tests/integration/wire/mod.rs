//! Conformance of the wire model to the protocol schema.
//!
//! The reference is `tests/data/wire-format-3.7.8.schema.json`; every one of its definitions
//! has a registered Rust type ([`registry`]). For each, [`roundtrip`] runs property tests on
//! generated valid documents ([`generate`], [`expect`]) and [`conformance`] compares verdicts of
//! the reference, our schemars schema and our deserializer on samples and their
//! [`mutate`]-ations. [`snapshots`] pins a few real-looking envelopes byte for byte.

mod conformance;
mod expect;
mod generate;
mod mutate;
mod reference;
mod registry;
mod roundtrip;
mod snapshots;
