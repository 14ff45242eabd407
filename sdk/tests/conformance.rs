//! Conformance against the spec-driven Prism mock: every operation is called with only its
//! required parameters and with all of them, and Prism (which validates each request against
//! `spec/anthropic-openapi.json` and answers 422 on any violation) must accept it; the SDK must
//! then decode Prism's example response.
//!
//! Run with `make conformance` (starts Prism on 127.0.0.1, sets `PRISM_URL`, runs these tests
//! with `--ignored`, stops Prism). The tests are `#[ignore]`d so a plain `cargo test` does not
//! need Node.
//!
//! Not covered here (Prism's limits, the same ones the official Python SDK's suite skips), and
//! covered by the in-process mock tests in `endpoints.rs` instead:
//! - `files.download`, `beta.files.download`: Prism answers 406 to `accept: application/binary`
//!   ("prism binary unsupported");
//! - `messages.batches.results`, `beta.messages.batches.results`: Prism cannot serve
//!   `application/x-jsonl` (500);
//! - the all-parameters form of `beta.messages.create` / `beta.messages.count_tokens` /
//!   `beta.messages.batches.create`: Prism matches `?beta=true` paths to the non-beta schema and
//!   rejects beta-only fields ("prism validates based on the non-beta endpoint"); they are sent
//!   with every parameter the non-beta schema also has.

use std::future::IntoFuture;

use anthropic::types::*;
use anthropic::{Client, Error};
use serde_json::{json, Value};

fn client() -> Client {
    let url = std::env::var("PRISM_URL").expect("PRISM_URL is not set: run `make conformance`");
    Client::builder()
        .api_key("conformance-key")
        .base_url(url)
        .max_retries(0)
        .build()
        .expect("client")
}

/// Awaits a call and fails with Prism's validation report when it is rejected.
async fn accepted<T>(what: &str, call: impl IntoFuture<Output = anthropic::Result<T>>) -> T {
    match call.await {
        Ok(v) => v,
        Err(Error::UnprocessableEntity(e)) | Err(Error::BadRequest(e)) => {
            let violations = e
                .headers()
                .get("sl-violations")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            panic!(
                "{what}: Prism rejected the request: {violations}\n{}",
                e.body_text()
            )
        }
        Err(e) => panic!("{what}: {e:?}"),
    }
}

fn user(text: &str) -> MessageParam {
    MessageParam::user(text)
}

fn full_create_params() -> MessageCreateParams {
    let text = include_str!("fixtures/types/create_params_full.json");
    serde_json::from_str(text).expect("fixture decodes")
}

fn file(name: &str) -> UploadFile {
    UploadFile::from_bytes(name, b"hello conformance\n".to_vec()).content_type("text/plain")
}

