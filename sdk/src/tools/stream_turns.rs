//! The streaming tool runner on the SDK's own [`MessageStream`]: `.streaming()`.

use crate::error::{Error, Result};
use crate::streaming::{MessageStream, StreamedMessage};
use crate::tools::api::{BetaApi, MessagesApi};
use crate::tools::streaming_runner::{StreamingToolRunner, TurnStream};
use crate::tools::ToolRunner;
use crate::types::{BetaMessage, Message};

impl<M: StreamedMessage> TurnStream for MessageStream<M> {
    type Message = M;

    async fn final_message(&mut self) -> Result<M> {
        self.until_done().await?;
        match self.current_snapshot() {
            Some(message) if self.accumulator().is_complete() => Ok(message.clone()),
            partial => Err(Error::incomplete_stream(
                partial.and_then(|m| serde_json::to_value(m).ok()),
                self.accumulator().events(),
            )),
        }
    }
}

impl ToolRunner<BetaApi> {
    /// This runner, streaming each reply with `client.beta().messages().stream(..)`: every turn is
    /// a [`MessageStream`] to read as it arrives (see [`StreamingToolRunner`]).
    pub fn streaming(self) -> StreamingToolRunner<BetaApi, MessageStream<BetaMessage>> {
        self.streaming_with(|client, params, options, betas| async move {
            client
                .beta()
                .messages()
                .stream(params)
                .options(options)
                .betas(betas)
                .await
        })
    }
}

impl ToolRunner<MessagesApi> {
    /// This runner, streaming each reply with `client.messages().stream(..)`.
    pub fn streaming(self) -> StreamingToolRunner<MessagesApi, MessageStream<Message>> {
        self.streaming_with(|client, params, options, betas| async move {
            client
                .messages()
                .stream(params)
                .options(options)
                .betas(betas)
                .await
        })
    }
}
