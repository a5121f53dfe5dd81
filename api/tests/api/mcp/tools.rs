//! Every tool over Streamable HTTP, answering with the caller's own data,
//! and bad input refused without writing anything.

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;
use std::time::Duration;

use super::{answer, api_token, finished_report, mcp_client, mcp_url, refusal};
use crate::helpers::{Backend, spawn_app_with};
use crate::insights::{report_text, seed_week};

#[tokio::test]
async fn an_assistant_reads_and_logs_through_every_tool() {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: report_text(),
        gap: Duration::ZERO,
    }])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let me = app.register("assistant@example.com").await;
    let week = seed_week(&app, &me.access, "mcp").await;
    let project = app.create_project(&me.access, "Payments API").await;
    let refund = app
        .create_entry(
            &me.access,
            json!({ "title": "Refund idempotency keys", "description": "Designed the keys with Sam.\nSecond line.",
                    "projectId": project, "tags": ["refunds"], "valueRating": "HIGH", "impactLevel": "COMPANY",
                    "activityType": "PLANNING",
                    "startTime": "2026-03-04T13:00:00Z", "endTime": "2026-03-04T15:00:00Z" }),
        )
        .await;
    let refund_id = refund["id"].as_str().unwrap().to_owned();
    let report = finished_report(&app, &me.access).await;
    let token = api_token(&app, &me.access, "READ_WRITE").await;

    let plan = json!([
        { "tool": "search_entries", "args": { "text": "idempotency" } },
        { "tool": "search_entries", "args": { "from": "2026-03-02", "to": "2026-03-08", "project": "payments api", "limit": 5 } },
        { "tool": "search_entries", "args": { "from": "2026-03-02", "to": "2026-03-08", "limit": 2 } },
        { "tool": "get_entry", "args": { "id": refund_id } },
        { "tool": "period_summary", "args": { "from": "2026-03-02", "to": "2026-03-08" } },
        { "tool": "list_reports", "args": {} },
        { "tool": "get_report", "args": { "id": report } },
        { "tool": "log_entry", "args": { "title": "Paired with Sam on refunds", "duration_minutes": 60, "tags": ["pairing"], "impact": "team" } },
        { "tool": "period_summary", "args": { "from": "2016-01-01", "to": "2026-01-01" } },
        { "tool": "get_entry", "args": { "id": "not-a-uuid" } },
        { "tool": "search_entries", "args": { "limit": "many" } },
        { "tool": "search_entries", "args": { "limit": 500 } },
        { "tool": "log_entry", "args": { "title": "", "project": "Nope" } },
        { "tool": "drop_everything", "args": {} },
    ]);
    let out = mcp_client("http", &mcp_url(&app), &token, &plan).await;
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
    assert_eq!(out["schemas"]["search_entries"]["type"], "object");
    assert!(
        out["schemas"]["log_entry"]["required"]
            .to_string()
            .contains("title")
    );
    let calls = out["calls"].as_array().expect("calls");

    // search_entries: by text, by period and project, paginated.
    let by_text = answer(&calls[0]);
    assert_eq!(by_text["entries"].as_array().unwrap().len(), 1);
    let found = &by_text["entries"][0];
    assert_eq!(found["id"], refund_id.as_str());
    assert_eq!(found["project"], "Payments API");
    assert_eq!(found["tags"], json!(["refunds"]));
    assert_eq!(
        (
            found["type"].as_str(),
            found["value"].as_str(),
            found["impact"].as_str()
        ),
        (Some("planning"), Some("high"), Some("company"))
    );
    assert_eq!(
        found["start"], "2026-03-04T14:00:00+01:00",
        "local time, Paris"
    );
    assert_eq!(found["minutes"], 120);
    assert_eq!(by_text["timezone"], "Europe/Paris");
    let by_project = answer(&calls[1]);
    assert_eq!(by_project["entries"].as_array().unwrap().len(), 1);
    let first_page = answer(&calls[2]);
    assert_eq!(first_page["entries"].as_array().unwrap().len(), 2);
    assert!(first_page["nextCursor"].is_string(), "{first_page}");

    // get_entry: whole notes.
    let entry = answer(&calls[3]);
    assert_eq!(entry["notes"], "Designed the keys with Sam.\nSecond line.");

    // period_summary: 3 one-hour entries + 2 hours of planning.
    let summary = answer(&calls[4]);
    assert_eq!(summary["totals"]["entryCount"], 4);
    assert_eq!(summary["totals"]["minutes"], 300);
    assert_eq!(
        summary["byType"][0],
        json!({ "type": "code", "hours": 3.0, "percentage": 60.0, "entries": 3 })
    );
    assert!(summary["byProject"].to_string().contains("Payments API"));
    assert!(
        summary["valueImpact"]
            .to_string()
            .contains(r#""impact":"company","value":"high""#)
            || summary["valueImpact"]
                .to_string()
                .contains(r#""value":"high","impact":"company""#),
        "{}",
        summary["valueImpact"]
    );
    let top: Vec<&str> = summary["topEntries"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["title"].as_str())
        .collect();
    assert_eq!(top, ["Refund idempotency keys", "Shipped login mcp"]);

    // list_reports and get_report: the Markdown with its sources resolved.
    let reports = answer(&calls[5]);
    assert_eq!(reports["reports"][0]["id"], report.as_str());
    assert_eq!(reports["reports"][0]["status"], "succeeded");
    let markdown = calls[6]["text"][0].as_str().expect("markdown");
    assert!(
        markdown.contains("Shipped the login flow [E1]"),
        "{markdown}"
    );
    assert!(
        markdown.contains("Shipped login mcp"),
        "sources name the cited entry: {markdown}"
    );
    let details: serde_json::Value =
        serde_json::from_str(calls[6]["text"][1].as_str().unwrap()).unwrap();
    assert!(
        details["sources"].to_string().contains(&week[0]),
        "{details}"
    );

    // log_entry: a draft, 60 minutes, ending now.
    let logged = answer(&calls[7]);
    assert_eq!(logged["draft"], true);
    assert_eq!(logged["minutes"], 60);
    assert_eq!(logged["impact"], "team");
    assert_eq!(logged["type"], "code");

    // Bad input: refused with a reason the model can act on.
    assert!(refusal(&calls[8]).contains("731 days"));
    assert!(refusal(&calls[9]).to_lowercase().contains("uuid"));
    refusal(&calls[10]);
    assert!(refusal(&calls[11]).contains("limit"));
    assert!(refusal(&calls[12]).contains("Nope"));
    assert_eq!(
        calls[13]["error"]["code"], -32602,
        "unknown tool: {}",
        calls[13]
    );

    // Exactly one entry was written, as a draft.
    let drafts = app.entry_titles(&me.access, json!({ "draft": true })).await;
    assert_eq!(drafts, ["Paired with Sam on refunds"]);
    assert_eq!(app.entry_titles(&me.access, json!({})).await.len(), 5);
}
