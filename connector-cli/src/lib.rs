#![doc = include_str!("../README.md")]

pub mod cli;
pub mod package;
pub mod scaffold;
pub mod spec;
mod workspace;

#[doc(inline)]
pub use cli::run;
