#![doc = include_str!("../README.md")]
#![cfg_attr(not(test), warn(clippy::print_stdout, clippy::dbg_macro))]
#![warn(missing_docs)]

pub mod wire;
