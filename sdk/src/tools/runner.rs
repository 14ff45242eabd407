//! The tool runner: create → run the tools Claude called → send their results → create, until
//! Claude answers without calling a tool.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{ready, Context, Poll};

use futures_util::stream::{self, Stream, StreamExt};
use futures_util::FutureExt;
use http::header::{HeaderName, HeaderValue};

pub use super::api::{BetaApi, MessagesApi, RunnerApi};
use super::api::{ToolCall, ToolCallResult};
use super::tool::DynTool;
use crate::call::BoxFuture;
use crate::client::RequestOptions;
use crate::error::{Error, Result};
use crate::Client;

/// How many tool calls of one turn run at the same time by default.
pub const DEFAULT_MAX_CONCURRENCY: usize = 8;

/// The header the official SDKs send with tool-runner requests.
const HELPER_HEADER: &str = "x-stainless-helper";

/// What the two runners share: the conversation, the tools and the loop's bookkeeping.
pub(crate) struct Core<A: RunnerApi> {
    pub(crate) client: Client,
    pub(crate) params: A::Params,
    pub(crate) tools: Arc<Vec<DynTool>>,
    pub(crate) setup_error: Option<String>,
    pub(crate) options: RequestOptions,
    pub(crate) betas: Vec<String>,
    pub(crate) max_iterations: Option<usize>,
    pub(crate) max_concurrency: usize,
    pub(crate) iterations: usize,
    pub(crate) last: Option<A::Message>,
    /// The last reply has been yielded but not yet added to the conversation.
    pub(crate) pending: bool,
    pub(crate) tool_response: Option<A::MessageParam>,
    pub(crate) appended: Vec<A::MessageParam>,
}

/// What to do with the pending reply.
pub(crate) enum Next<T> {
    /// Add it (and any tool response and appended messages) to the conversation, then send.
    Continue,
    /// Run these tool calls first.
    RunTools(T),
    /// The run is over.
    Stop,
}

impl<A: RunnerApi> Core<A> {
    fn new(client: &Client, mut params: A::Params, tools: Vec<DynTool>) -> Self {
        let mut seen = HashSet::new();
        let mut setup_error = None;
        for tool in &tools {
            if !seen.insert(tool.name().to_owned()) {
                setup_error = Some(format!(
                    "two tools given to the tool runner are named `{}`",
                    tool.name()
                ));
            }
        }
        A::add_tool_definitions(&mut params, tools.iter().map(DynTool::definition).collect());
        Core {
            client: client.clone(),
            params,
            tools: Arc::new(tools),
            setup_error,
            options: RequestOptions::new(),
            betas: Vec::new(),
            max_iterations: None,
            max_concurrency: DEFAULT_MAX_CONCURRENCY,
            iterations: 0,
            last: None,
            pending: false,
            tool_response: None,
            appended: Vec::new(),
        }
    }

    /// The tool calls of the pending reply, running (`None`: it made none).
    fn start_tools(&self) -> Option<BoxFuture<A::MessageParam>> {
        let calls = A::tool_calls(self.last.as_ref()?);
        if calls.is_empty() {
            return None;
        }
        let run = run_tools(self.tools.clone(), calls, self.max_concurrency);
        Some(Box::pin(async move { A::results_param(run.await) }))
    }

    pub(crate) async fn tool_response(&mut self) -> Option<A::MessageParam> {
        if !self.pending {
            return None;
        }
        if self.tool_response.is_none() {
            let fut = self.start_tools()?;
            self.tool_response = Some(fut.await);
        }
        self.tool_response.clone()
    }

    /// The parameters and options of the next request (counted as one iteration).
    pub(crate) fn next_request(&mut self) -> (Client, A::Params, RequestOptions, Vec<String>) {
        self.iterations += 1;
        let options = self.options.clone().merge(RequestOptions::new().header(
            HeaderName::from_static(HELPER_HEADER),
            HeaderValue::from_static(A::HELPER),
        ));
        (
            self.client.clone(),
            self.params.clone(),
            options,
            self.betas.clone(),
        )
    }

    fn request(&mut self) -> BoxFuture<Result<A::Message>> {
        let (client, params, options, betas) = self.next_request();
        let call = A::create(&client, params).options(options).betas(betas);
        Box::pin(call.send())
    }

