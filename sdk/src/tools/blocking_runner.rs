//! The tool runner on the blocking client: an iterator of replies.

use std::ops::{Deref, DerefMut};

use futures_util::StreamExt;

use crate::blocking::Client;
use crate::error::Result;
use crate::tools::api::{BetaApi, MessagesApi, RunnerApi};
use crate::tools::{DynTool, ToolRunner};
use crate::types::{BetaMessageCreateParams, MessageCreateParams};

/// [`ToolRunner`] driven by the blocking client: iterate over the replies (each `Result`), or
/// call [`until_done`](BlockingToolRunner::until_done). It dereferences to the runner, so the
/// conversation can be inspected and edited between replies.
///
/// ```no_run
/// # fn demo(client: anthropic::blocking::Client, params: anthropic::types::BetaMessageCreateParams, tools: Vec<anthropic::tools::DynTool>) -> anthropic::Result<()> {
/// let mut runner = client.beta().messages().tool_runner(params, tools);
/// for reply in &mut runner {
///     println!("{:?}", reply?.stop_reason);
/// }
/// # Ok(()) }
/// ```
pub struct BlockingToolRunner<'a, A: RunnerApi> {
    client: &'a Client,
    runner: ToolRunner<A>,
}

impl<A: RunnerApi> BlockingToolRunner<'_, A> {
    /// Runs the loop to the end and returns the last reply.
    pub fn until_done(self) -> Result<A::Message> {
        self.client.block_on(self.runner.until_done())?
    }
}

impl<A: RunnerApi> Iterator for BlockingToolRunner<'_, A> {
    type Item = Result<A::Message>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.client.block_on(self.runner.next()) {
            Ok(item) => item,
            Err(e) => Some(Err(e)),
        }
    }
}

impl<A: RunnerApi> Deref for BlockingToolRunner<'_, A> {
    type Target = ToolRunner<A>;

    fn deref(&self) -> &ToolRunner<A> {
        &self.runner
    }
}

impl<A: RunnerApi> DerefMut for BlockingToolRunner<'_, A> {
    fn deref_mut(&mut self) -> &mut ToolRunner<A> {
        &mut self.runner
    }
}

impl<'a> crate::blocking::beta::messages::Messages<'a> {
    /// The tool loop (see [`ToolRunner`]) on the blocking client.
    pub fn tool_runner<T: Into<DynTool>>(
        &self,
        params: BetaMessageCreateParams,
        tools: impl IntoIterator<Item = T>,
    ) -> BlockingToolRunner<'a, BetaApi> {
        let runner = self
            .client
            .inner()
            .beta()
            .messages()
            .tool_runner(params, tools);
        BlockingToolRunner {
            client: self.client,
            runner,
        }
    }
}

impl<'a> crate::blocking::messages::Messages<'a> {
    /// The tool loop (see [`ToolRunner`]) on the blocking client, with the Messages API.
    pub fn tool_runner<T: Into<DynTool>>(
        &self,
        params: MessageCreateParams,
        tools: impl IntoIterator<Item = T>,
    ) -> BlockingToolRunner<'a, MessagesApi> {
        let runner = self.client.inner().messages().tool_runner(params, tools);
        BlockingToolRunner {
            client: self.client,
            runner,
        }
    }
}
