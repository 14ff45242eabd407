//! Streaming methods added to the generated resources (`messages`, `beta.messages`,
//! `completions`). They build the same request as `create`, with `"stream": true`, and go
//! through the same call machinery (per-call options, betas, retries of the initial request).

use http::header::{HeaderName, HeaderValue};
use http::Method;

use crate::call::{endpoint, MessageStreamCall, StreamCall};
use crate::client::ApiRequest;
use crate::error::Result;
use crate::resources::beta::messages::Messages as BetaMessages;
use crate::resources::completions::Completions;
use crate::resources::messages::Messages;
use crate::types::{
    BetaMessage, BetaMessageCreateParams, BetaRawMessageStreamEvent, Completion,
    CompletionCreateParams, Message, MessageCreateParams, RawMessageStreamEvent,
};

/// The header the official SDKs send with their stream helpers.
const STREAM_HELPER: HeaderName = HeaderName::from_static("x-stainless-stream-helper");

fn streaming_request(
    path: &str,
    body: &impl serde::Serialize,
    helper: Option<&'static str>,
) -> Result<ApiRequest> {
    let request = endpoint(Method::POST, &[path], &[])?.json(body)?;
    Ok(match helper {
        Some(name) => request.header(STREAM_HELPER, HeaderValue::from_static(name)),
        None => request,
    })
}

impl Messages<'_> {
    /// Creates a message and streams it, accumulated: the official SDKs'
    /// `messages.stream(...)`. See [`MessageStream`](crate::streaming::MessageStream).
    ///
    /// `"stream": true` is set on the request.
    ///
    /// `POST /v1/messages`
    pub fn stream(&self, params: MessageCreateParams) -> MessageStreamCall<Message> {
        crate::client::warn_if_deprecated(params.model.as_str());
        let request = streaming_request("/v1/messages", &params.stream(true), Some("messages"));
        MessageStreamCall::new(self.client, request)
    }

    /// Creates a message and streams its raw events (`create` with `"stream": true`). See
    /// [`EventStream`](crate::streaming::EventStream).
    ///
    /// `POST /v1/messages`
    pub fn create_stream(&self, params: MessageCreateParams) -> StreamCall<RawMessageStreamEvent> {
        crate::client::warn_if_deprecated(params.model.as_str());
        let request = streaming_request("/v1/messages", &params.stream(true), None);
        StreamCall::new(self.client, request)
    }
}

impl BetaMessages<'_> {
    /// Creates a message with beta features and streams it, accumulated: the official SDKs'
    /// `beta.messages.stream(...)`. See [`BetaMessageStream`](crate::streaming::BetaMessageStream).
    ///
    /// `POST /v1/messages?beta=true`
    pub fn stream(&self, params: BetaMessageCreateParams) -> MessageStreamCall<BetaMessage> {
        crate::client::warn_if_deprecated(params.model.as_str());
        let request = streaming_request(
            "/v1/messages?beta=true",
            &params.stream(true),
            Some("beta.messages"),
        );
        MessageStreamCall::new(self.client, request)
    }

    /// Creates a message with beta features and streams its raw events.
    ///
    /// `POST /v1/messages?beta=true`
    pub fn create_stream(
        &self,
        params: BetaMessageCreateParams,
    ) -> StreamCall<BetaRawMessageStreamEvent> {
        crate::client::warn_if_deprecated(params.model.as_str());
        let request = streaming_request("/v1/messages?beta=true", &params.stream(true), None);
        StreamCall::new(self.client, request)
    }
}

impl Completions<'_> {
    /// Creates a legacy text completion and streams it: each item is a [`Completion`] whose
    /// `completion` is the next piece of text (SSE event `completion`).
    ///
    /// `POST /v1/complete`
    pub fn create_stream(&self, params: CompletionCreateParams) -> StreamCall<Completion> {
        let request = streaming_request("/v1/complete", &params.stream(true), None);
        StreamCall::new(self.client, request)
    }
}
