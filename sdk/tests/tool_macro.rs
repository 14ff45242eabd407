//! `#[tool]` and `FnTool`: input schemas (snapshots), descriptions, decoding and errors.
#![cfg(feature = "macros")]

use std::collections::BTreeMap;

use anthropic::tools::{self, tool, FnTool, Tool, ToolError, ToolOutput};
use anthropic::types::{BetaTextBlockParam, BetaToolResultContentBlock};
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::{json, Value};

fn definition(tool: &impl ToolLike) -> Value {
    serde_json::to_value(tool.def()).unwrap()
}

/// Pretty JSON with keys sorted, whatever the map type's order (`serde_json/preserve_order`
/// may be on when the whole workspace is built).
fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(&sorted(value)).unwrap()
}

fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

trait ToolLike {
    fn def(&self) -> anthropic::types::BetaToolUnion;
}

impl ToolLike for tools::DynTool {
    fn def(&self) -> anthropic::types::BetaToolUnion {
        self.definition()
    }
}

/// Temperature unit.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
enum Unit {
    Celsius,
    Fahrenheit,
}

/// Get the current weather in a city.
///
/// Uses live data.
///
/// * `city` - City and country, e.g. "Paris, France".
/// * `unit` - The unit of the answer;
///   celsius when absent.
///
/// # Errors
///
/// Fails for unknown cities.
#[tool]
async fn get_weather(city: String, unit: Option<Unit>) -> tools::Result<String> {
    if city.is_empty() {
        return Err(ToolError::new("unknown city"));
    }
    let unit = match unit {
        Some(Unit::Fahrenheit) => "°F",
        _ => "°C",
    };
    Ok(format!("15{unit} in {city}"))
}

/// A traveller.
#[derive(Debug, Deserialize, JsonSchema)]
struct Person {
    /// Full name.
    name: String,
    /// Age in years.
    age: u8,
}

/// One stop of a trip.
#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Stop {
    city: String,
    nights: u32,
}

/// Book a trip.
///
/// # Arguments
///
/// * `traveler` - Who travels.
/// * `stops` - The stops, in order.
/// * `budget` - Maximum price in euros.
/// * `tags` - Free-form labels and their weights.
#[tool]
fn book_trip(
    traveler: Person,
    stops: Vec<Stop>,
    budget: Option<f64>,
    tags: BTreeMap<String, i64>,
) -> Result<String, std::io::Error> {
    Ok(format!(
        "{} ({}) booked {} stops for {:?} with {} tags",
        traveler.name,
        traveler.age,
        stops.len(),
        budget,
        tags.len()
    ))
}

/// A shape.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Shape {
    /// A circle.
    Circle { radius: f64 },
    /// A square.
    Square { side: f64 },
}

/// The current time.
#[tool]
fn now() -> String {
    "12:00".into()
}