    /// Records a reply: it becomes the pending one.
    pub(crate) fn on_reply(&mut self, message: &A::Message) {
        A::carry_container(message, &mut self.params);
        self.last = Some(message.clone());
        self.pending = true;
    }

    /// Whether another request may be sent.
    pub(crate) fn may_request(&self) -> bool {
        self.max_iterations.is_none_or(|max| self.iterations < max)
    }

    pub(crate) fn take_setup_error(&mut self) -> Option<Error> {
        self.setup_error.take().map(Error::invalid_request)
    }

    pub(crate) fn into_last(self) -> Option<A::Message> {
        self.last
    }

    pub(crate) fn is_pending(&self) -> bool {
        self.pending
    }

    pub(crate) fn set_tool_response_value(&mut self, response: A::MessageParam) {
        self.tool_response = Some(response);
    }

    /// Adds the pending reply, its tool results and the appended messages to the conversation.
    pub(crate) fn fold_pending(&mut self) {
        if let Some(last) = &self.last {
            let assistant = A::assistant_param(last);
            let messages = A::messages_mut(&mut self.params);
            messages.push(assistant);
            messages.extend(self.tool_response.take());
            messages.append(&mut self.appended);
        }
        self.pending = false;
    }

    pub(crate) fn next_step(&self) -> Next<BoxFuture<A::MessageParam>> {
        if self.tool_response.is_some() {
            return Next::Continue;
        }
        let Some(last) = &self.last else {
            return Next::Stop;
        };
        let run_tools = match A::stop_reason(last) {
            Some("tool_use") => true,
            Some("pause_turn" | "compaction") => return Next::Continue,
            // No stop reason (a hand-made reply): decided by its tool calls.
            None => true,
            Some(_) => false,
        };
        if run_tools {
            if let Some(fut) = self.start_tools() {
                return Next::RunTools(fut);
            }
        }
        if self.appended.is_empty() {
            Next::Stop
        } else {
            Next::Continue
        }
    }
}

/// The accessors both runners offer, delegated to their [`Core`].
macro_rules! runner_accessors {
    ($runner:ident $(, $s:ident: $bound:path)?) => {
        impl<A: RunnerApi $(, $s: $bound)?> $runner<A $(, $s)?> {
            /// The parameters of the next request, including the conversation so far.
            ///
            /// Right after a reply is yielded, that reply (and its tool results) is not in
            /// `messages` yet: it is added when the runner continues.
            pub fn params(&self) -> &A::Params {
                &self.core.params
            }

            /// Changes the next request's parameters (system prompt, tools, the conversation
            /// so far…).
            ///
            /// The pending reply and its tool results are still appended after these messages
            /// when the runner continues; to add a message after them, use `append_messages`.
            pub fn params_mut(&mut self) -> &mut A::Params {
                &mut self.core.params
            }

            /// Messages to add after the pending reply and its tool results. Appending makes
            /// the runner continue even when the reply called no tool (a follow-up question).
            pub fn append_messages(&mut self, messages: impl IntoIterator<Item = A::MessageParam>) {
                self.core.appended.extend(messages);
            }

            /// Uses `response` (a user message of `tool_result`s) as the answer to the pending
            /// reply's tool calls instead of running the tools (to refuse a call, or to run it
            /// yourself). Without a pending reply (before the first one, or once the run is
            /// over) it does nothing.
            pub fn set_tool_response(&mut self, response: A::MessageParam) {
                if self.core.pending {
                    self.core.set_tool_response_value(response);
                }
            }

            /// The last reply, if any.
            pub fn last_message(&self) -> Option<&A::Message> {
                self.core.last.as_ref()
            }

            /// How many requests were sent.
            pub fn iterations(&self) -> usize {
                self.core.iterations
            }

            /// Stops after this many requests (default: no limit).
            pub fn max_iterations(mut self, max_iterations: usize) -> Self {
                self.core.max_iterations = Some(max_iterations);
                self
            }

            /// How many tool calls of one turn may run at once (default
            /// [`DEFAULT_MAX_CONCURRENCY`]($crate::tools::DEFAULT_MAX_CONCURRENCY); at least 1).
            pub fn max_concurrency(mut self, max_concurrency: usize) -> Self {
                self.core.max_concurrency = max_concurrency.max(1);
                self
            }

            /// Per-request options (timeout, retries, headers, extra body fields) for every
            /// request.
            pub fn options(mut self, options: $crate::client::RequestOptions) -> Self {
                self.core.options = std::mem::take(&mut self.core.options).merge(options);
                self
            }

            /// The timeout of each attempt of every request.
            pub fn timeout(self, timeout: ::std::time::Duration) -> Self {
                self.options($crate::client::RequestOptions::new().timeout(timeout))
            }

            /// How many times each request is retried.
            pub fn max_retries(self, max_retries: u32) -> Self {
                self.options($crate::client::RequestOptions::new().max_retries(max_retries))
            }

            /// Beta features to enable (`anthropic-beta`) on every request.
            pub fn betas<B: Into<$crate::types::AnthropicBeta>>(
                mut self,
                betas: impl IntoIterator<Item = B>,
            ) -> Self {
                self.core
                    .betas
                    .extend(betas.into_iter().map(|b| b.into().as_str().to_owned()));
                self
            }
        }
    };
}
pub(crate) use runner_accessors;

