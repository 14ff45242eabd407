//! The two Messages APIs a tool runner can drive, behind one sealed trait.

use std::collections::HashSet;
use std::fmt;

use serde_json::Value;

use super::fn_tool::definition_name;
use super::tool::ToolOutput;
use crate::call::ApiCall;
use crate::types::*;
use crate::Client;

/// One tool call of a turn: `(tool_use id, tool name, input)`.
#[doc(hidden)]
pub type ToolCall = (String, String, Value);

/// The outcome of one tool call: `(tool_use id, output or error message)`.
#[doc(hidden)]
pub type ToolCallResult = (String, std::result::Result<ToolOutput, String>);

mod sealed {
    pub trait Sealed {}
}

/// The Messages API a [`ToolRunner`](super::ToolRunner) talks to: [`BetaApi`] (`client.beta().messages()`) or
/// [`MessagesApi`] (`client.messages()`). Sealed.
pub trait RunnerApi: sealed::Sealed + Send + Sync + Sized + 'static {
    /// The request parameters.
    type Params: Clone + fmt::Debug + Send + Sync + Unpin + 'static;
    /// The response message.
    type Message: Clone + fmt::Debug + serde::de::DeserializeOwned + Send + Sync + Unpin + 'static;
    /// A message of the conversation (request side).
    type MessageParam: Clone + fmt::Debug + Send + Sync + Unpin + 'static;

    #[doc(hidden)]
    const HELPER: &'static str;
    #[doc(hidden)]
    fn create(client: &Client, params: Self::Params) -> ApiCall<Self::Message>;
    #[doc(hidden)]
    fn messages_mut(params: &mut Self::Params) -> &mut Vec<Self::MessageParam>;
    #[doc(hidden)]
    fn add_tool_definitions(params: &mut Self::Params, definitions: Vec<BetaToolUnion>);
    #[doc(hidden)]
    fn tool_calls(message: &Self::Message) -> Vec<ToolCall>;
    #[doc(hidden)]
    fn stop_reason(message: &Self::Message) -> Option<&str>;
    #[doc(hidden)]
    fn assistant_param(message: &Self::Message) -> Self::MessageParam;
    #[doc(hidden)]
    fn results_param(results: Vec<ToolCallResult>) -> Self::MessageParam;
    #[doc(hidden)]
    fn carry_container(message: &Self::Message, params: &mut Self::Params);
}

/// The beta Messages API (`client.beta().messages()`).
#[derive(Debug, Clone, Copy)]
pub struct BetaApi;

/// The Messages API (`client.messages()`).
#[derive(Debug, Clone, Copy)]
pub struct MessagesApi;

impl sealed::Sealed for BetaApi {}
impl sealed::Sealed for MessagesApi {}

/// Re-encodes a value as another type with the same JSON shape (response block → request
/// block, beta → non-beta); `fallback` keeps the JSON when the target type refuses it.
fn convert<T: serde::de::DeserializeOwned>(
    value: &impl serde::Serialize,
    fallback: impl FnOnce(Value) -> T,
) -> T {
    match serde_json::to_value(value) {
        Ok(json) => serde_json::from_value(json.clone()).unwrap_or_else(|_| fallback(json)),
        Err(_) => fallback(Value::Null),
    }
}

impl RunnerApi for BetaApi {
    type Params = BetaMessageCreateParams;
    type Message = BetaMessage;
    type MessageParam = BetaMessageParam;

    const HELPER: &'static str = "BetaToolRunner";

    fn create(client: &Client, params: Self::Params) -> ApiCall<Self::Message> {
        client.beta().messages().create(params)
    }

    fn messages_mut(params: &mut Self::Params) -> &mut Vec<Self::MessageParam> {
        &mut params.messages
    }

    fn add_tool_definitions(params: &mut Self::Params, definitions: Vec<BetaToolUnion>) {
        let tools = params.tools.get_or_insert_with(Vec::new);
        let present: HashSet<String> = tools.iter().filter_map(definition_name).collect();
        tools.extend(
            definitions
                .into_iter()
                .filter(|d| match definition_name(d) {
                    Some(name) => !present.contains(&name),
                    None => true,
                }),
        );
    }

