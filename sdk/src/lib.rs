//! Rust SDK for the Anthropic API.
//!
//! The request and response types in [`types`] are generated from the API's OpenAPI spec
//! (see `ARCHITECTURE.md` in the repository); everything else is hand-written.
#![warn(missing_docs)]
#![forbid(unsafe_code)]

#[rustfmt::skip]
mod generated;
pub mod types;
pub mod wire;
