//! The mock app's one integration-test binary: its HTTP API over a real socket.

mod api;
mod faults;
mod protocol4;
mod support;
