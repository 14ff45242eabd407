//! Streaming on the blocking client: message streams as iterators.

use futures_util::StreamExt;
use http::HeaderMap;

use super::{BlockingCall, BlockingIter, Client};
use crate::call::{MessageStreamCall, StreamCall};
use crate::error::Result;
use crate::streaming::{MessageStream, MessageStreamEvent, StreamEvent, StreamedMessage};
use crate::types::{
    BetaMessage, BetaMessageCreateParams, BetaRawMessageStreamEvent, Completion,
    CompletionCreateParams, Message, MessageCreateParams, RawMessageStreamEvent,
};

impl<'a> crate::blocking::messages::Messages<'a> {
    /// Creates a message and streams it, accumulated (see [`MessageStream`]).
    pub fn stream(
        &self,
        params: MessageCreateParams,
    ) -> BlockingCall<'a, MessageStreamCall<Message>> {
        BlockingCall::new(self.client, self.client.inner().messages().stream(params))
    }

    /// Creates a message and streams its raw events.
    pub fn create_stream(
        &self,
        params: MessageCreateParams,
    ) -> BlockingCall<'a, StreamCall<RawMessageStreamEvent>> {
        BlockingCall::new(
            self.client,
            self.client.inner().messages().create_stream(params),
        )
    }
}

impl<'a> crate::blocking::beta::messages::Messages<'a> {
    /// Creates a message with beta features and streams it, accumulated.
    pub fn stream(
        &self,
        params: BetaMessageCreateParams,
    ) -> BlockingCall<'a, MessageStreamCall<BetaMessage>> {
        BlockingCall::new(
            self.client,
            self.client.inner().beta().messages().stream(params),
        )
    }

    /// Creates a message with beta features and streams its raw events.
    pub fn create_stream(
        &self,
        params: BetaMessageCreateParams,
    ) -> BlockingCall<'a, StreamCall<BetaRawMessageStreamEvent>> {
        BlockingCall::new(
            self.client,
            self.client.inner().beta().messages().create_stream(params),
        )
    }
}

impl<'a> crate::blocking::completions::Completions<'a> {
    /// Creates a legacy completion and streams it.
    pub fn create_stream(
        &self,
        params: CompletionCreateParams,
    ) -> BlockingCall<'a, StreamCall<Completion>> {
        BlockingCall::new(
            self.client,
            self.client.inner().completions().create_stream(params),
        )
    }
}

impl<'a, E: StreamEvent> BlockingCall<'a, StreamCall<E>> {
    /// Sends the call; the returned iterator yields the typed events as they arrive.
    pub fn send(self) -> Result<BlockingIter<'a, E>> {
        let stream = self.client.block_on(self.call.send())??;
        Ok(BlockingIter {
            client: self.client,
            stream: Box::pin(stream),
        })
    }
}

impl<'a, M: StreamedMessage> BlockingCall<'a, MessageStreamCall<M>> {
    /// Sends the call; the returned stream is read as an iterator of events, or with
    /// [`next_text`](BlockingMessageStream::next_text) and
    /// [`final_message`](BlockingMessageStream::final_message).
    pub fn send(self) -> Result<BlockingMessageStream<'a, M>> {
        let stream = self
            .client
            .block_on(std::future::IntoFuture::into_future(self.call))??;
        Ok(BlockingMessageStream {
            client: self.client,
            stream,
        })
    }
}

/// A [`MessageStream`] read by the blocking client: an iterator of events (raw events and
/// helper events), plus the same helpers as the async stream.
///
/// ```no_run
/// # fn demo(client: anthropic::blocking::Client, params: anthropic::types::MessageCreateParams) -> anthropic::Result<()> {
/// let mut stream = client.messages().stream(params).send()?;
/// while let Some(text) = stream.next_text()? {
///     print!("{text}");
/// }
/// let message = stream.final_message()?;
/// # Ok(()) }
/// ```
pub struct BlockingMessageStream<'a, M: StreamedMessage> {
    client: &'a Client,
    stream: MessageStream<M>,
}

impl<M: StreamedMessage> BlockingMessageStream<'_, M> {
    /// The next piece of text; `None` at the end of the message.
    pub fn next_text(&mut self) -> Result<Option<String>> {
        self.client.block_on(self.stream.next_text())?
    }

    /// Reads the rest and returns the complete message.
    pub fn final_message(self) -> Result<M> {
        self.client.block_on(self.stream.final_message())?
    }

    /// Reads the rest and returns the text of every text block, joined.
    pub fn final_text(self) -> Result<String> {
        self.client.block_on(self.stream.final_text())?
    }

    /// The message accumulated so far.
    pub fn current_snapshot(&self) -> Option<&M> {
        self.stream.current_snapshot()
    }

    /// The `request-id` header of the response.
    pub fn request_id(&self) -> Option<&str> {
        self.stream.request_id()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.stream.headers()
    }

    /// Stops reading and closes the connection.
    pub fn close(&mut self) {
        self.stream.close();
    }
}

impl<M: StreamedMessage> Iterator for BlockingMessageStream<'_, M> {
    type Item = Result<MessageStreamEvent<M>>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.client.block_on(self.stream.next()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}
