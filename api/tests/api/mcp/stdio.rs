//! `englog mcp --stdio`: a desktop assistant that only starts programs
//! reaches the same tools through the command line client's stored login.

use serde_json::json;
use std::process::Stdio;
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use super::{answer, api_token, mcp_client};
use crate::helpers::{Backend, spawn_app_with};
use crate::insights::seed_week;

#[tokio::test]
async fn the_stdio_bridge_lists_and_calls_the_tools() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = app.register("stdio@example.com").await;
    seed_week(&app, &me.access, "bridge").await;
    let token = api_token(&app, &me.access, "READ_WRITE").await;
    let home = tempfile::tempdir().expect("temp dir");
    let englog = env!("CARGO_BIN_EXE_englog");

    let mut login = Command::new(englog)
        .args(["login", "--server", &app.address, "--token-stdin"])
        .env("XDG_CONFIG_HOME", home.path())
        .env("HOME", home.path())
        .env_remove("ENGLOG_SERVER")
        .env_remove("ENGLOG_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("englog login starts");
    let mut stdin = login.stdin.take().expect("stdin");
    stdin
        .write_all(format!("{token}\n").as_bytes())
        .await
        .expect("token written");
    drop(stdin);
    let done = login.wait_with_output().await.expect("englog login ends");
    assert!(
        done.status.success(),
        "login failed: {}",
        String::from_utf8_lossy(&done.stderr)
    );

    let home_dir = home.path().to_str().expect("utf-8 path");
    let out = mcp_client(
        "stdio",
        englog,
        home_dir,
        &json!([
            { "tool": "search_entries", "args": { "text": "bridge" } },
            { "tool": "log_entry", "args": { "title": "Logged over stdio", "duration_minutes": 15 } },
            { "tool": "get_entry", "args": { "id": "00000000-0000-7000-8000-000000000000" } },
        ]),
    )
    .await;
    assert_eq!(
        out["tools"],
        json!([
            "get_entry",
            "get_report",
            "list_reports",
            "log_entry",
            "period_summary",
            "search_entries"
        ])
    );
    let calls = &out["calls"];
    assert_eq!(answer(&calls[0])["entries"].as_array().unwrap().len(), 3);
    assert_eq!(answer(&calls[1])["draft"], true);
    assert_eq!(calls[2]["isError"], true, "{}", calls[2]);
    assert_eq!(
        app.entry_titles(&me.access, json!({ "draft": true })).await,
        ["Logged over stdio"]
    );
}
