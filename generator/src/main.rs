//! `cargo run -p generator [--spec PATH] [--config PATH] [--out DIR] [--check]`
//!
//! Reads the OpenAPI spec and the overlay config, and writes the SDK's generated code
//! (spec → normalise → model → emit; see ARCHITECTURE.md).

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use generator::{generate, Options};

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let mut opts = Options {
        spec: root.join("spec/anthropic-openapi.json"),
        config: root.join("spec/sdk.toml"),
        out: root.join("sdk/src/generated"),
    };
    let mut check = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .map(PathBuf::from)
                .ok_or(format!("{name} needs a value"))
        };
        let result = match arg.as_str() {
            "--spec" => value("--spec").map(|v| opts.spec = v),
            "--config" => value("--config").map(|v| opts.config = v),
            "--out" => value("--out").map(|v| opts.out = v),
            "--check" => {
                check = true;
                Ok(())
            }
            "-h" | "--help" => {
                println!("usage: generator [--spec PATH] [--config PATH] [--out DIR] [--check]");
                return ExitCode::SUCCESS;
            }
            other => Err(format!("unknown argument `{other}` (try --help)")),
        };
        if let Err(e) = result {
            eprintln!("generator: {e}");
            return ExitCode::from(2);
        }
    }
    let start = Instant::now();
    let output = match generate(&opts) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("generator: {e}");
            return ExitCode::FAILURE;
        }
    };
    for w in &output.summary.warnings {
        eprintln!("warning: {w}");
    }
    let written = if check {
        output.check(&opts.out)
    } else {
        output.write(&opts.out)
    };
    let changed = match written {
        Ok(c) => c,
        Err(e) => {
            eprintln!("generator: {e}");
            return ExitCode::FAILURE;
        }
    };
    let s = &output.summary;
    println!(
        "schemas emitted {}/{}, operations mapped {}/{} ({} by config), {} types ({} inline), {} files, {} lines, {:.2?}",
        s.schemas_emitted,
        s.schema_count,
        s.operations_mapped,
        s.operation_count,
        s.operations_configured,
        s.types,
        s.inline_types,
        output.files.len(),
        output.line_count(),
        start.elapsed()
    );
    if check && !changed.is_empty() {
        eprintln!("generated code is out of date: {}", changed.join(", "));
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
