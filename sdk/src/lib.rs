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
pub mod tools;
pub mod types;
pub mod wire;

pub use client::{Client, ClientBuilder, RequestOptions};
pub use error::{Error, Result};
pub use generated::resources;

/// Turns a function into a [`Tool`](tools::Tool) Claude can call (feature `macros`, on by
/// default).
///
/// The function keeps its name but now returns the tool (a [`DynTool`](tools::DynTool)); its
/// body runs when Claude calls the tool. From the function:
///
/// - **name**: the function's name (or `#[tool(name = "…")]`);
/// - **description**: the doc comment, without its argument list and sections other than
///   `# Arguments` (or `#[tool(description = "…")]`);
/// - **input schema**: one property per argument, its schema derived from the argument's type
///   (`schemars::JsonSchema`: strings, numbers, `Vec`, maps, enums — as `enum` — and nested
///   structs deriving `JsonSchema`), described by the doc comment's list
///   (`` * `city` - City and country ``); `Option<T>` arguments are not required; every object
///   has `additionalProperties: false`.
///
/// Arguments are decoded with serde, one by one: a missing, unknown or malformed argument
/// becomes an `is_error` tool result naming it, so Claude can retry. The function may be
/// `async` or not (a sync function runs on the runner's task: keep it quick) and returns a
/// `String`, a [`ToolOutput`](tools::ToolOutput), or a `Result` whose `Ok` converts into one
/// and whose `Err` converts into [`ToolError`](tools::ToolError) (any `std::error::Error`).
///
/// Options: `#[tool(name = "…", description = "…", strict, crate = "path::to::anthropic")]`.
///
/// ```
/// use anthropic::tools::{self, Tool, tool};
/// use serde_json::json;
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// #[serde(rename_all = "lowercase")]
/// enum Unit { Celsius, Fahrenheit }
///
/// /// Get the current weather in a city.
/// ///
/// /// * `city` - City and country, e.g. "Paris, France".
/// /// * `unit` - The temperature unit (default: celsius).
/// #[tool]
/// async fn get_weather(city: String, unit: Option<Unit>) -> tools::Result<String> {
///     let degrees = match unit.unwrap_or(Unit::Celsius) { Unit::Celsius => "15°C", Unit::Fahrenheit => "59°F" };
///     Ok(format!("{degrees} in {city}"))
/// }
///
/// let weather = get_weather();
/// assert_eq!(weather.name(), "get_weather");
/// let definition = serde_json::to_value(weather.definition()).unwrap();
/// assert_eq!(definition["description"], "Get the current weather in a city.");
/// assert_eq!(definition["input_schema"]["required"], json!(["city"]));
/// assert_eq!(definition["input_schema"]["properties"]["unit"]["enum"], json!(["celsius", "fahrenheit"]));
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let out = weather.call(json!({"city": "Paris", "unit": "fahrenheit"})).await.unwrap();
/// assert_eq!(out.as_text(), Some("59°F in Paris"));
/// let err = weather.call(json!({"city": 3})).await.unwrap_err();
/// assert!(err.message().contains("`city`"));
/// # });
/// ```
#[cfg(feature = "macros")]
pub use anthropic_macros::tool;

#[cfg(feature = "schemars")]
pub use schemars;
