//! The helper methods on the `messages` resources: `tool_runner` and `parse`.

use super::runner::{BetaApi, MessagesApi, ToolRunner};
use super::tool::DynTool;
use crate::types::{BetaMessageCreateParams, MessageCreateParams};

#[cfg(feature = "schemars")]
use super::parse::ParseCall;
#[cfg(feature = "schemars")]
use crate::call::ApiCall;
#[cfg(feature = "schemars")]
use crate::error::Error;
#[cfg(feature = "schemars")]
use crate::types::{BetaJsonOutputFormat, BetaMessage, JsonOutputFormat, Message};

impl crate::resources::beta::messages::Messages<'_> {
    /// Runs the tool loop for `params` with these tools (see [`ToolRunner`]); their definitions
    /// are added to `params.tools` (server tools already there are kept).
    ///
    /// ```no_run
    /// # #[cfg(feature = "macros")]
    /// # async fn demo(client: anthropic::Client, params: anthropic::types::BetaMessageCreateParams) -> anthropic::Result<()> {
    /// #[anthropic::tool]
    /// /// Adds two numbers.
    /// fn add(a: i64, b: i64) -> String {
    ///     (a + b).to_string()
    /// }
    /// let answer = client.beta().messages().tool_runner(params, [add()]).until_done().await?;
    /// # Ok(()) }
    /// ```
    pub fn tool_runner<T: Into<DynTool>>(
        &self,
        params: BetaMessageCreateParams,
        tools: impl IntoIterator<Item = T>,
    ) -> ToolRunner<BetaApi> {
        ToolRunner::new(
            self.client,
            params,
            tools.into_iter().map(Into::into).collect(),
        )
    }

    /// Sends `params` asking for JSON matching `T`'s schema (in `output_config.format`, made
    /// strict by [`transform_schema`](crate::tools::transform_schema)) and decodes the reply's
    /// text as `T`; see [`parse`](crate::tools) for the details.
    ///
    /// A reply that does not decode is [`Error::OutputParse`], holding the text. `params` must
    /// not set a format itself.
    #[cfg(feature = "schemars")]
    pub fn parse<T>(&self, mut params: BetaMessageCreateParams) -> ParseCall<BetaMessage, T>
    where
        T: schemars::JsonSchema + serde::de::DeserializeOwned + Send + 'static,
    {
        let has_format = params.output_format.is_some()
            || params
                .output_config
                .as_ref()
                .is_some_and(|c| c.format.is_some());
        let call = if has_format {
            ApiCall::new(self.client, Err(format_already_set()))
        } else {
            match super::parse::output_schema::<T>() {
                Ok(schema) => {
                    let config = params.output_config.take().unwrap_or_default();
                    params.output_config = Some(config.format(BetaJsonOutputFormat::new(schema)));
                    self.create(params)
                }
                Err(e) => ApiCall::new(self.client, Err(e)),
            }
        };
        ParseCall::new(call, |m: &BetaMessage| {
            (
                m.text(),
                m.stop_reason.as_ref().map(|r| r.as_str().to_owned()),
            )
        })
    }
}

impl crate::resources::messages::Messages<'_> {
    /// Runs the tool loop over the Messages API (see [`ToolRunner`]); tool definitions and
    /// content blocks are converted from their beta types, which share the JSON shapes.
    pub fn tool_runner<T: Into<DynTool>>(
        &self,
        params: MessageCreateParams,
        tools: impl IntoIterator<Item = T>,
    ) -> ToolRunner<MessagesApi> {
        ToolRunner::new(
            self.client,
            params,
            tools.into_iter().map(Into::into).collect(),
        )
    }

    /// Structured outputs over the Messages API: like the beta
    /// [`parse`](crate::resources::beta::messages::Messages::parse).
    #[cfg(feature = "schemars")]
    pub fn parse<T>(&self, mut params: MessageCreateParams) -> ParseCall<Message, T>
    where
        T: schemars::JsonSchema + serde::de::DeserializeOwned + Send + 'static,
    {
        let call = if params
            .output_config
            .as_ref()
            .is_some_and(|c| c.format.is_some())
        {
            ApiCall::new(self.client, Err(format_already_set()))
        } else {
            match super::parse::output_schema::<T>() {
                Ok(schema) => {
                    let config = params.output_config.take().unwrap_or_default();
                    params.output_config = Some(config.format(JsonOutputFormat::new(schema)));
                    self.create(params)
                }
                Err(e) => ApiCall::new(self.client, Err(e)),
            }
        };
        ParseCall::new(call, |m: &Message| {
            (
                m.text(),
                m.stop_reason.as_ref().map(|r| r.as_str().to_owned()),
            )
        })
    }
}

#[cfg(feature = "schemars")]
fn format_already_set() -> Error {
    Error::invalid_request(
        "parse::<T>() sets output_config.format from T: leave output_config.format and output_format unset",
    )
}
