//! Runs each example's core logic against its scripted in-process mock.
#![cfg(feature = "macros")]
// Each example includes the shared mock module.
#![allow(clippy::duplicate_mod)]

#[allow(dead_code, unused_imports)]
#[path = "../examples/tools.rs"]
mod tools_example;

#[allow(dead_code, unused_imports)]
#[path = "../examples/memory.rs"]
mod memory_example;

#[allow(dead_code, unused_imports)]
#[path = "../examples/structured_output.rs"]
mod structured_output_example;

use tools_example::mock;

#[tokio::test]
async fn tools_example_reaches_the_final_answer() {
    let server = mock::start(tools_example::script).await;
    let answer = tools_example::run(&mock::client_for(&server))
        .await
        .unwrap();
    assert_eq!(
        answer,
        "Right now: 15°C and sunny in Paris, France; 14:05 in Europe/Paris."
    );
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn memory_example_saves_the_note() {
    let server = mock::start(memory_example::script).await;
    let dir = tempfile::tempdir().unwrap();
    let answer = memory_example::run(&mock::client_for(&server), dir.path())
        .await
        .unwrap();
    assert_eq!(answer, "Noted: tea over coffee, and metric units.");
    let note = std::fs::read_to_string(dir.path().join("preferences.md")).unwrap();
    assert!(note.contains("Drinks tea"), "{note}");
}

#[tokio::test]
async fn structured_output_example_decodes_the_order() {
    let server = mock::start(structured_output_example::script).await;
    let order = structured_output_example::run(&mock::client_for(&server))
        .await
        .unwrap();
    assert_eq!(
        order,
        structured_output_example::Order {
            product: "green tea".into(),
            quantity: 2,
            unit_price: 5.5,
            priority: structured_output_example::Priority::Express,
        }
    );
}