enum State<A: RunnerApi> {
    /// Between steps: the next poll decides what to do.
    Idle,
    Requesting(BoxFuture<Result<A::Message>>),
    RunningTools(BoxFuture<A::MessageParam>),
    Done,
}

/// Runs the tool loop: sends the request, runs every tool Claude calls, appends the assistant
/// turn and one user turn with the `tool_result`s, and sends again, until a reply calls no tool
/// or [`max_iterations`](ToolRunner::max_iterations) requests were made.
///
/// Made by `client.beta().messages().tool_runner(params, tools)` (or
/// `client.messages().tool_runner(…)`). It is a [`Stream`] of each reply; between replies the
/// conversation can be inspected and changed ([`params_mut`](ToolRunner::params_mut),
/// [`append_messages`](ToolRunner::append_messages),
/// [`set_tool_response`](ToolRunner::set_tool_response)). [`until_done`](ToolRunner::until_done)
/// runs it to the end and returns the last reply.
///
/// What happens after each reply depends on its `stop_reason`:
/// - `tool_use`: every client `tool_use` block is run (server tools such as web search are run by
///   the API and never here); the calls run concurrently (at most
///   [`max_concurrency`](ToolRunner::max_concurrency) at once; calls of a tool whose
///   [`Tool::concurrent`](super::Tool::concurrent) is `false` run in order) and their results keep
///   Claude's order. An unknown tool, a failed input decoding, an error or a panic becomes a
///   result with `is_error: true`.
/// - `pause_turn` (and `compaction`): the reply is sent back as it is, so the server continues it.
/// - anything else: the run ends (unless you appended messages, which continue it).
///
/// The container of a reply (code execution) is reused by the next request.
#[must_use = "a runner does nothing until it is polled"]
pub struct ToolRunner<A: RunnerApi> {
    pub(crate) core: Core<A>,
    state: State<A>,
}

/// The runner over the beta Messages API.
pub type BetaToolRunner = ToolRunner<BetaApi>;

runner_accessors!(ToolRunner);

impl<A: RunnerApi> ToolRunner<A> {
    pub(crate) fn new(client: &Client, params: A::Params, tools: Vec<DynTool>) -> Self {
        ToolRunner {
            core: Core::new(client, params, tools),
            state: State::Idle,
        }
    }

    /// Runs the tools the pending reply called, now, and returns the user message of their
    /// results (`None` when there is no pending reply or it called no tool). The result is kept:
    /// the runner sends it when it continues, without running the tools again.
    pub async fn tool_response(&mut self) -> Option<A::MessageParam> {
        self.core.tool_response().await
    }

    /// Runs the loop to the end and returns the last reply (an error ends it early).
    pub async fn until_done(mut self) -> Result<A::Message> {
        while let Some(item) = self.next().await {
            item?;
        }
        self.core.into_last().ok_or_else(no_request)
    }
}

pub(crate) fn no_request() -> Error {
    Error::invalid_request("the tool runner sent no request (max_iterations is 0)")
}

