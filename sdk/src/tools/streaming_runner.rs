//! The streaming tool runner: one streamed reply per turn.
//!
//! The SDK's `messages().stream(..)` / `MessageStream` is being built separately; this runner
//! is written against the small [`TurnStream`] interface instead, so that any stream type that
//! can produce its final message plugs in (and `MessageStream` will, with a
//! `ToolRunner::streaming()` shortcut, once it lands).

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use super::api::RunnerApi;
use super::runner::{no_request, runner_accessors, Core, Next, ToolRunner};
use crate::call::BoxFuture;
use crate::client::RequestOptions;
use crate::error::Result;
use crate::Client;

/// A streamed reply as the streaming runner needs it: the caller reads it as it arrives, then
/// the runner asks for the whole message.
pub trait TurnStream: Send + 'static {
    /// The reply type.
    type Message;

    /// Reads whatever the caller did not read and returns the complete reply.
    fn final_message(&mut self) -> impl Future<Output = Result<Self::Message>> + Send;
}

/// Starts one streamed request: `(client, params, options, betas)` → the stream.
pub type StartStream<A, S> = Arc<
    dyn Fn(Client, <A as RunnerApi>::Params, RequestOptions, Vec<String>) -> BoxFuture<Result<S>>
        + Send
        + Sync,
>;

/// The tool loop with one streamed reply per turn: [`next_turn`](StreamingToolRunner::next_turn)
/// gives the stream of each reply to read as it arrives (text deltas, tool input…); when the
/// next turn is asked for, the runner takes the complete reply from it, runs the tools it called
/// and sends the results, exactly as [`ToolRunner`] does.
///
/// Made with `ToolRunner::streaming()` (each turn a [`MessageStream`](crate::streaming::MessageStream)),
/// or [`ToolRunner::streaming_with`] and any function that starts one streamed request:
///
/// ```no_run
/// # async fn demo(client: anthropic::Client, params: anthropic::types::BetaMessageCreateParams, tools: Vec<anthropic::tools::DynTool>) -> anthropic::Result<()> {
/// let mut runner = client.beta().messages().tool_runner(params, tools).streaming();
/// while let Some(stream) = runner.next_turn().await {
///     let stream = stream?;
///     while let Some(text) = stream.next_text().await? {
///         print!("{text}");
///     }
/// }
/// # Ok(()) }
/// ```
pub struct StreamingToolRunner<A: RunnerApi, S: TurnStream<Message = A::Message>> {
    core: Core<A>,
    start: StartStream<A, S>,
    current: Option<S>,
    done: bool,
}

runner_accessors!(StreamingToolRunner, S: TurnStream<Message = A::Message>);

impl<A: RunnerApi> ToolRunner<A> {
    /// This runner, streaming each reply: `start` sends one streamed request (for instance
    /// `client.beta().messages().stream(params)` with the options and betas applied).
    pub fn streaming_with<S, F, Fut>(self, start: F) -> StreamingToolRunner<A, S>
    where
        S: TurnStream<Message = A::Message>,
        F: Fn(Client, A::Params, RequestOptions, Vec<String>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<S>> + Send + 'static,
    {
        StreamingToolRunner {
            core: self.core,
            start: Arc::new(move |client, params, options, betas| {
                Box::pin(start(client, params, options, betas))
            }),
            current: None,
            done: false,
        }
    }
}

impl<A: RunnerApi, S: TurnStream<Message = A::Message>> StreamingToolRunner<A, S> {
    /// The stream of the next reply, after the previous reply's tools ran and their results were
    /// added; `None` when the run is over. An error ends the run.
    pub async fn next_turn(&mut self) -> Option<Result<&mut S>> {
        if self.done {
            return None;
        }
        if let Err(e) = self.finish_current().await {
            self.done = true;
            return Some(Err(e));
        }
        if let Some(error) = self.core.take_setup_error() {
            self.done = true;
            return Some(Err(error));
        }
        if self.core.is_pending() {
            match self.core.next_step() {
                Next::Continue => self.core.fold_pending(),
                Next::RunTools(fut) => {
                    let response = fut.await;
                    self.core.set_tool_response_value(response);
                    self.core.fold_pending();
                }
                Next::Stop => {
                    self.done = true;
                    return None;
                }
            }
        }
        if !self.core.may_request() {
            self.done = true;
            return None;
        }
        let (client, params, options, betas) = self.core.next_request();
        match (self.start)(client, params, options, betas).await {
            Ok(stream) => Some(Ok(self.current.insert(stream))),
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }

    /// Runs the tools the last reply called, now (reading the rest of its stream first), and
    /// returns their results; see [`ToolRunner::tool_response`].
    pub async fn tool_response(&mut self) -> Result<Option<A::MessageParam>> {
        self.finish_current().await?;
        Ok(self.core.tool_response().await)
    }

    /// Runs the loop to the end (reading every stream) and returns the last reply.
    pub async fn until_done(mut self) -> Result<A::Message> {
        while let Some(turn) = self.next_turn().await {
            turn?;
        }
        self.core.into_last().ok_or_else(no_request)
    }

    /// Takes the complete reply from the current stream and records it.
    async fn finish_current(&mut self) -> Result<()> {
        if let Some(mut stream) = self.current.take() {
            let message = stream.final_message().await?;
            self.core.on_reply(&message);
        }
        Ok(())
    }
}

impl<A: RunnerApi, S: TurnStream<Message = A::Message>> fmt::Debug for StreamingToolRunner<A, S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StreamingToolRunner")
            .field("core", &self.core)
            .field("streaming", &self.current.is_some())
            .finish_non_exhaustive()
    }
}
