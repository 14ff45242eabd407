//! Structured outputs: the reply is decoded straight into a Rust type.
//!
//! ```sh
//! cargo run -p anthropic --example structured_output -- --mock   # in-process server, no key
//! ANTHROPIC_API_KEY=sk-ant-… cargo run -p anthropic --example structured_output
//! ```

#[path = "support/mock.rs"]
pub mod mock;

use anthropic::types::{MessageCreateParams, MessageParam, Model};
use anthropic::Client;
use serde_json::{json, Value};

/// An order extracted from a customer's message.
#[derive(Debug, PartialEq, serde::Deserialize, schemars::JsonSchema)]
pub struct Order {
    /// The product's name.
    pub product: String,
    /// How many units.
    pub quantity: u32,
    /// The price of one unit, in dollars.
    pub unit_price: f64,
    /// How urgent the order is.
    pub priority: Priority,
}

/// Delivery priority.
#[derive(Debug, PartialEq, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    Standard,
    Express,
}

/// Extracts the order; returns it.
pub async fn run(client: &Client) -> anthropic::Result<Order> {
    let params = MessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [MessageParam::user(
            "Hi, I'd like 2 packs of green tea at $5.50 each, delivered as fast as possible.",
        )],
        1024,
    );
    let parsed = client.messages().parse::<Order>(params).await?;
    println!("{:#?}", parsed.output);
    println!("(stop_reason: {:?})", parsed.message.stop_reason);
    Ok(parsed.output)
}

/// The mock answers with JSON matching the schema it was sent.
pub fn script(body: &Value) -> Value {
    let schema = &body["output_config"]["format"]["schema"];
    let text = if schema["properties"]["priority"].is_object() {
        r#"{"product": "green tea", "quantity": 2, "unit_price": 5.5, "priority": "express"}"#
    } else {
        "no schema was sent"
    };
    mock::reply("end_turn", json!([{"type": "text", "text": text}]))
}

#[tokio::main]
async fn main() -> anthropic::Result<()> {
    let (client, _server) = mock::client(script).await;
    run(&client).await?;
    Ok(())
}
