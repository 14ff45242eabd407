//! Every request and response type of the API.
//!
//! The types are generated from the OpenAPI spec (`sdk/src/generated/`, one module per API
//! area, all re-exported here flat); [`ext`] adds hand-written conveniences such as
//! [`MessageParam::user`] and [`Message::text`].
//!
//! Conventions, the same for every type:
//! - request types have `new(required fields…)` and one chainable setter per optional field;
//!   unset optional fields are omitted from the JSON, never sent as `null`;
//! - every struct is `#[non_exhaustive]` and keeps fields it does not know in `extra`;
//! - every union has an `Unknown(serde_json::Value)` variant and every string enum an
//!   `Other(String)` variant, so new API values decode instead of failing.

pub mod ext;

pub use crate::generated::types::*;
pub use crate::wire::{Timestamp, UploadFile};
