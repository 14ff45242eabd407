//! The generator on a small spec covering each schema shape (snapshot), and on the real spec
//! (counts, determinism).

use std::path::Path;

use generator::config::Config;
use generator::generate_from;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn shapes() -> generator::Output {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let spec = std::fs::read_to_string(dir.join("shapes.json")).unwrap();
    let config = Config::load(&dir.join("shapes.toml")).unwrap();
    generate_from(&spec, &config).unwrap()
}

#[test]
fn every_schema_shape_snapshot() {
    let out = shapes();
    let mut all = String::new();
    for (path, text) in &out.files {
        if path == "types/mod.rs"
            || path.starts_with("types/widgets")
            || path == "types/shared.rs"
            || path == "consts.rs"
            || path.starts_with("resources/")
            || path.starts_with("blocking/")
        {
            all.push_str(&format!("==> {path}\n{text}\n"));
        }
    }
    insta::assert_snapshot!("shapes", all);
}

#[test]
fn shapes_summary_and_warnings() {
    let out = shapes();
    assert_eq!(out.summary.schemas_emitted, out.summary.schema_count);
    assert_eq!(out.summary.operation_count, 2);
    assert_eq!(out.summary.operations_configured, 1);
    // The unconfigured operation still gets a sensible name, with a warning.
    assert!(
        out.summary
            .warnings
            .iter()
            .any(|w| w.contains("upload_photo") && w.contains("`widgets.photo.create`")),
        "{:?}",
        out.summary.warnings
    );
}

#[test]
fn real_spec_maps_everything_without_warnings_and_is_deterministic() {
    let spec = std::fs::read_to_string(root().join("spec/anthropic-openapi.json")).unwrap();
    let config = Config::load(&root().join("spec/sdk.toml")).unwrap();
    let a = generate_from(&spec, &config).unwrap();
    assert_eq!(
        (a.summary.schemas_emitted, a.summary.schema_count),
        (436, 436)
    );
    assert_eq!(
        (a.summary.operations_configured, a.summary.operation_count),
        (47, 47)
    );
    assert!(a.summary.warnings.is_empty(), "{:?}", a.summary.warnings);
    let b = generate_from(&spec, &config).unwrap();
    assert_eq!(
        a.files, b.files,
        "output must be byte-identical across runs"
    );
    for (path, text) in &a.files {
        assert!(text.starts_with("// @generated"), "{path} lacks the header");
    }
}

#[test]
fn committed_output_is_up_to_date() {
    let spec = std::fs::read_to_string(root().join("spec/anthropic-openapi.json")).unwrap();
    let config = Config::load(&root().join("spec/sdk.toml")).unwrap();
    let out = generate_from(&spec, &config).unwrap();
    let stale = out.check(&root().join("sdk/src/generated")).unwrap();
    assert!(stale.is_empty(), "run `make generate`: stale {stale:?}");
}
