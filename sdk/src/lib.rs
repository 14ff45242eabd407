#![doc = include_str!("../../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

#[rustfmt::skip]
mod generated;
pub mod types;
pub mod wire;
