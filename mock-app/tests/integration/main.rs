//! The mock app's one integration-test binary: its HTTP API over a real socket.

mod api;
mod faults;
mod support;
