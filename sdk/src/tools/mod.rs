//! Tools: define them from Rust functions, let the runner resolve tool calls, store Claude's
//! memory, and get structured outputs as Rust types.
//!
//! - [`Tool`]: a tool's definition and code. Write one with [`#[tool]`](crate::tool) on a
//!   function, with [`FnTool`] from a closure, or implement the trait.
//! - [`ToolRunner`]: `client.beta().messages().tool_runner(params, tools)` runs the
//!   create → call tools → reply loop (a [`Stream`](futures_util::Stream) of replies, or
//!   [`until_done`](ToolRunner::until_done)).
//! - [`MemoryTool`] / [`FsMemory`]: the memory tool and a directory-backed implementation.
//! - [`builtin`]: the API's built-in tools (bash, text editor, computer use, memory, web search,
//!   web fetch, code execution).
//! - Structured outputs: `client.beta().messages().parse::<T>(params)` (also on
//!   `client.messages()`) returns the reply with its text decoded as `T`.
//!
//! ```no_run
//! # #[cfg(feature = "macros")]
//! # async fn demo() -> anthropic::Result<()> {
//! use anthropic::tools::{self, tool};
//! use anthropic::types::{BetaMessageCreateParams, BetaMessageParam, Model};
//!
//! /// Get the current weather in a city.
//! ///
//! /// * `city` - City and country, e.g. "Paris, France".
//! #[tool]
//! async fn get_weather(city: String) -> tools::Result<String> {
//!     Ok(format!("It is 15°C in {city}."))
//! }
//!
//! let client = anthropic::Client::new();
//! let params = BetaMessageCreateParams::new(
//!     Model::CLAUDE_SONNET_4_5,
//!     [BetaMessageParam::user("What's the weather in Paris?")],
//!     1024,
//! );
//! let answer = client
//!     .beta()
//!     .messages()
//!     .tool_runner(params, [get_weather()])
//!     .until_done()
//!     .await?;
//! println!("{}", answer.text());
//! # Ok(()) }
//! ```

mod api;
#[cfg(feature = "blocking")]
mod blocking_runner;
pub mod builtin;
mod fn_tool;
mod memory;
mod memory_fs;
mod parse;
mod resource;
mod runner;
#[cfg(feature = "schemars")]
mod schema;
mod schema_transform;
mod stream_turns;
mod streaming_runner;
mod tool;

#[cfg(feature = "blocking")]
pub use blocking_runner::BlockingToolRunner;
pub use builtin::{BashInput, TextEditorCommand};
pub use fn_tool::{decode_input, FnTool};
pub use memory::{MemoryCommand, MemoryTool, MEMORY_ROOT};
pub use memory_fs::FsMemory;
#[cfg(feature = "schemars")]
pub use parse::{output_format, output_format_stable, output_schema, ParseCall};
pub use parse::{parse_output, Parsed};
pub use runner::{
    BetaApi, BetaToolRunner, MessagesApi, RunnerApi, ToolRunner, DEFAULT_MAX_CONCURRENCY,
};
#[cfg(feature = "schemars")]
pub use schema::input_schema_for;
pub use schema_transform::{
    close_objects, transform_schema, SchemaError, SUPPORTED_STRING_FORMATS,
};
pub use streaming_runner::{StartStream, StreamingToolRunner, TurnStream};
pub use tool::{DynTool, IntoToolResult, Result, Tool, ToolError, ToolFuture, ToolOutput};

#[cfg(feature = "macros")]
pub use crate::tool;

/// What `#[tool]` expands to uses these; not a stable API.
#[doc(hidden)]
pub mod __private {
    use serde::de::DeserializeOwned;
    use serde_json::{Map, Value};

    use super::tool::ToolError;
    use crate::types::BetaToolUnion;

    #[cfg(feature = "schemars")]
    pub use super::schema::ArgsSchema;

    /// A JSON object.
    pub type JsonMap = Map<String, Value>;
    /// A JSON value.
    pub type JsonValue = Value;

    /// A custom tool definition.
    pub fn definition(
        name: &str,
        description: Option<&str>,
        schema: JsonMap,
        strict: Option<bool>,
    ) -> BetaToolUnion {
        super::tool::custom_tool(name, description, schema, strict).into()
    }

    /// The arguments of one call, decoded one by one so errors name the argument.
    pub struct Args {
        map: JsonMap,
    }

    impl Args {
        /// Checks the input is an object without unknown keys.
        pub fn new(input: Value, known: &[&str]) -> Result<Args, ToolError> {
            let map = match input {
                Value::Object(map) => map,
                Value::Null => Map::new(),
                other => {
                    return Err(ToolError::new(format!(
                        "invalid input: expected an object of arguments, got `{other}`"
                    )))
                }
            };
            let unknown: Vec<&str> = map
                .keys()
                .map(String::as_str)
                .filter(|k| !known.contains(k))
                .collect();
            if !unknown.is_empty() {
                let expected = if known.is_empty() {
                    "this tool takes no arguments".to_owned()
                } else {
                    format!("expected: {}", known.join(", "))
                };
                return Err(ToolError::new(format!(
                    "unknown argument{} {} ({expected})",
                    if unknown.len() > 1 { "s" } else { "" },
                    unknown
                        .iter()
                        .map(|k| format!("`{k}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            Ok(Args { map })
        }

        /// A required argument.
        pub fn required<T: DeserializeOwned>(&mut self, name: &str) -> Result<T, ToolError> {
            match self.map.remove(name) {
                Some(value) => decode(name, value),
                None => Err(ToolError::new(format!(
                    "missing required argument `{name}`"
                ))),
            }
        }

        /// An `Option` argument: absent or `null` is `None`.
        pub fn optional<T: DeserializeOwned>(
            &mut self,
            name: &str,
        ) -> Result<Option<T>, ToolError> {
            match self.map.remove(name) {
                None | Some(Value::Null) => Ok(None),
                Some(value) => decode(name, value).map(Some),
            }
        }
    }

    fn decode<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, ToolError> {
        serde_path_to_error::deserialize(value).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                ToolError::new(format!("invalid argument `{name}`: {}", e.inner()))
            } else {
                ToolError::new(format!(
                    "invalid argument `{name}` at `{path}`: {}",
                    e.inner()
                ))
            }
        })
    }
}
