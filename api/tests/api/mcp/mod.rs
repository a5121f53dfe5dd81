//! The MCP server at `/mcp`, driven by the official MCP Python SDK client
//! (PyPI `mcp`, pinned in tools/py-clients/requirements.txt) as an AI
//! assistant's client would: over Streamable HTTP with an API token, and
//! through `englog mcp --stdio`.

mod access;
mod stdio;
mod tools;

use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use tokio::process::Command;

use crate::helpers::TestApp;
use crate::insights::{request, wait_for};

/// An API token of `scope` (READ or READ_WRITE) for the signed-in `session`.
pub(crate) async fn api_token(app: &TestApp, session: &str, scope: &str) -> String {
    let created = app
        .ok(
            "mutation($s: ApiTokenScope!) { createApiToken(input: { name: \"assistant\", scope: $s }) { token } }",
            json!({ "s": scope }),
            session,
        )
        .await;
    created["createApiToken"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// Runs `tools/py-clients/mcp_client.py` (see there) and returns its JSON:
/// the listed tool names and each call's result or JSON-RPC error. Async:
/// the server under test runs on this test's runtime.
pub(crate) async fn mcp_client(kind: &str, target: &str, credential: &str, plan: &Value) -> Value {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/py-clients");
    let site = std::env::var("ENGLOG_TEST_PY_CLIENTS_PATH")
        .map(PathBuf::from)
        .unwrap_or_else(|_| dir.join("site"));
    assert!(
        site.join("mcp").exists(),
        "the MCP Python SDK is not installed in {}: scripts/test installs it",
        site.display()
    );
    let plan_file = tempfile::NamedTempFile::new().expect("temp file");
    std::fs::write(plan_file.path(), plan.to_string()).expect("plan written");
    let output = Command::new("python3")
        .arg("mcp_client.py")
        .args([kind, target, credential])
        .arg(plan_file.path())
        .current_dir(&dir)
        .env("PYTHONPATH", &site)
        .output()
        .await
        .expect("python3 runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "the MCP client failed ({}):\n{stdout}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("client output is not JSON ({e}): {stdout}"))
}

/// The JSON a successful call answered (its first text block).
pub(crate) fn answer(call: &Value) -> Value {
    assert_eq!(call["isError"], false, "the call failed: {call}");
    let text = call["text"][0].as_str().expect("a text block");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

/// The message of a call the tool refused (`isError`).
pub(crate) fn refusal(call: &Value) -> String {
    assert_eq!(
        call["isError"], true,
        "the call should have been refused: {call}"
    );
    call["text"][0].as_str().expect("a message").to_owned()
}

/// A finished weekly report of the week of 2026-03-02 for `session`.
pub(crate) async fn finished_report(app: &TestApp, session: &str) -> String {
    let id = request(app, session, "2026-03-02", "2026-03-08").await;
    wait_for(app, session, &id, "SUCCEEDED", Duration::from_secs(30)).await;
    id
}

pub(crate) fn mcp_url(app: &TestApp) -> String {
    app.url("/mcp")
}
