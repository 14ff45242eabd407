//! [`FnTool`]: a tool made of a closure and a typed input.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::tool::{custom_tool, IntoToolResult, Result, Tool, ToolError, ToolOutput};
use crate::types::BetaToolUnion;

/// A tool made of a closure taking a typed input `I` (decoded from Claude's input with serde).
///
/// ```
/// # #[cfg(feature = "schemars")] {
/// use anthropic::tools::FnTool;
///
/// /// Two numbers to add.
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct AddInput {
///     /// The first number.
///     a: i64,
///     /// The second number.
///     b: i64,
/// }
///
/// let add = FnTool::new("add", "Adds two numbers.", |input: AddInput| async move {
///     Ok::<_, anthropic::tools::ToolError>((input.a + input.b).to_string())
/// });
/// # }
/// ```
///
/// An input that does not decode becomes an `is_error` tool result naming the bad field.
pub struct FnTool<I, F> {
    name: String,
    description: Option<String>,
    schema: Map<String, Value>,
    definition: Option<BetaToolUnion>,
    strict: Option<bool>,
    concurrent: bool,
    handler: F,
    _input: PhantomData<fn(I)>,
}

impl<I, F, Fut, R> FnTool<I, F>
where
    I: DeserializeOwned + Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send,
    R: IntoToolResult,
{
    /// A custom tool whose input schema is derived from `I` (`#[derive(JsonSchema)]`), with
    /// `additionalProperties: false` on every object.
    #[cfg(feature = "schemars")]
    pub fn new(name: impl Into<String>, description: impl Into<String>, handler: F) -> Self
    where
        I: schemars::JsonSchema,
    {
        let schema = super::schema::input_schema_for::<I>();
        Self::with_schema(name, Some(description.into()), schema, handler)
    }

    /// A custom tool with a hand-written input schema.
    pub fn with_schema(
        name: impl Into<String>,
        description: Option<String>,
        schema: Map<String, Value>,
        handler: F,
    ) -> Self {
        FnTool {
            name: name.into(),
            description,
            schema,
            definition: None,
            strict: None,
            concurrent: true,
            handler,
            _input: PhantomData,
        }
    }

    /// A tool with a definition the API fixes, such as a built-in client tool
    /// ([`builtin::bash`](super::builtin::bash), [`builtin::text_editor`](super::builtin::text_editor));
    /// its name is read from the definition.
    pub fn with_definition(definition: impl Into<BetaToolUnion>, handler: F) -> Self {
        let definition = definition.into();
        let name = definition_name(&definition).unwrap_or_default();
        FnTool {
            name,
            description: None,
            schema: Map::new(),
            definition: Some(definition),
            strict: None,
            concurrent: true,
            handler,
            _input: PhantomData,
        }
    }

    /// Sets `strict` on a custom tool's definition (schema-validated inputs).
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = Some(strict);
        self
    }

    /// Whether several calls may run at the same time (default `true`; see
    /// [`Tool::concurrent`]).
    pub fn concurrent(mut self, concurrent: bool) -> Self {
        self.concurrent = concurrent;
        self
    }
}

impl<I, F, Fut, R> Tool for FnTool<I, F>
where
    I: DeserializeOwned + Send + 'static,
    F: Fn(I) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = R> + Send,
    R: IntoToolResult,
{
    fn name(&self) -> &str {
        &self.name
    }

    fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    fn input_schema(&self) -> Map<String, Value> {
        self.schema.clone()
    }

    fn definition(&self) -> BetaToolUnion {
        if let Some(definition) = &self.definition {
            return definition.clone();
        }
        custom_tool(
            &self.name,
            self.description(),
            self.input_schema(),
            self.strict,
        )
        .into()
    }

    fn concurrent(&self) -> bool {
        self.concurrent
    }

    async fn call(&self, input: Value) -> Result<ToolOutput> {
        let input: I = decode_input(input)?;
        (self.handler)(input).await.into_tool_result()
    }
}

impl<I, F> fmt::Debug for FnTool<I, F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FnTool")
            .field("name", &self.name)
            .field("description", &self.description)
            .finish_non_exhaustive()
    }
}

/// Decodes a tool input; the error names the path of the bad field (`invalid input at
/// `location.city`: invalid type: integer `3`, expected a string`).
pub fn decode_input<I: DeserializeOwned>(input: Value) -> Result<I> {
    serde_path_to_error::deserialize(input).map_err(|e| {
        let path = e.path().to_string();
        if path == "." {
            ToolError::new(format!("invalid input: {}", e.inner()))
        } else {
            ToolError::new(format!("invalid input at `{path}`: {}", e.inner()))
        }
    })
}

/// The `name` of a tool definition (every variant the API knows has one).
pub(crate) fn definition_name(definition: &BetaToolUnion) -> Option<String> {
    match definition {
        BetaToolUnion::Custom(tool) => Some(tool.name.clone()),
        other => serde_json::to_value(other)
            .ok()?
            .get("name")?
            .as_str()
            .map(str::to_owned),
    }
}
