//! Wire-format building blocks used by the generated types.
//!
//! Hand-written; the generator only refers to these.

mod constant;
mod timestamp;
mod union;
mod upload;

pub use constant::{Const, ConstValue};
pub use timestamp::{Timestamp, TimestampError};
#[doc(hidden)]
pub use union::{decode_variant, tag_of};
pub use upload::UploadFile;
