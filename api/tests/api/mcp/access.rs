//! Who may use `/mcp`: a valid token, only its owner's data, writes only
//! with a read-write token, and only under this server's own host name.

use reqwest::StatusCode;
use serde_json::json;

use super::{answer, api_token, mcp_client, mcp_url, refusal};
use crate::helpers::{Backend, spawn_app_with};
use crate::insights::seed_week;

#[tokio::test]
async fn tokens_see_only_their_owner_and_read_only_tokens_cannot_log() {
    let app = spawn_app_with(Backend::Postgres, |_| {}).await;
    let alice = app.register("alice-mcp@example.com").await;
    let bob = app.register("bob-mcp@example.com").await;
    let alice_entries = seed_week(&app, &alice.access, "alice-secret").await;
    let alice_reader = api_token(&app, &alice.access, "READ").await;
    let bob_token = api_token(&app, &bob.access, "READ_WRITE").await;

    let read_only = mcp_client(
        "http",
        &mcp_url(&app),
        &alice_reader,
        &json!([
            { "tool": "search_entries", "args": {} },
            { "tool": "log_entry", "args": { "title": "Should not exist" } },
        ]),
    )
    .await;
    assert!(
        !read_only["tools"].to_string().contains("log_entry"),
        "{}",
        read_only["tools"]
    );
    assert_eq!(
        answer(&read_only["calls"][0])["entries"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(refusal(&read_only["calls"][1]).contains("read-only"));

    let bob_sees = mcp_client(
        "http",
        &mcp_url(&app),
        &bob_token,
        &json!([
            { "tool": "search_entries", "args": { "text": "alice-secret" } },
            { "tool": "get_entry", "args": { "id": alice_entries[0] } },
            { "tool": "period_summary", "args": { "from": "2026-03-02", "to": "2026-03-08" } },
            { "tool": "list_reports", "args": {} },
        ]),
    )
    .await;
    let calls = &bob_sees["calls"];
    assert_eq!(answer(&calls[0])["entries"], json!([]));
    let not_found = refusal(&calls[1]);
    assert!(!not_found.contains("alice"), "{not_found}");
    assert_eq!(answer(&calls[2])["totals"]["entryCount"], 0);
    assert_eq!(answer(&calls[3])["reports"], json!([]));

    let titles = app.entry_titles(&alice.access, json!({})).await;
    assert!(
        !titles.iter().any(|t| t == "Should not exist"),
        "{titles:?}"
    );
}

#[tokio::test]
async fn no_token_a_bad_token_or_a_foreign_host_is_refused() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let http = reqwest::Client::new();
    let initialize = json!({ "jsonrpc": "2.0", "id": 1, "method": "initialize",
        "params": { "protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": { "name": "t", "version": "1" } } });
    let post = |token: Option<&str>| {
        let mut req = http
            .post(mcp_url(&app))
            .header("accept", "application/json, text/event-stream")
            .json(&initialize);
        if let Some(token) = token {
            req = req.bearer_auth(token);
        }
        req.send()
    };

    let none = post(None).await.expect("answer");
    assert_eq!(none.status(), StatusCode::UNAUTHORIZED);
    let challenge = none.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(challenge.starts_with("Bearer"), "{challenge}");

    let forged = post(Some("elg_not-a-real-token")).await.expect("answer");
    assert_eq!(forged.status(), StatusCode::UNAUTHORIZED);
    assert!(
        forged.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );

    let me = app.register("host@example.com").await;
    let token = api_token(&app, &me.access, "READ").await;
    let rebound = http
        .post(mcp_url(&app))
        .header("host", "attacker.example")
        .header("accept", "application/json, text/event-stream")
        .bearer_auth(&token)
        .json(&initialize)
        .send()
        .await
        .expect("answer");
    assert_eq!(rebound.status(), StatusCode::FORBIDDEN);

    let evil_origin = http
        .post(mcp_url(&app))
        .header("origin", "https://attacker.example")
        .header("accept", "application/json, text/event-stream")
        .bearer_auth(&token)
        .json(&initialize)
        .send()
        .await
        .expect("answer");
    assert_eq!(evil_origin.status(), StatusCode::FORBIDDEN);

    let fine = post(Some(&token)).await.expect("answer");
    assert_eq!(fine.status(), StatusCode::OK, "{:?}", fine.text().await);
}
