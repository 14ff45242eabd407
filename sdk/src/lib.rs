#![doc = include_str!("../../README.md")]
#![warn(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "blocking")]
pub mod blocking;
pub mod call;
pub mod client;
pub mod download;
pub mod error;
#[rustfmt::skip]
mod generated;
pub mod pagination;
pub mod streaming;
pub mod types;
pub mod wire;

pub use client::{Client, ClientBuilder, RequestOptions};
pub use error::{Error, Result};
pub use generated::resources;
