//! [`MessageStream`]: a streamed message response, decoded, accumulated and offered as helper
//! events, text, or the final message.

use std::fmt;
use std::pin::Pin;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::HeaderMap;

use crate::client::ApiResponse;
use crate::error::{Error, Result};
use crate::streaming::accumulate::{MessageAccumulator, Update};
use crate::streaming::events::EventStream;
use crate::streaming::family::{DeltaView, EventView, StreamedMessage};
use crate::streaming::fast::FastDelta;
use crate::types::{BetaMessage, Message};

/// One item of a [`MessageStream`]: every raw event, each followed by at most one helper
/// event describing what it changed.
///
/// The helper events are those of the official SDKs' `MessageStream` (`text`,
/// `input_json`, `citation`, `thinking`, `signature`, `content_block_stop`, `message_stop`),
/// with one deliberate difference: they carry the delta and the block index, not a copy of
/// the snapshot (copying the text or tool input so far at every delta would make streaming
/// quadratic). The snapshot is one borrow away, up to date as of the event just yielded:
///
/// ```no_run
/// # async fn demo(mut stream: anthropic::streaming::MessageStream) -> anthropic::Result<()> {
/// use anthropic::streaming::MessageStreamEvent;
/// use futures_util::StreamExt;
///
/// while let Some(event) = stream.next().await {
///     match event? {
///         MessageStreamEvent::Text { text, .. } => print!("{text}"),
///         MessageStreamEvent::InputJson { index, .. } => {
///             // The tool input parsed so far, updated in place (no re-parsing).
///             let block = &stream.current_snapshot().unwrap().content[index];
///             eprintln!("{block:?}");
///         }
///         _ => {}
///     }
/// }
/// # Ok(()) }
/// ```
///
/// Unlike the reference, `content_block_stop` and `message_stop` are yielded as raw events
/// too (the helper follows them) rather than replaced, so every raw event appears exactly
/// once.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum MessageStreamEvent<M: StreamedMessage = Message> {
    /// A raw event, as received (including ones this SDK does not know).
    Raw(M::Event),
    /// Text appended to text block `index`.
    Text {
        /// The block.
        index: usize,
        /// The appended text.
        text: String,
    },
    /// A fragment of the JSON input of tool block `index` (whose `input` in the snapshot is
    /// already updated).
    InputJson {
        /// The block.
        index: usize,
        /// The fragment.
        partial_json: String,
    },
    /// A citation appended to text block `index`.
    Citation {
        /// The block.
        index: usize,
        /// The citation.
        citation: M::Citation,
    },
    /// Thinking appended to thinking block `index`.
    Thinking {
        /// The block.
        index: usize,
        /// The appended thinking text.
        thinking: String,
    },
    /// The signature of thinking block `index` was set.
    Signature {
        /// The block.
        index: usize,
        /// The signature.
        signature: String,
    },
    /// Block `index` is complete (its tool input, if any, is final).
    ContentBlockStop {
        /// The block.
        index: usize,
    },
    /// The message is complete.
    MessageStop,
}

impl<M: StreamedMessage> MessageStreamEvent<M> {
    /// The raw event, for [`MessageStreamEvent::Raw`].
    pub fn as_raw(&self) -> Option<&M::Event> {
        match self {
            MessageStreamEvent::Raw(event) => Some(event),
            _ => None,
        }
    }

    /// The appended text, for [`MessageStreamEvent::Text`].
    pub fn as_text(&self) -> Option<&str> {
        match self {
            MessageStreamEvent::Text { text, .. } => Some(text),
            _ => None,
        }
    }

    /// The helper event for what `event` changed.
    fn helper(update: Update, event: &M::Event) -> Option<Self> {
        let delta = || match M::view(event) {
            EventView::BlockDelta { delta, .. } => Some(delta),
            _ => None,
        };
        Some(match (update, delta()) {
            (Update::Text(index), Some(DeltaView::Text(t))) => MessageStreamEvent::Text {
                index,
                text: t.to_owned(),
            },
            (Update::InputJson(index), Some(DeltaView::InputJson(t))) => {
                MessageStreamEvent::InputJson {
                    index,
                    partial_json: t.to_owned(),
                }
            }
            (Update::Citation(index), Some(DeltaView::Citation(c))) => {
                MessageStreamEvent::Citation {
                    index,
                    citation: c.clone(),
                }
            }
            (Update::Thinking(index), Some(DeltaView::Thinking(t))) => {
                MessageStreamEvent::Thinking {
                    index,
                    thinking: t.to_owned(),
                }
            }
            (Update::Signature(index), Some(DeltaView::Signature(t))) => {
                MessageStreamEvent::Signature {
                    index,
                    signature: t.to_owned(),
                }
            }
            (Update::BlockStop(index), _) => MessageStreamEvent::ContentBlockStop { index },
            (Update::MessageStop, _) => MessageStreamEvent::MessageStop,
            _ => return None,
        })
    }
}