fn skill_files() -> Vec<UploadFile> {
    vec![
        UploadFile::from_bytes(
            "my_skill/SKILL.md",
            b"---\nname: my-skill\ndescription: test\n---\nBody\n".to_vec(),
        ),
        UploadFile::from_bytes("my_skill/script.py", b"print('hi')\n".to_vec()),
    ]
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn messages() {
    let c = client();
    let m = accepted(
        "messages.create (required)",
        c.messages().create(MessageCreateParams::new(
            Model::CLAUDE_SONNET_4_5,
            [user("Hi")],
            16,
        )),
    )
    .await;
    assert!(!m.id.is_empty());
    accepted(
        "messages.create (all)",
        c.messages().create(full_create_params()),
    )
    .await;
    accepted(
        "messages.count_tokens (required)",
        c.messages().count_tokens(MessageCountTokensParams::new(
            [user("Hi")],
            "claude-sonnet-4-5",
        )),
    )
    .await;
    let full = full_create_params();
    let all = MessageCountTokensParams::new(full.messages.clone(), full.model.clone())
        .system(full.system.clone().unwrap())
        .thinking(full.thinking.clone().unwrap())
        .tool_choice(full.tool_choice.clone().unwrap())
        .tools(full.tools.clone().unwrap());
    let count = accepted(
        "messages.count_tokens (all)",
        c.messages().count_tokens(all),
    )
    .await;
    let _ = count.input_tokens;
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn completions() {
    let c = client();
    accepted(
        "completions.create (required)",
        c.completions().create(CompletionCreateParams::new(
            "claude-2.1",
            "\n\nHuman: Hi\n\nAssistant:",
            16,
        )),
    )
    .await;
    let all = CompletionCreateParams::new("claude-2.1", "\n\nHuman: Hi\n\nAssistant:", 16)
        .metadata(Metadata::new().user_id("user-1"))
        .stop_sequences(["\n\nHuman:"])
        .temperature(0.5)
        .top_k(10)
        .top_p(0.9);
    accepted("completions.create (all)", c.completions().create(all)).await;
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn models() {
    let c = client();
    let page = accepted(
        "models.list (required)",
        c.models().list(Default::default()),
    )
    .await;
    assert!(!page.data.is_empty());
    accepted(
        "models.list (all)",
        c.models()
            .list(ModelListParams::new().limit(5).after_id("a").before_id("b")),
    )
    .await;
    accepted("models.retrieve", c.models().retrieve("claude-sonnet-4-5")).await;
    accepted(
        "beta.models.list (required)",
        c.beta().models().list(Default::default()),
    )
    .await;
    accepted(
        "beta.models.list (all)",
        c.beta()
            .models()
            .list(
                BetaModelListParams::new()
                    .limit(5)
                    .after_id("a")
                    .before_id("b"),
            )
            .betas(["files-api-2025-04-14"]),
    )
    .await;
    accepted(
        "beta.models.retrieve",
        c.beta()
            .models()
            .retrieve("claude-sonnet-4-5")
            .betas(["x-test"]),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn batches() {
    let c = client();
    let required = MessageBatchCreateParams::new([MessageBatchRequestParam::new(
        "req-1",
        MessageCreateParams::new("claude-sonnet-4-5", [user("Hi")], 16),
    )]);
    accepted(
        "messages.batches.create (required)",
        c.messages().batches().create(required),
    )
    .await;
    let all = MessageBatchCreateParams::new([
        MessageBatchRequestParam::new("req-1", full_create_params()),
        MessageBatchRequestParam::new(
            "req-2",
            MessageCreateParams::new("claude-haiku-4-5", [user("Yo")], 8),
        ),
    ]);
    accepted(
        "messages.batches.create (all)",
        c.messages().batches().create(all),
    )
    .await;
    accepted(
        "messages.batches.list (required)",
        c.messages().batches().list(Default::default()),
    )
    .await;
    accepted(
        "messages.batches.list (all)",
        c.messages()
            .batches()
            .list(BatchListParams::new().limit(2).after_id("a").before_id("b")),
    )
    .await;
    accepted(
        "messages.batches.retrieve",
        c.messages().batches().retrieve("msgbatch_1"),
    )
    .await;
    accepted(
        "messages.batches.delete",
        c.messages().batches().delete("msgbatch_1"),
    )
    .await;
    accepted(
        "messages.batches.cancel",
        c.messages().batches().cancel("msgbatch_1"),
    )
    .await;
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn files() {
    let c = client();
    accepted(
        "files.upload",
        c.files().upload(FileUploadParams::new(file("hello.txt"))),
    )
    .await;
    accepted("files.list (required)", c.files().list(Default::default())).await;
    accepted(
        "files.list (all)",
        c.files()
            .list(FileListParams::new().limit(3).after_id("a").before_id("b")),
    )
    .await;
    accepted(
        "files.retrieve_metadata",
        c.files().retrieve_metadata("file_1"),
    )
    .await;
    accepted("files.delete", c.files().delete("file_1")).await;
    let meta = accepted(
        "beta.files.upload",
        c.beta()
            .files()
            .upload(FileUploadParams::new(file("hello.txt")))
            .betas(["x-test"]),
    )
    .await;
    assert!(!meta.id.is_empty());
    accepted(
        "beta.files.list (required)",
        c.beta().files().list(Default::default()),
    )
    .await;
    accepted(
        "beta.files.list (all)",
        c.beta().files().list(
            BetaFileListParams::new()
                .limit(3)
                .after_id("a")
                .before_id("b"),
        ),
    )
    .await;
    accepted(
        "beta.files.retrieve_metadata",
        c.beta().files().retrieve_metadata("file_1"),
    )
    .await;
    accepted("beta.files.delete", c.beta().files().delete("file_1")).await;
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn skills() {
    let c = client();
    accepted(
        "skills.create (required)",
        c.skills().create(SkillCreateParams::new()),
    )
    .await;
    accepted(
        "skills.create (all)",
        c.skills().create(
            SkillCreateParams::new()
                .display_title("My skill")
                .files(skill_files()),
        ),
    )
    .await;
    accepted(
        "skills.list (required)",
        c.skills().list(Default::default()),
    )
    .await;
    accepted(
        "skills.list (all)",
        c.skills().list(
            SkillListParams::new()
                .limit(5)
                .page("page_token")
                .source("custom"),
        ),
    )
    .await;
    accepted("skills.retrieve", c.skills().retrieve("skill_1")).await;
    accepted("skills.delete", c.skills().delete("skill_1")).await;
    accepted(
        "skills.versions.create (required)",
        c.skills()
            .versions()
            .create("skill_1", SkillVersionCreateParams::new()),
    )
    .await;
    accepted(
        "skills.versions.create (all)",
        c.skills().versions().create(
            "skill_1",
            SkillVersionCreateParams::new().files(skill_files()),
        ),
    )
    .await;
    accepted(
        "skills.versions.list (required)",
        c.skills().versions().list("skill_1", Default::default()),
    )
    .await;
    accepted(
        "skills.versions.list (all)",
        c.skills()
            .versions()
            .list("skill_1", VersionListParams::new().limit(5).page("p")),
    )
    .await;
    accepted(
        "skills.versions.retrieve",
        c.skills()
            .versions()
            .retrieve("skill_1", "1759178010641129"),
    )
    .await;
    accepted(
        "skills.versions.delete",
        c.skills().versions().delete("skill_1", "1759178010641129"),
    )
    .await;

    accepted(
        "beta.skills.create (required)",
        c.beta().skills().create(BetaSkillCreateParams::new()),
    )
    .await;
    accepted(
        "beta.skills.create (all)",
        c.beta().skills().create(
            BetaSkillCreateParams::new()
                .display_title("My skill")
                .files(skill_files()),
        ),
    )
    .await;
    accepted(
        "beta.skills.list (required)",
        c.beta().skills().list(Default::default()),
    )
    .await;
    accepted(
        "beta.skills.list (all)",
        c.beta().skills().list(
            BetaSkillListParams::new()
                .limit(5)
                .page("p")
                .source("anthropic"),
        ),
    )
    .await;
    accepted(
        "beta.skills.retrieve",
        c.beta().skills().retrieve("skill_1"),
    )
    .await;
    accepted("beta.skills.delete", c.beta().skills().delete("skill_1")).await;
    accepted(
        "beta.skills.versions.create (required)",
        c.beta()
            .skills()
            .versions()
            .create("skill_1", BetaSkillVersionCreateParams::new()),
    )
    .await;
    accepted(
        "beta.skills.versions.create (all)",
        c.beta().skills().versions().create(
            "skill_1",
            BetaSkillVersionCreateParams::new().files(skill_files()),
        ),
    )
    .await;
    accepted(
        "beta.skills.versions.list (required)",
        c.beta()
            .skills()
            .versions()
            .list("skill_1", Default::default()),
    )
    .await;
    accepted(
        "beta.skills.versions.list (all)",
        c.beta()
            .skills()
            .versions()
            .list("skill_1", BetaVersionListParams::new().limit(5).page("p")),
    )
    .await;
    accepted(
        "beta.skills.versions.retrieve",
        c.beta().skills().versions().retrieve("skill_1", "1"),
    )
    .await;
    accepted(
        "beta.skills.versions.delete",
        c.beta().skills().versions().delete("skill_1", "1"),
    )
    .await;
}

/// The beta request body as JSON: every field the non-beta schema also has.
fn beta_params_from_full() -> BetaMessageCreateParams {
    let mut v: Value = serde_json::to_value(full_create_params()).unwrap();
    v["stream"] = json!(false);
    serde_json::from_value(v).expect("the non-beta request is a valid beta request")
}

#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn beta_messages() {
    let c = client();
    let required =
        BetaMessageCreateParams::new("claude-sonnet-4-5", [BetaMessageParam::user("Hi")], 16);
    let m = accepted(
        "beta.messages.create (required)",
        c.beta().messages().create(required),
    )
    .await;
    assert!(!m.id.is_empty());
    accepted(
        "beta.messages.create (shared params)",
        c.beta()
            .messages()
            .create(beta_params_from_full())
            .betas(["interleaved-thinking-2025-05-14"]),
    )
    .await;
    accepted(
        "beta.messages.count_tokens (required)",
        c.beta()
            .messages()
            .count_tokens(BetaMessageCountTokensParams::new(
                [BetaMessageParam::user("Hi")],
                "claude-sonnet-4-5",
            )),
    )
    .await;
    let full = beta_params_from_full();
    let shared = BetaMessageCountTokensParams::new(full.messages.clone(), full.model.clone())
        .system(full.system.clone().unwrap())
        .thinking(full.thinking.clone().unwrap())
        .tool_choice(full.tool_choice.clone().unwrap())
        .tools(full.tools.clone().unwrap());
    accepted(
        "beta.messages.count_tokens (shared params)",
        c.beta().messages().count_tokens(shared),
    )
    .await;

    let batches = c.beta().messages().batches();
    accepted(
        "beta.messages.batches.create (required)",
        batches.create(BetaMessageBatchCreateParams::new([
            BetaMessageBatchRequestParam::new(
                "r1",
                BetaMessageCreateParams::new(
                    "claude-sonnet-4-5",
                    [BetaMessageParam::user("Hi")],
                    8,
                ),
            ),
        ])),
    )
    .await;
    accepted(
        "beta.messages.batches.create (shared params)",
        batches.create(BetaMessageBatchCreateParams::new([
            BetaMessageBatchRequestParam::new("r1", beta_params_from_full()),
        ])),
    )
    .await;
    accepted(
        "beta.messages.batches.list (required)",
        batches.list(Default::default()),
    )
    .await;
    accepted(
        "beta.messages.batches.list (all)",
        batches.list(
            BetaBatchListParams::new()
                .limit(2)
                .after_id("a")
                .before_id("b"),
        ),
    )
    .await;
    accepted(
        "beta.messages.batches.retrieve",
        batches.retrieve("msgbatch_1"),
    )
    .await;
    accepted("beta.messages.batches.delete", batches.delete("msgbatch_1")).await;
    accepted("beta.messages.batches.cancel", batches.cancel("msgbatch_1")).await;
}

/// The suite can fail: Prism rejects what the spec forbids, and the SDK reports it typed.
#[tokio::test]
#[ignore = "needs the Prism mock: run `make conformance`"]
async fn prism_rejects_requests_that_violate_the_spec() {
    let c = client();
    let mut bad = MessageCreateParams::new("claude-sonnet-4-5", [user("Hi")], 16);
    bad.extra.insert("not_a_field".into(), json!(1));
    let err = c.messages().create(bad).await.unwrap_err();
    assert!(matches!(err, Error::UnprocessableEntity(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(422));
    assert_eq!(err.kind_name(), "unprocessable_entity");
}
