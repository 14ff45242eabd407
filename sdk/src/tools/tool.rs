//! The [`Tool`] trait, what a tool returns ([`ToolOutput`], [`ToolError`]) and the type-erased
//! handle the runner keeps ([`DynTool`]).

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use serde_json::{Map, Value};

use crate::types::{BetaTool, BetaToolInputSchema, BetaToolResultContentBlock, BetaToolUnion};

/// `Result` with [`ToolError`] as the default error: what tool functions return.
pub type Result<T, E = ToolError> = std::result::Result<T, E>;

/// A boxed, sendable future borrowing for `'a`.
pub type ToolFuture<'a> = Pin<Box<dyn Future<Output = Result<ToolOutput>> + Send + 'a>>;

/// A tool Claude can call: its definition and the code that runs it.
///
/// Most tools are written with [`#[tool]`](crate::tool) or [`FnTool`](super::FnTool); implement
/// the trait by hand for tools with state, or with a definition the API fixes (the built-in client
/// tools: memory, bash, text editor, computer use).
///
/// ```
/// use anthropic::tools::{Tool, ToolError, ToolOutput};
/// use serde_json::{json, Map, Value};
///
/// struct Counter(std::sync::atomic::AtomicU64);
///
/// impl Tool for Counter {
///     fn name(&self) -> &str {
///         "next_number"
///     }
///     fn description(&self) -> Option<&str> {
///         Some("Returns the next number of a counter.")
///     }
///     fn input_schema(&self) -> Map<String, Value> {
///         json!({"type": "object", "properties": {}}).as_object().cloned().unwrap()
///     }
///     async fn call(&self, _input: Value) -> Result<ToolOutput, ToolError> {
///         let n = self.0.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
///         Ok(n.to_string().into())
///     }
/// }
/// ```
pub trait Tool: Send + Sync + 'static {
    /// The name Claude calls the tool by (`tool_use.name`).
    fn name(&self) -> &str;

    /// What the tool does; the more precise, the better Claude uses it.
    fn description(&self) -> Option<&str> {
        None
    }

    /// The JSON schema of the input (an `object` schema).
    fn input_schema(&self) -> Map<String, Value>;

    /// The definition sent in the request's `tools`: by default a custom tool made of
    /// [`name`](Tool::name), [`description`](Tool::description) and
    /// [`input_schema`](Tool::input_schema). Built-in client tools return their typed definition.
    fn definition(&self) -> BetaToolUnion {
        custom_definition(self.name(), self.description(), self.input_schema()).into()
    }

    /// Whether several calls of this tool may run at the same time (default `true`).
    ///
    /// The runner runs the calls of one turn concurrently; calls of a tool that returns `false`
    /// run one after the other, in the order Claude made them (the memory tool does this, so
    /// that `create` then `str_replace` of one file in one turn work).
    fn concurrent(&self) -> bool {
        true
    }

    /// Runs the tool with the input Claude gave (`tool_use.input`, normally a JSON object).
    ///
    /// An `Err` becomes a `tool_result` with `is_error: true` and the error's message, which
    /// lets Claude correct itself; it does not stop the runner.
    fn call(&self, input: Value) -> impl Future<Output = Result<ToolOutput>> + Send;
}

/// A custom tool definition; a `strict` tool's schema is made strict with
/// [`transform_schema`](super::transform_schema) (kept as is if it cannot be).
pub(crate) fn custom_tool(
    name: &str,
    description: Option<&str>,
    input_schema: Map<String, Value>,
    strict: Option<bool>,
) -> BetaTool {
    let mut schema = input_schema;
    if strict == Some(true) {
        if let Ok(Value::Object(map)) = super::transform_schema(&Value::Object(schema.clone())) {
            schema = map;
        }
    }
    let mut tool = custom_definition(name, description, schema);
    if let Some(strict) = strict {
        tool = tool.strict(strict);
    }
    tool
}

/// A custom tool definition from its parts.
pub(crate) fn custom_definition(
    name: &str,
    description: Option<&str>,
    input_schema: Map<String, Value>,
) -> BetaTool {
    let mut schema = BetaToolInputSchema::new();
    for (key, value) in input_schema {
        match (key.as_str(), value) {
            ("type", _) => {}
            ("properties", Value::Object(properties)) => schema.properties = Some(properties),
            ("required", Value::Array(required)) => {
                schema.required = Some(
                    required
                        .into_iter()
                        .filter_map(|v| v.as_str().map(str::to_owned))
                        .collect(),
                )
            }
            (_, value) => {
                schema.extra.insert(key, value);
            }
        }
    }
    let mut tool = BetaTool::new(name, schema);
    if let Some(description) = description.filter(|d| !d.is_empty()) {
        tool = tool.description(description);
    }
    tool
}

/// What a tool returns to Claude: text, or content blocks (text, images, documents, search
/// results).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ToolOutput {
    /// Plain text.
    Text(String),
    /// Content blocks.
    Blocks(Vec<BetaToolResultContentBlock>),
}

impl ToolOutput {
    /// Text output.
    pub fn text(text: impl Into<String>) -> ToolOutput {
        ToolOutput::Text(text.into())
    }

    /// A value serialised as JSON text (how structured results are usually returned).
    pub fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<ToolOutput> {
        serde_json::to_string(value)
            .map(ToolOutput::Text)
            .map_err(|e| ToolError::new(format!("could not serialize the tool output: {e}")))
    }

    /// The text, for text output.
    pub fn as_text(&self) -> Option<&str> {
        match self {
            ToolOutput::Text(t) => Some(t),
            ToolOutput::Blocks(_) => None,
        }
    }
}