/// A streamed message: what `client.messages().stream(params)` (or the beta equivalent,
/// [`BetaMessageStream`]) resolves to.
///
/// * As a [`Stream`] it yields [`MessageStreamEvent`]s (raw events and helper events).
/// * [`next_text`](Self::next_text) / [`text_stream`](Self::text_stream) yield only the text.
/// * [`current_snapshot`](Self::current_snapshot) borrows the message accumulated so far.
/// * [`final_message`](Self::final_message) / [`final_text`](Self::final_text) read the rest
///   and return the result.
///
/// All of them share one position in the stream, so they can be mixed (e.g. print the text,
/// then take the final message). Accumulation follows [`MessageAccumulator`]'s rules.
///
/// A stream that ends before `message_stop` yields [`Error::IncompleteStream`] (carrying the
/// partial message) as its last item; an in-stream `error` event yields the typed API error
/// ([`Error::Overloaded`], …); either way, [`current_snapshot`](Self::current_snapshot) still
/// shows what had arrived. Dropping the stream or calling [`close`](Self::close) closes the
/// HTTP response.
///
/// ```no_run
/// # async fn demo() -> anthropic::Result<()> {
/// use anthropic::types::{MessageCreateParams, MessageParam, Model};
///
/// let client = anthropic::Client::new();
/// let params = MessageCreateParams::new(Model::CLAUDE_SONNET_4_5, vec![MessageParam::user("Hi")], 1024);
/// let mut stream = client.messages().stream(params).await?;
/// while let Some(text) = stream.next_text().await? {
///     print!("{text}");
/// }
/// let message = stream.final_message().await?;
/// println!("\n{:?} ({} output tokens)", message.stop_reason, message.usage.output_tokens);
/// # Ok(()) }
/// ```
pub struct MessageStream<M: StreamedMessage = Message> {
    events: EventStream<M::Event>,
    accumulator: MessageAccumulator<M>,
    pending: Option<MessageStreamEvent<M>>,
    done: bool,
}

/// A raw event after accumulation, with what it changed.
type Accumulated<M> = (<M as StreamedMessage>::Event, Update);

/// [`MessageStream`] for `client.beta().messages().stream(params)`.
pub type BetaMessageStream = MessageStream<BetaMessage>;

impl<M: StreamedMessage> MessageStream<M> {
    /// Accumulates the events of a streamed response.
    pub fn new(response: ApiResponse) -> Self {
        Self::from_events(EventStream::new(response))
    }

    /// Accumulates an event stream.
    pub fn from_events(events: EventStream<M::Event>) -> Self {
        MessageStream {
            events,
            accumulator: MessageAccumulator::default(),
            pending: None,
            done: false,
        }
    }

    /// Decodes and accumulates any stream of SSE body chunks (for tests, replays and custom
    /// transports).
    pub fn from_body(body: impl Stream<Item = Result<Bytes>> + Send + 'static) -> Self {
        Self::from_events(EventStream::from_body(body))
    }

    /// The message accumulated so far (`None` before `message_start`).
    pub fn current_snapshot(&self) -> Option<&M> {
        self.accumulator.snapshot()
    }

    /// The accumulator (e.g. for [`MessageAccumulator::unapplied_deltas`]).
    pub fn accumulator(&self) -> &MessageAccumulator<M> {
        &self.accumulator
    }

