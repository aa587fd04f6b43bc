#![doc = include_str!("../README.md")]

pub mod check;
pub mod cli;
pub mod package;
pub mod record_case;
pub mod scaffold;
pub mod spec;
mod workspace;

#[doc(inline)]
pub use cli::run;
