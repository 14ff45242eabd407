//! Structured outputs: `messages().parse::<T>(params)` asks for JSON matching `T`'s schema and
//! decodes the reply into `T`.
//!
//! The checked-in spec puts the format in `output_config.format` (the top-level
//! `output_format` is deprecated) on both the Messages API and the beta Messages API, and lists
//! no `structured-outputs-*` beta: the feature is generally available, so no beta header is
//! added. (SDK 0.74 sent `output_format` with the `structured-outputs-2025-09-17` beta.)

use serde::de::DeserializeOwned;

use crate::error::{Error, OutputParseError, Result};
#[cfg(feature = "schemars")]
pub use with_schemars::*;

/// A reply with its text decoded as `T`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Parsed<M, T> {
    /// The reply as the API sent it.
    pub message: M,
    /// Its text (every text block, joined) decoded as `T`.
    pub output: T,
}

impl<M, T> Parsed<M, T> {
    /// The reply and the decoded output.
    pub fn into_parts(self) -> (M, T) {
        (self.message, self.output)
    }
}

/// Decodes structured-output text as `T`; a failure is [`Error::OutputParse`] holding the text.
///
/// Use it on a streamed reply when its text block stops (`content_block_stop`), or on any text
/// produced with [`output_format`].
pub fn parse_output<T: DeserializeOwned>(text: &str, stop_reason: Option<&str>) -> Result<T> {
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let result = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(value) => deserializer
            .end()
            .map(|()| value)
            .map_err(|e| (String::new(), e)),
        Err(e) => {
            let path = e.path().to_string();
            let path = if path == "." { String::new() } else { path };
            Err((path, e.into_inner()))
        }
    };
    result.map_err(|(path, source)| {
        Error::OutputParse(OutputParseError::new(
            std::any::type_name::<T>(),
            text.to_owned(),
            stop_reason.map(str::to_owned),
            path,
            source,
        ))
    })
}

#[cfg(feature = "schemars")]
mod with_schemars {
    use std::future::{Future, IntoFuture};
    use std::marker::PhantomData;
    use std::time::Duration;

    use http::header::{HeaderName, HeaderValue};
    use serde::de::DeserializeOwned;
    use serde_json::{Map, Value};

    use super::Parsed;
    use crate::call::{ApiCall, BoxFuture};
    use crate::client::RequestOptions;
    use crate::error::{Error, Result};
    use crate::types::{AnthropicBeta, BetaJsonOutputFormat, JsonOutputFormat};

    /// The strict JSON schema of `T` for `output_config.format` (see
    /// [`transform_schema`](crate::tools::transform_schema)).
    pub fn output_schema<T: schemars::JsonSchema + ?Sized>() -> Result<Map<String, Value>> {
        let schema = crate::tools::schema::output_schema_for::<T>();
        match crate::tools::transform_schema(&schema) {
            Ok(Value::Object(map)) => Ok(map),
            Ok(_) => Err(Error::invalid_request("the output schema is not an object")),
            Err(e) => Err(Error::invalid_request(format!(
                "cannot use {} as a structured output: {e}",
                std::any::type_name::<T>()
            ))),
        }
    }

    /// `output_config.format` for `T` (beta Messages API), e.g. for a streamed request.
    pub fn output_format<T: schemars::JsonSchema + ?Sized>() -> Result<BetaJsonOutputFormat> {
        output_schema::<T>().map(BetaJsonOutputFormat::new)
    }

    /// `output_config.format` for `T` (Messages API).
    pub fn output_format_stable<T: schemars::JsonSchema + ?Sized>() -> Result<JsonOutputFormat> {
        output_schema::<T>().map(JsonOutputFormat::new)
    }

    /// A structured-output call: `.await` sends it and decodes the reply.
    #[must_use = "a call does nothing until it is awaited"]
    pub struct ParseCall<M, T> {
        call: ApiCall<M>,
        text_of: fn(&M) -> (String, Option<String>),
        _out: PhantomData<fn() -> T>,
    }

    impl<M: DeserializeOwned + Send + 'static, T> ParseCall<M, T> {
        pub(crate) fn new(call: ApiCall<M>, text_of: fn(&M) -> (String, Option<String>)) -> Self {
            ParseCall {
                call,
                text_of,
                _out: PhantomData,
            }
        }