impl<A: RunnerApi> Stream for ToolRunner<A> {
    type Item = Result<A::Message>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            match &mut this.state {
                State::Done => return Poll::Ready(None),
                State::Requesting(fut) => {
                    let result = ready!(fut.as_mut().poll(cx));
                    match result {
                        Ok(message) => {
                            this.state = State::Idle;
                            this.core.on_reply(&message);
                            return Poll::Ready(Some(Ok(message)));
                        }
                        Err(e) => {
                            this.state = State::Done;
                            return Poll::Ready(Some(Err(e)));
                        }
                    }
                }
                State::RunningTools(fut) => {
                    let response = ready!(fut.as_mut().poll(cx));
                    this.core.set_tool_response_value(response);
                    this.state = State::Idle;
                }
                State::Idle => {
                    if let Some(error) = this.core.take_setup_error() {
                        this.state = State::Done;
                        return Poll::Ready(Some(Err(error)));
                    }
                    if this.core.is_pending() {
                        match this.core.next_step() {
                            Next::Continue => this.core.fold_pending(),
                            Next::RunTools(fut) => {
                                this.state = State::RunningTools(fut);
                                continue;
                            }
                            Next::Stop => {
                                this.state = State::Done;
                                return Poll::Ready(None);
                            }
                        }
                    }
                    if !this.core.may_request() {
                        this.state = State::Done;
                        return Poll::Ready(None);
                    }
                    this.state = State::Requesting(this.core.request());
                }
            }
        }
    }
}

impl<A: RunnerApi> fmt::Debug for ToolRunner<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.core.fmt(f)
    }
}

impl<A: RunnerApi> fmt::Debug for Core<A> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.tools.iter().map(DynTool::name).collect();
        f.debug_struct("ToolRunner")
            .field("tools", &names)
            .field("iterations", &self.iterations)
            .field("max_iterations", &self.max_iterations)
            .field("max_concurrency", &self.max_concurrency)
            .finish_non_exhaustive()
    }
}

/// Runs the calls of one turn and returns their results in the calls' order.
fn run_tools(
    tools: Arc<Vec<DynTool>>,
    calls: Vec<ToolCall>,
    limit: usize,
) -> impl Future<Output = Vec<ToolCallResult>> + Send + 'static {
    type Job = BoxFuture<Vec<(usize, ToolCallResult)>>;
    let mut jobs: Vec<Job> = Vec::new();
    let mut ready: Vec<(usize, ToolCallResult)> = Vec::new();
    // Calls of non-concurrent tools, grouped by tool, in Claude's order.
    let mut sequential: Vec<(DynTool, Vec<(usize, ToolCall)>)> = Vec::new();
    for (index, call) in calls.into_iter().enumerate() {
        let Some(tool) = tools.iter().find(|t| t.name() == call.1).cloned() else {
            tracing::warn!(tool = %call.1, "Claude called a tool the runner does not have");
            let message = format!("Error: Tool '{}' not found", call.1);
            ready.push((index, (call.0, Err(message))));
            continue;
        };
        if tool.concurrent() {
            jobs.push(Box::pin(
                async move { vec![(index, run_one(tool, call).await)] },
            ));
        } else {
            match sequential.iter_mut().find(|(t, _)| t.name() == tool.name()) {
                Some((_, group)) => group.push((index, call)),
                None => sequential.push((tool, vec![(index, call)])),
            }
        }
    }
    for (tool, group) in sequential {
        jobs.push(Box::pin(async move {
            let mut out = Vec::with_capacity(group.len());
            for (index, call) in group {
                out.push((index, run_one(tool.clone(), call).await));
            }
            out
        }));
    }
    async move {
        let done: Vec<Vec<(usize, ToolCallResult)>> =
            stream::iter(jobs).buffer_unordered(limit).collect().await;
        ready.extend(done.into_iter().flatten());
        ready.sort_by_key(|(index, _)| *index);
        ready.into_iter().map(|(_, result)| result).collect()
    }
}

/// Runs one call; an error or a panic becomes the error message.
async fn run_one(tool: DynTool, (id, name, input): ToolCall) -> ToolCallResult {
    let outcome = AssertUnwindSafe(tool.call(input)).catch_unwind().await;
    let result = match outcome {
        Ok(Ok(output)) => Ok(output),
        Ok(Err(error)) => {
            tracing::debug!(tool = %name, %error, "tool returned an error");
            Err(error.message().to_owned())
        }
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_owned());
            tracing::error!(tool = %name, panic = %what, "tool panicked");
            Err(format!("Error: the tool panicked: {what}"))
        }
    };
    (id, result)
}