impl From<String> for ToolOutput {
    fn from(text: String) -> Self {
        ToolOutput::Text(text)
    }
}

impl From<&str> for ToolOutput {
    fn from(text: &str) -> Self {
        ToolOutput::Text(text.to_owned())
    }
}

impl From<Cow<'_, str>> for ToolOutput {
    fn from(text: Cow<'_, str>) -> Self {
        ToolOutput::Text(text.into_owned())
    }
}

impl From<Vec<BetaToolResultContentBlock>> for ToolOutput {
    fn from(blocks: Vec<BetaToolResultContentBlock>) -> Self {
        ToolOutput::Blocks(blocks)
    }
}

impl From<BetaToolResultContentBlock> for ToolOutput {
    fn from(block: BetaToolResultContentBlock) -> Self {
        ToolOutput::Blocks(vec![block])
    }
}

/// A JSON string becomes its text; any other value its JSON text.
impl From<Value> for ToolOutput {
    fn from(value: Value) -> Self {
        match value {
            Value::String(s) => ToolOutput::Text(s),
            other => ToolOutput::Text(other.to_string()),
        }
    }
}

/// Why a tool failed; sent to Claude as an `is_error` tool result with this message.
///
/// Any `std::error::Error` converts into it with `?` (its message and causes are kept);
/// [`ToolError::new`] makes one from a message.
pub struct ToolError {
    message: String,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
}

impl ToolError {
    /// An error with this message.
    pub fn new(message: impl fmt::Display) -> ToolError {
        ToolError {
            message: message.to_string(),
            source: None,
        }
    }

    /// The message sent to Claude.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The error this one was converted from, if any.
    pub fn source(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.source.as_deref()
    }
}

/// Keeps the error and its chain of causes in the message (`outer: cause: root cause`).
impl<E: StdError + Send + Sync + 'static> From<E> for ToolError {
    fn from(error: E) -> ToolError {
        let mut message = error.to_string();
        let mut cause = error.source();
        while let Some(inner) = cause {
            let text = inner.to_string();
            if !message.contains(&text) {
                message.push_str(": ");
                message.push_str(&text);
            }
            cause = inner.source();
        }
        ToolError {
            message,
            source: Some(Box::new(error)),
        }
    }
}

impl fmt::Display for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Debug for ToolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ToolError")
            .field("message", &self.message)
            .finish()
    }
}

/// What a tool function may return: `Result<T, E>` with `T` convertible into [`ToolOutput`]
/// (`String`, `&str`, `serde_json::Value`, content blocks) and `E` into [`ToolError`] (any
/// `std::error::Error`), or a plain `String` / [`ToolOutput`].
pub trait IntoToolResult {
    /// The conversion.
    fn into_tool_result(self) -> Result<ToolOutput>;
}

impl<T: Into<ToolOutput>, E: Into<ToolError>> IntoToolResult for std::result::Result<T, E> {
    fn into_tool_result(self) -> Result<ToolOutput> {
        self.map(Into::into).map_err(Into::into)
    }
}

impl IntoToolResult for ToolOutput {
    fn into_tool_result(self) -> Result<ToolOutput> {
        Ok(self)
    }
}

impl IntoToolResult for String {
    fn into_tool_result(self) -> Result<ToolOutput> {
        Ok(ToolOutput::Text(self))
    }
}

impl IntoToolResult for &'static str {
    fn into_tool_result(self) -> Result<ToolOutput> {
        Ok(ToolOutput::Text(self.to_owned()))
    }
}

impl IntoToolResult for Value {
    fn into_tool_result(self) -> Result<ToolOutput> {
        Ok(self.into())
    }
}

/// The object-safe form of [`Tool`], implemented for every tool.
trait ErasedTool: Send + Sync + 'static {
    fn name(&self) -> &str;
    fn definition(&self) -> BetaToolUnion;
    fn concurrent(&self) -> bool;
    fn call_boxed(&self, input: Value) -> ToolFuture<'_>;
}

impl<T: Tool> ErasedTool for T {
    fn name(&self) -> &str {
        Tool::name(self)
    }

    fn definition(&self) -> BetaToolUnion {
        Tool::definition(self)
    }

    fn concurrent(&self) -> bool {
        Tool::concurrent(self)
    }

    fn call_boxed(&self, input: Value) -> ToolFuture<'_> {
        Box::pin(Tool::call(self, input))
    }
}

/// Any [`Tool`], type-erased and cheap to clone: what the runner takes and what
/// [`#[tool]`](crate::tool) functions return, so different tools fit in one list.
///
/// Every `T: Tool` converts into it (`my_tool.into()`).
#[derive(Clone)]
pub struct DynTool(Arc<dyn ErasedTool>);

impl DynTool {
    /// Wraps a tool.
    pub fn new(tool: impl Tool) -> DynTool {
        DynTool(Arc::new(tool))
    }

    /// The tool's name.
    pub fn name(&self) -> &str {
        self.0.name()
    }

    /// The definition sent in the request's `tools`.
    pub fn definition(&self) -> BetaToolUnion {
        self.0.definition()
    }

    /// Whether several calls may run at the same time (see [`Tool::concurrent`]).
    pub fn concurrent(&self) -> bool {
        self.0.concurrent()
    }

    /// Runs the tool (without the runner's panic guard).
    pub fn call(&self, input: Value) -> ToolFuture<'_> {
        self.0.call_boxed(input)
    }
}

impl<T: Tool> From<T> for DynTool {
    fn from(tool: T) -> DynTool {
        DynTool::new(tool)
    }
}

impl fmt::Debug for DynTool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DynTool").field(&self.name()).finish()
    }
}
