//! A small curl for Claude: sends a Messages request and prints the reply.
//!
//! ```text
//! cargo run -p anthropic --example messages -- [--stream] [--max-retries N] [--timeout SECS] FILE|-
//! ```
//!
//! Reads a Messages API request as JSON (the API's own shape) from FILE, or stdin with `-`,
//! sends it with `ANTHROPIC_API_KEY` / `ANTHROPIC_AUTH_TOKEN` to `ANTHROPIC_BASE_URL` (default
//! the real API), and prints the resulting `Message` as one line of JSON on stdout. With
//! `--stream` the reply is streamed: text deltas go to stderr as they arrive, and the final
//! accumulated `Message` is printed the same way. On failure it prints `KIND: MESSAGE` on
//! stderr and exits with status 1.
//!
//! This interface is stable: scripts depend on its flags, output and exit codes.

use std::io::Read;
use std::process::ExitCode;
use std::time::Duration;

use anthropic::types::MessageCreateParams;

struct Args {
    stream: bool,
    max_retries: Option<u32>,
    timeout: Option<Duration>,
    input: String,
}

const USAGE: &str = "usage: messages [--stream] [--max-retries N] [--timeout SECS] FILE|-";

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let mut parsed = Args {
        stream: false,
        max_retries: None,
        timeout: None,
        input: String::new(),
    };
    let mut input = None;
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--stream" => parsed.stream = true,
            "--max-retries" => {
                let v = args.next().ok_or("--max-retries needs a value")?;
                parsed.max_retries = Some(
                    v.parse()
                        .map_err(|_| format!("--max-retries: not a count: {v:?}"))?,
                );
            }
            "--timeout" => {
                let v = args.next().ok_or("--timeout needs a value")?;
                let secs: f64 = v
                    .parse()
                    .map_err(|_| format!("--timeout: not a number of seconds: {v:?}"))?;
                let timeout = Duration::try_from_secs_f64(secs)
                    .map_err(|_| format!("--timeout: out of range: {v:?}"))?;
                parsed.timeout = Some(timeout);
            }
            "-h" | "--help" => return Err(USAGE.to_string()),
            other if other.starts_with("--") => {
                return Err(format!("unknown flag {other:?}\n{USAGE}"))
            }
            other => {
                if input.replace(other.to_string()).is_some() {
                    return Err(format!("only one input file is accepted\n{USAGE}"));
                }
            }
        }
    }
    parsed.input = input.ok_or_else(|| USAGE.to_string())?;
    Ok(parsed)
}

fn read_input(path: &str) -> Result<String, String> {
    let mut text = String::new();
    if path == "-" {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("reading stdin: {e}"))?;
    } else {
        text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    }
    Ok(text)
}

fn fail(kind: &str, message: impl std::fmt::Display) -> ExitCode {
    eprintln!("{kind}: {message}");
    ExitCode::FAILURE
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(a) => a,
        Err(e) => return fail("usage", e),
    };
    let text = match read_input(&args.input) {
        Ok(t) => t,
        Err(e) => return fail("io", e),
    };
    let params: MessageCreateParams = match serde_json::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            return fail(
                "invalid_input",
                format!("the request is not a Messages request: {e}"),
            )
        }
    };
    let mut builder = anthropic::Client::builder();
    if let Some(n) = args.max_retries {
        builder = builder.max_retries(n);
    }
    if let Some(t) = args.timeout {
        builder = builder.timeout(t);
    }
    let client = match builder.build() {
        Ok(c) => c,
        Err(e) => return fail(e.kind_name(), e),
    };
    let result = if args.stream {
        stream(&client, params).await
    } else {
        client.messages().create(params).await
    };
    match result {
        Ok(message) => match serde_json::to_string(&message) {
            Ok(line) => {
                println!("{line}");
                ExitCode::SUCCESS
            }
            Err(e) => fail("encode", e),
        },
        Err(e) => fail(e.kind_name(), e),
    }
}

/// Streams the reply: text deltas to stderr as they arrive, then the accumulated message.
async fn stream(
    client: &anthropic::Client,
    params: MessageCreateParams,
) -> anthropic::Result<anthropic::types::Message> {
    use std::io::Write;
    let mut stream = client.messages().stream(params).await?;
    let mut stderr = std::io::stderr();
    while let Some(text) = stream.next_text().await? {
        let _ = stderr.write_all(text.as_bytes());
        let _ = stderr.flush();
    }
    let _ = writeln!(stderr);
    stream.final_message().await
}
