//! Data portability: the account export and every import format.

mod account_round_trip;
mod csv_imports;
mod csv_round_trip;
mod ics_import;

use serde_json::{Value, json};

use crate::helpers::TestApp;

pub const IMPORT_ENTRIES: &str = "mutation($i: ImportEntriesInput!) { importEntries(input: $i) { dryRun imported skipped skippedRows { line item message } errors { line item message } } }";
pub const IMPORT_ACCOUNT: &str = "mutation($c: String!) { importAccount(content: $c) { imported skipped skippedRows { item message } errors { item message } } }";

pub fn fixture(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/imports")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Runs `importEntries`; returns the whole response.
pub async fn import(
    app: &TestApp,
    token: &str,
    format: &str,
    content: &str,
    extra: Value,
) -> Value {
    let mut input = json!({ "format": format, "content": content });
    if let (Some(input), Some(extra)) = (input.as_object_mut(), extra.as_object()) {
        input.extend(extra.clone());
    }
    app.graphql(IMPORT_ENTRIES, json!({ "i": input }), Some(token))
        .await
}

/// Every entry of the caller, oldest first, as `(title, start, end)` with
/// the other fields a test may check.
pub async fn all_entries(app: &TestApp, token: &str) -> Vec<Value> {
    let data = app
        .ok(
            "{ logEntries(first: 100) { edges { node { title description activityType startTime endTime isDraft tags project { name } valueRating } } } }",
            json!({}),
            token,
        )
        .await;
    let mut nodes: Vec<Value> = data["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    nodes.reverse();
    nodes
}

/// The `(title, startTime, endTime)` of entries.
pub fn spans(entries: &[Value]) -> Vec<(String, String, String)> {
    entries
        .iter()
        .map(|e| {
            (
                e["title"].as_str().unwrap_or_default().to_owned(),
                utc(&e["startTime"]),
                utc(&e["endTime"]),
            )
        })
        .collect()
}

/// A GraphQL date-time as `YYYY-MM-DDTHH:MM:SSZ`.
pub fn utc(value: &Value) -> String {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("not a time: {value}"));
    chrono::DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("{text}: {e}"))
        .with_timezone(&chrono::Utc)
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

pub fn span(title: &str, start: &str, end: &str) -> (String, String, String) {
    (title.to_owned(), start.to_owned(), end.to_owned())
}