    /// The `request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.events.request_id()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        self.events.headers()
    }

    /// Stops reading and closes the HTTP response; the stream ends. The snapshot stays
    /// available.
    pub fn close(&mut self) {
        self.events.close();
        self.pending = None;
        self.done = true;
    }

    /// The next raw event after accumulating it, with what it changed. After the last event
    /// (or an error) it is `None`; a body that ends before `message_stop` gives
    /// [`Error::IncompleteStream`] first.
    fn poll_raw(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<Accumulated<M>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        let item = ready!(Pin::new(&mut self.events).poll_next(cx));
        Poll::Ready(match item {
            Some(Ok(event)) => match self.accumulator.apply(&event) {
                Ok(update) => Some(Ok((event, update))),
                Err(error) => Some(Err(self.stop(error))),
            },
            Some(Err(error)) => Some(Err(self.stop(error))),
            None => self.end(),
        })
    }

    /// Accumulates the next event without building the typed event when it is one of the
    /// common deltas (see [`FastDelta`]). Gives the text of a text delta when `want_text`,
    /// else `None`; ends like [`poll_raw`](Self::poll_raw).
    fn poll_accumulate(
        &mut self,
        cx: &mut Context<'_>,
        want_text: bool,
    ) -> Poll<Option<Result<Option<String>>>> {
        if self.done {
            return Poll::Ready(None);
        }
        loop {
            let event = match ready!(self.events.poll_next_sse(cx)) {
                Some(Ok(event)) => event,
                Some(Err(error)) => return Poll::Ready(Some(Err(self.stop(error)))),
                None => return Poll::Ready(self.end()),
            };
            if event.event.as_deref() == Some("content_block_delta") {
                if let Some(fast) = FastDelta::parse(&event.data) {
                    let applied = self.accumulator.apply_delta_view(fast.index, fast.view());
                    return Poll::Ready(Some(match applied {
                        Ok(Update::Text(_)) if want_text => Ok(fast.into_text()),
                        Ok(_) => Ok(None),
                        Err(error) => Err(self.stop(error)),
                    }));
                }
            }
            let raw = match self.events.decode(&event) {
                None => continue,
                Some(Ok(raw)) => raw,
                Some(Err(error)) => return Poll::Ready(Some(Err(self.stop(error)))),
            };
            return Poll::Ready(Some(match self.accumulator.apply(&raw) {
                Ok(Update::Text(_)) if want_text => Ok(M::into_text_delta(raw)),
                Ok(_) => Ok(None),
                Err(error) => Err(self.stop(error)),
            }));
        }
    }

    /// The body ended: fine after `message_stop`, [`Error::IncompleteStream`] before.
    fn end<T>(&mut self) -> Option<Result<T>> {
        self.done = true;
        if self.accumulator.is_complete() {
            None
        } else {
            Some(Err(self.accumulator.incomplete_error()))
        }
    }

    fn stop(&mut self, error: Error) -> Error {
        self.events.close();
        self.done = true;
        error
    }

    fn poll_next_text(&mut self, cx: &mut Context<'_>) -> Poll<Result<Option<String>>> {
        if let Some(MessageStreamEvent::Text { text, .. }) = self.pending.take() {
            return Poll::Ready(Ok(Some(text)));
        }
        loop {
            match ready!(self.poll_accumulate(cx, true)) {
                Some(Ok(Some(text))) => return Poll::Ready(Ok(Some(text))),
                Some(Ok(None)) => {}
                Some(Err(error)) => return Poll::Ready(Err(error)),
                None => return Poll::Ready(Ok(None)),
            }
        }
    }

    /// The next piece of text (of any text block); `None` at the end of the message.
    pub async fn next_text(&mut self) -> Result<Option<String>> {
        std::future::poll_fn(|cx| self.poll_next_text(cx)).await
    }

    /// The text deltas as a stream (the official SDKs' `text_stream`). It borrows this
    /// stream, which can be used again afterwards.
    pub fn text_stream(&mut self) -> impl Stream<Item = Result<String>> + Send + '_ {
        futures_util::stream::poll_fn(move |cx| self.poll_next_text(cx).map(Result::transpose))
    }

    /// Reads the rest of the stream, accumulating it.
    ///
    /// Nobody can look at the snapshot meanwhile, so tool inputs are not re-shaped after
    /// every fragment: each is parsed once, when its block ends (the result is the same).
    pub async fn until_done(&mut self) -> Result<()> {
        self.pending = None;
        let guard = DeferInputs::new(self);
        std::future::poll_fn(|cx| loop {
            match ready!(guard.0.poll_accumulate(cx, false)) {
                Some(Ok(_)) => {}
                Some(Err(error)) => return Poll::Ready(Err(error)),
                None => return Poll::Ready(Ok(())),
            }
        })
        .await
    }

    /// Reads the rest of the stream and returns the complete message.
    ///
    /// If the stream ended early, or ended with an error that was already returned, this is
    /// [`Error::IncompleteStream`] with the partial message.
    pub async fn final_message(mut self) -> Result<M> {
        self.until_done().await?;
        self.accumulator.finish()
    }

    /// Reads the rest of the stream and returns the text of every text block, joined. A
    /// message without text blocks is an [`Error::InvalidResponse`] (as in the official SDKs).
    pub async fn final_text(self) -> Result<String> {
        let message = self.final_message().await?;
        message
            .joined_text()
            .ok_or_else(|| Error::invalid_response("the message has no text blocks (`final_text`)"))
    }
}

/// Defers tool-input parsing while it lives (even if the future holding it is dropped,
/// the snapshot is brought up to date).
struct DeferInputs<'a, M: StreamedMessage>(&'a mut MessageStream<M>);

impl<'a, M: StreamedMessage> DeferInputs<'a, M> {
    fn new(stream: &'a mut MessageStream<M>) -> Self {
        stream.accumulator.set_defer_inputs(true);
        DeferInputs(stream)
    }
}

impl<M: StreamedMessage> Drop for DeferInputs<'_, M> {
    fn drop(&mut self) {
        self.0.accumulator.set_defer_inputs(false);
    }
}

impl<M: StreamedMessage> Stream for MessageStream<M> {
    type Item = Result<MessageStreamEvent<M>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if let Some(helper) = this.pending.take() {
            return Poll::Ready(Some(Ok(helper)));
        }
        Poll::Ready(match ready!(this.poll_raw(cx)) {
            Some(Ok((event, update))) => {
                this.pending = MessageStreamEvent::helper(update, &event);
                Some(Ok(MessageStreamEvent::Raw(event)))
            }
            Some(Err(error)) => Some(Err(error)),
            None => None,
        })
    }
}

impl<M: StreamedMessage> fmt::Debug for MessageStream<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageStream")
            .field("events", &self.events)
            .field("accumulator", &self.accumulator)
            .field("done", &self.done)
            .finish_non_exhaustive()
    }
}
