//! Two tools and the tool runner, to the final answer.
//!
//! ```sh
//! cargo run -p anthropic --example tools -- --mock   # scripted in-process server, no key
//! ANTHROPIC_API_KEY=sk-ant-… cargo run -p anthropic --example tools
//! ```

#[path = "support/mock.rs"]
pub mod mock;

use anthropic::tools::{self, tool};
use anthropic::types::{BetaMessageCreateParams, BetaMessageParam, Model};
use anthropic::Client;
use futures::StreamExt;
use serde_json::{json, Value};

/// A temperature unit.
#[derive(serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Unit {
    Celsius,
    Fahrenheit,
}

/// Get the current weather in a city.
///
/// * `city` - City and country, e.g. "Paris, France".
/// * `unit` - The temperature unit (default: celsius).
#[tool]
async fn get_weather(city: String, unit: Option<Unit>) -> tools::Result<String> {
    // A real tool would call a weather service here.
    let celsius = 15.0;
    Ok(match unit.unwrap_or(Unit::Celsius) {
        Unit::Celsius => format!("{celsius}°C and sunny in {city}"),
        Unit::Fahrenheit => format!("{}°F and sunny in {city}", celsius * 9.0 / 5.0 + 32.0),
    })
}

/// Get the local time in an IANA time zone.
///
/// * `timezone` - For example "Europe/Paris".
#[tool]
fn get_time(timezone: String) -> tools::Result<String> {
    if !timezone.contains('/') {
        return Err(tools::ToolError::new(format!(
            "unknown time zone {timezone:?}"
        )));
    }
    Ok(format!("14:05 in {timezone}"))
}

/// Asks a question that needs both tools and returns the final answer.
pub async fn run(client: &Client) -> anthropic::Result<String> {
    let params = BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [BetaMessageParam::user(
            "What's the weather in Paris right now, and what time is it there?",
        )],
        1024,
    );
    let mut runner = client
        .beta()
        .messages()
        .tool_runner(params, [get_weather(), get_time()])
        .max_iterations(5);
    while let Some(message) = runner.next().await {
        let message = message?;
        for call in message.tool_uses() {
            println!("→ {}({})", call.name, Value::Object(call.input.clone()));
        }
    }
    let answer = runner.last_message().map(|m| m.text()).unwrap_or_default();
    println!("{answer}");
    Ok(answer)
}

/// The mock's side of the conversation: call both tools, then answer from their results.
pub fn script(body: &Value) -> Value {
    let results = mock::tool_results(body);
    if results.is_empty() {
        return mock::reply(
            "tool_use",
            json!([
                {"type": "text", "text": "Let me look that up."},
                {"type": "tool_use", "id": "toolu_weather", "name": "get_weather", "input": {"city": "Paris, France"}},
                {"type": "tool_use", "id": "toolu_time", "name": "get_time", "input": {"timezone": "Europe/Paris"}}
            ]),
        );
    }
    let facts: Vec<String> = results.into_iter().map(|(_, text)| text).collect();
    mock::reply(
        "end_turn",
        json!([{"type": "text", "text": format!("Right now: {}.", facts.join("; "))}]),
    )
}

#[tokio::main]
async fn main() -> anthropic::Result<()> {
    let (client, _server) = mock::client(script).await;
    run(&client).await?;
    Ok(())
}
