//! Conformance of the wire model to the protocol schema.
