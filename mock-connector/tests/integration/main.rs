//! The mock connector's tests.