#[tool(name = "area", description = "Computes an area.", strict)]
async fn shape_area(
    /// The shape to measure.
    shape: Shape,
    r#type: Option<String>,
) -> tools::Result<ToolOutput> {
    let area = match shape {
        Shape::Circle { radius } => std::f64::consts::PI * radius * radius,
        Shape::Square { side } => side * side,
    };
    Ok(ToolOutput::from(vec![BetaToolResultContentBlock::from(
        BetaTextBlockParam::new(format!("{area:.1} {}", r#type.unwrap_or_default())),
    )]))
}

#[test]
fn weather_schema() {
    let weather = get_weather();
    assert_eq!(weather.name(), "get_weather");
    insta::assert_snapshot!("weather", pretty(&definition(&weather)));
}

#[test]
fn nested_struct_vec_option_map_schema() {
    insta::assert_snapshot!("book_trip", pretty(&definition(&book_trip())));
}

#[test]
fn no_arguments_schema() {
    assert_eq!(
        definition(&now()),
        json!({
            "name": "now",
            "description": "The current time.",
            "input_schema": {"type": "object", "properties": {}, "additionalProperties": false}
        })
    );
}

#[test]
fn options_param_docs_tagged_enum_and_raw_idents() {
    let area = shape_area();
    assert_eq!(area.name(), "area");
    insta::assert_snapshot!("area", pretty(&definition(&area)));
}

#[tokio::test]
async fn calls_decode_arguments() {
    let out = get_weather()
        .call(json!({"city": "Paris", "unit": "fahrenheit"}))
        .await
        .unwrap();
    assert_eq!(out, ToolOutput::Text("15°F in Paris".into()));
    let out = get_weather()
        .call(json!({"city": "Oslo", "unit": null}))
        .await
        .unwrap();
    assert_eq!(out.as_text(), Some("15°C in Oslo"));
    let out = book_trip()
        .call(json!({
            "traveler": {"name": "Ada", "age": 36},
            "stops": [{"city": "Rome", "nights": 2}],
            "tags": {"art": 3}
        }))
        .await
        .unwrap();
    assert_eq!(
        out.as_text(),
        Some("Ada (36) booked 1 stops for None with 1 tags")
    );
    assert_eq!(
        now().call(json!({})).await.unwrap().as_text(),
        Some("12:00")
    );
    assert_eq!(
        now().call(Value::Null).await.unwrap().as_text(),
        Some("12:00")
    );
    let out = shape_area()
        .call(json!({"shape": {"kind": "square", "side": 2.0}, "type": "m2"}))
        .await
        .unwrap();
    assert!(
        matches!(out, ToolOutput::Blocks(ref b) if b.len() == 1),
        "{out:?}"
    );
}

#[tokio::test]
async fn bad_inputs_are_errors_naming_the_field() {
    let cases = [
        (get_weather(), json!({}), "missing required argument `city`"),
        (
            get_weather(),
            json!({"city": 3}),
            "invalid argument `city`: invalid type: integer `3`, expected a string",
        ),
        (
            get_weather(),
            json!({"city": "x", "unit": "kelvin"}),
            "invalid argument `unit`: unknown variant `kelvin`",
        ),
        (
            get_weather(),
            json!({"city": "x", "country": "y"}),
            "unknown argument `country` (expected: city, unit)",
        ),
        (
            get_weather(),
            json!(["Paris"]),
            "invalid input: expected an object of arguments",
        ),
        (
            book_trip(),
            json!({"traveler": {"name": "Ada", "age": "old"}, "stops": [], "tags": {}}),
            "invalid argument `traveler` at `age`: invalid type: string \"old\", expected u8",
        ),
        (
            book_trip(),
            json!({"traveler": {"name": "Ada", "age": 1}, "stops": [{"city": "Rome"}], "tags": {}}),
            "invalid argument `stops` at `[0]`: missing field `nights`",
        ),
        (
            now(),
            json!({"x": 1}),
            "unknown argument `x` (this tool takes no arguments)",
        ),
        (get_weather(), json!({"city": ""}), "unknown city"),
    ];
    for (tool, input, expected) in cases {
        let err = tool.call(input.clone()).await.unwrap_err();
        assert!(
            err.message().starts_with(expected),
            "{input}: {:?} does not start with {expected:?}",
            err.message()
        );
    }
}

/// Input of the closure tool.
#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct AddInput {
    /// The first number.
    a: i64,
    /// The second number.
    b: i64,
    #[serde(default)]
    nested: Option<Person>,
}

#[tokio::test]
async fn closure_tools_from_a_typed_input() {
    let add = FnTool::new("add", "Adds two numbers.", |input: AddInput| async move {
        Ok::<_, ToolError>((input.a + input.b).to_string())
    })
    .strict(true);
    insta::assert_snapshot!(
        "fn_tool_add",
        pretty(&serde_json::to_value(add.definition()).unwrap())
    );
    assert_eq!(
        add.call(json!({"a": 2, "b": 3})).await.unwrap().as_text(),
        Some("5")
    );
    let err = add
        .call(json!({"a": 2, "b": 3, "nested": {"name": "x", "age": -1}}))
        .await
        .unwrap_err();
    assert!(
        err.message()
            .starts_with("invalid input at `nested.age`: invalid value: integer `-1`"),
        "{}",
        err.message()
    );
    let err = add.call(json!({"a": 2})).await.unwrap_err();
    assert_eq!(err.message(), "invalid input: missing field `b`");
}

#[test]
fn tool_errors_keep_their_causes() {
    #[derive(Debug)]
    struct Outer(std::io::Error);
    impl std::fmt::Display for Outer {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("could not read the forecast")
        }
    }
    impl std::error::Error for Outer {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }
    let err = ToolError::from(Outer(std::io::Error::other("disk on fire")));
    assert_eq!(err.message(), "could not read the forecast: disk on fire");
    assert!(err.source().is_some());
}

/// A category and its subcategories.
#[derive(Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Category {
    name: String,
    children: Vec<Category>,
}

/// Counts the categories of a tree.
#[tool]
fn count_categories(root: Category) -> String {
    fn count(c: &Category) -> usize {
        1 + c.children.iter().map(count).sum::<usize>()
    }
    count(&root).to_string()
}

#[tokio::test]
async fn recursive_types_use_defs() {
    let tool = count_categories();
    let schema = &definition(&tool)["input_schema"];
    // The argument is inlined; the recursion goes through `$defs`.
    assert_eq!(
        schema["properties"]["root"]["properties"]["children"]["items"]["$ref"],
        "#/$defs/Category"
    );
    let category = &schema["$defs"]["Category"];
    assert_eq!(
        category["properties"]["children"]["items"]["$ref"],
        "#/$defs/Category"
    );
    assert_eq!(category["additionalProperties"], false);
    let out = tool
        .call(json!({"root": {"name": "a", "children": [{"name": "b", "children": []}]}}))
        .await
        .unwrap();
    assert_eq!(out.as_text(), Some("2"));
}