        /// Merges per-request options.
        pub fn options(mut self, options: RequestOptions) -> Self {
            self.call = self.call.options(options);
            self
        }

        /// The timeout of each attempt.
        pub fn timeout(mut self, timeout: Duration) -> Self {
            self.call = self.call.timeout(timeout);
            self
        }

        /// How many times the call is retried.
        pub fn max_retries(mut self, max_retries: u32) -> Self {
            self.call = self.call.max_retries(max_retries);
            self
        }

        /// Sends an extra header.
        pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
            self.call = self.call.header(name, value);
            self
        }

        /// Beta features to enable (`anthropic-beta`).
        pub fn betas<B: Into<AnthropicBeta>>(mut self, betas: impl IntoIterator<Item = B>) -> Self {
            self.call = self.call.betas(betas);
            self
        }
    }

    impl<M, T> IntoFuture for ParseCall<M, T>
    where
        M: DeserializeOwned + Send + 'static,
        T: DeserializeOwned + Send + 'static,
    {
        type Output = Result<Parsed<M, T>>;
        type IntoFuture = BoxFuture<Self::Output>;

        fn into_future(self) -> Self::IntoFuture {
            let text_of = self.text_of;
            let sent = self.call.send();
            Box::pin(parse_reply(sent, text_of))
        }
    }

    async fn parse_reply<M, T: DeserializeOwned>(
        sent: impl Future<Output = Result<M>>,
        text_of: fn(&M) -> (String, Option<String>),
    ) -> Result<Parsed<M, T>> {
        let message = sent.await?;
        let (text, stop_reason) = text_of(&message);
        let output = super::parse_output(&text, stop_reason.as_deref())?;
        Ok(Parsed { message, output })
    }
}

impl<M: crate::streaming::StreamedMessage> crate::streaming::MessageStream<M> {
    /// Structured outputs on a stream: the text of content block `index`, parsed as `T`.
    ///
    /// Call it when that block's `ContentBlockStop` event arrives (or after the stream ended);
    /// `None` when there is no such block or it is not a text block. A parse failure is
    /// [`Error::OutputParse`] with the raw text.
    ///
    /// ```no_run
    /// # async fn demo(client: anthropic::Client, params: anthropic::types::BetaMessageCreateParams) -> anthropic::Result<()> {
    /// use anthropic::streaming::MessageStreamEvent;
    /// use futures_util::StreamExt;
    ///
    /// #[derive(serde::Deserialize)]
    /// struct Order { item: String, qty: u32 }
    ///
    /// let mut stream = client.beta().messages().stream(params).await?;
    /// while let Some(event) = stream.next().await {
    ///     if let MessageStreamEvent::ContentBlockStop { index, .. } = event? {
    ///         if let Some(order) = stream.parse_block::<Order>(index) {
    ///             let order = order?;
    ///             println!("{} × {}", order.qty, order.item);
    ///         }
    ///     }
    /// }
    /// # Ok(()) }
    /// ```
    pub fn parse_block<T: DeserializeOwned>(&self, index: usize) -> Option<Result<T>> {
        let block = serde_json::to_value(self.current_snapshot()?.content().get(index)?).ok()?;
        if block.get("type").and_then(serde_json::Value::as_str) != Some("text") {
            return None;
        }
        let text = block.get("text").and_then(serde_json::Value::as_str)?;
        Some(parse_output(text, None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize, PartialEq)]
    struct Order {
        qty: u32,
    }

    #[test]
    fn parse_errors_keep_the_text_and_path() {
        assert_eq!(
            parse_output::<Order>(r#"{"qty": 2}"#, None).unwrap(),
            Order { qty: 2 }
        );
        let err = parse_output::<Order>(r#"{"qty": "two"}"#, Some("end_turn")).unwrap_err();
        let Error::OutputParse(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.text(), r#"{"qty": "two"}"#);
        assert_eq!(e.path(), "qty");
        assert_eq!(e.stop_reason(), Some("end_turn"));
        assert!(err.to_string().contains("qty"), "{err}");
        let err = parse_output::<Order>(r#"{"qty": 1} trailing"#, Some("max_tokens")).unwrap_err();
        assert!(err.to_string().contains("max_tokens"), "{err}");
    }
}
