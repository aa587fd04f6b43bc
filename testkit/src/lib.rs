//! Test helpers for connectors.