    fn tool_calls(message: &Self::Message) -> Vec<ToolCall> {
        message
            .tool_uses()
            .map(|t| (t.id.clone(), t.name.clone(), Value::Object(t.input.clone())))
            .collect()
    }

    fn stop_reason(message: &Self::Message) -> Option<&str> {
        message.stop_reason.as_ref().map(BetaStopReason::as_str)
    }

    fn assistant_param(message: &Self::Message) -> Self::MessageParam {
        message.to_param()
    }

    fn results_param(results: Vec<ToolCallResult>) -> Self::MessageParam {
        let blocks = results
            .into_iter()
            .map(|(id, result)| {
                let block = BetaToolResultBlockParam::new(id);
                let block = match result {
                    Ok(ToolOutput::Text(text)) => block.content(text),
                    Ok(ToolOutput::Blocks(blocks)) => block.content(blocks),
                    Err(message) => block.content(message).is_error(true),
                };
                BetaContentBlockParam::ToolResult(block)
            })
            .collect::<Vec<_>>();
        BetaMessageParam::user(blocks)
    }

    fn carry_container(message: &Self::Message, params: &mut Self::Params) {
        let Some(container) = &message.container else {
            return;
        };
        match &mut params.container {
            None | Some(BetaMessageCreateParamsContainer::Text(_)) => {
                params.container = Some(container.id.clone().into());
            }
            Some(BetaMessageCreateParamsContainer::BetaContainerParams(p)) if p.id.is_none() => {
                p.id = Some(container.id.clone());
            }
            Some(_) => {}
        }
    }
}

impl RunnerApi for MessagesApi {
    type Params = MessageCreateParams;
    type Message = Message;
    type MessageParam = MessageParam;

    const HELPER: &'static str = "ToolRunner";

    fn create(client: &Client, params: Self::Params) -> ApiCall<Self::Message> {
        client.messages().create(params)
    }

    fn messages_mut(params: &mut Self::Params) -> &mut Vec<Self::MessageParam> {
        &mut params.messages
    }

    fn add_tool_definitions(params: &mut Self::Params, definitions: Vec<BetaToolUnion>) {
        let name_of = |tool: &ToolUnion| {
            serde_json::to_value(tool)
                .ok()
                .and_then(|v| v.get("name")?.as_str().map(str::to_owned))
        };
        let tools = params.tools.get_or_insert_with(Vec::new);
        let present: HashSet<String> = tools.iter().filter_map(name_of).collect();
        for definition in definitions {
            let tool: ToolUnion = convert(&definition, ToolUnion::Unknown);
            if name_of(&tool).is_none_or(|name| !present.contains(&name)) {
                tools.push(tool);
            }
        }
    }

    fn tool_calls(message: &Self::Message) -> Vec<ToolCall> {
        message
            .tool_uses()
            .map(|t| (t.id.clone(), t.name.clone(), Value::Object(t.input.clone())))
            .collect()
    }

    fn stop_reason(message: &Self::Message) -> Option<&str> {
        message.stop_reason.as_ref().map(StopReason::as_str)
    }

    fn assistant_param(message: &Self::Message) -> Self::MessageParam {
        message.to_param()
    }

    fn results_param(results: Vec<ToolCallResult>) -> Self::MessageParam {
        let blocks = results
            .into_iter()
            .map(|(id, result)| {
                let block = ToolResultBlockParam::new(id);
                let block = match result {
                    Ok(ToolOutput::Text(text)) => block.content(text),
                    Ok(ToolOutput::Blocks(blocks)) => {
                        block.content(convert(&blocks, ToolResultContent::Unknown))
                    }
                    Err(message) => block.content(message).is_error(true),
                };
                ContentBlockParam::ToolResult(block)
            })
            .collect::<Vec<_>>();
        MessageParam::user(blocks)
    }

    fn carry_container(message: &Self::Message, params: &mut Self::Params) {
        if let Some(container) = &message.container {
            params.container = Some(container.id.clone());
        }
    }
}
