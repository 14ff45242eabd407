//! Every request and response type of the API.
//!
//! Generated from the OpenAPI spec (see `sdk/src/generated/`), plus hand-written
//! conveniences in this module's `ext` submodule.

pub use crate::generated::types::*;
pub use crate::wire::{Timestamp, UploadFile};
