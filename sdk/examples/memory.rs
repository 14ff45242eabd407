//! The memory tool backed by a local directory: Claude checks its memory, saves a note, and
//! the note is there on disk afterwards.
//!
//! ```sh
//! cargo run -p anthropic --example memory -- --mock   # scripted in-process server, no key
//! ANTHROPIC_API_KEY=sk-ant-… cargo run -p anthropic --example memory
//! ```

#[path = "support/mock.rs"]
pub mod mock;

use std::path::Path;

use anthropic::tools::FsMemory;
use anthropic::types::{BetaMessageCreateParams, BetaMessageParam, Model};
use anthropic::Client;
use serde_json::{json, Value};

/// Runs one conversation with the memory stored under `dir`; returns the final answer.
pub async fn run(client: &Client, dir: &Path) -> anthropic::Result<String> {
    let memory = FsMemory::new(dir).map_err(|e| {
        anthropic::Error::invalid_request(format!("cannot use {}: {e}", dir.display()))
    })?;
    let params = BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [BetaMessageParam::user(
            "I prefer tea over coffee, and answers in metric units. Please remember that.",
        )],
        1024,
    );
    let answer = client
        .beta()
        .messages()
        .tool_runner(params, [memory])
        .max_iterations(8)
        .until_done()
        .await?;
    println!("{}", answer.text());
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let content = std::fs::read_to_string(entry.path()).unwrap_or_default();
        println!("--- {} ---\n{content}", entry.file_name().to_string_lossy());
    }
    Ok(answer.text())
}

/// The mock: look at the memory directory, save the preferences, then answer.
pub fn script(body: &Value) -> Value {
    let memory = |id: &str, input: Value| json!({"type": "tool_use", "id": id, "name": "memory", "input": input});
    match mock::assistant_turns(body) {
        0 => mock::reply(
            "tool_use",
            json!([memory(
                "toolu_view",
                json!({"command": "view", "path": "/memories"})
            )]),
        ),
        1 => mock::reply(
            "tool_use",
            json!([memory(
                "toolu_create",
                json!({
                    "command": "create",
                    "path": "/memories/preferences.md",
                    "file_text": "# User preferences\n- Drinks tea, not coffee\n- Metric units\n"
                })
            )]),
        ),
        _ => mock::reply(
            "end_turn",
            json!([{"type": "text", "text": "Noted: tea over coffee, and metric units."}]),
        ),
    }
}

#[tokio::main]
async fn main() -> anthropic::Result<()> {
    let (client, _server) = mock::client(script).await;
    let dir = std::env::temp_dir().join("anthropic-memory-example");
    println!("memory directory: {}", dir.display());
    run(&client, &dir).await?;
    Ok(())
}
