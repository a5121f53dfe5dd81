//! Downloads under `/export/…`: entries as CSV (RFC 4180, formula-safe,
//! the list query's filters, streamed page by page), reports as Markdown
//! and as a PDF that poppler reads; each only for its owner.

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Value, json};
use std::process::Command;
use std::time::Duration;

use crate::helpers::{Backend, TestApp, spawn_app_with};
use crate::on_both_backends;

async fn download(app: &TestApp, path: &str, token: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.expect("request sent")
}

/// Header and records of a CSV body, read by a real CSV parser.
fn parse_csv(body: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::ReaderBuilder::new().from_reader(body.as_bytes());
    let header = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.expect("record").iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

async fn csv_of(app: &TestApp, token: &str, query: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let response = download(app, &format!("/export/entries.csv{query}"), Some(token)).await;
    assert_eq!(response.status(), 200);
    parse_csv(&response.text().await.expect("body"))
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).expect("column")
}

/// Commas, quotes and line breaks survive a round trip through a CSV
/// parser; cells a spreadsheet would run as formulas come out inert.
async fn the_entries_csv_is_rfc_4180_and_formula_safe(app: TestApp) {
    let me = app.register("csv@example.com").await;
    let tricky = [
        ("Plain title", None),
        (
            "Lunch, then \"review\"",
            Some("line one\nline two\r\nline three"),
        ),
        (
            "=HYPERLINK(\"http://evil.example\",\"x\")",
            Some("+1 and more"),
        ),
        ("-2+3", Some("@SUM(A1:A2)")),
    ];
    for (i, (title, description)) in tricky.iter().enumerate() {
        app.create_entry(
            &me.access,
            json!({ "title": title, "description": description, "tags": ["rust", "csv"],
                    "startTime": format!("2026-03-0{}T09:00:00Z", i + 2),
                    "endTime": format!("2026-03-0{}T10:00:00Z", i + 2) }),
        )
        .await;
    }
    let response = download(&app, "/export/entries.csv", Some(&me.access)).await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"englog-entries-")
            && disposition.ends_with(".csv\""),
        "{disposition}"
    );
    let body = response.text().await.unwrap();
    assert!(body.starts_with("id,start_time,end_time,duration_minutes,title,description,"));
    assert!(body.ends_with("\r\n"), "records end in CRLF");
    let header_line = body.split('\n').next().unwrap();
    assert!(
        header_line.ends_with("updated_at\r"),
        "the header ends in CRLF"
    );

    let (header, rows) = parse_csv(&body);
    assert_eq!(rows.len(), 4);
    let (title, description, tags) = (
        column(&header, "title"),
        column(&header, "description"),
        column(&header, "tags"),
    );
    // Newest first: the reverse of creation.
    assert_eq!(rows[3][title], "Plain title");
    assert_eq!(rows[2][title], "Lunch, then \"review\"");
    assert_eq!(rows[2][description], "line one\nline two\r\nline three");
    assert_eq!(rows[3][tags], "csv;rust");
    // Formula triggers get a leading apostrophe: text, not a formula.
    assert_eq!(rows[1][title], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    assert_eq!(rows[1][description], "'+1 and more");
    assert_eq!(rows[0][title], "'-2+3");
    assert_eq!(rows[0][description], "'@SUM(A1:A2)");
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "live formula cell {cell:?}"
            );
        }
    }
}

const BULK: &str =
    "mutation($inputs: [CreateLogEntryInput!]!) { bulkCreateLogEntries(inputs: $inputs) { id } }";

/// The download applies the list query's filters and streams past one page.
async fn the_entries_csv_filters_like_the_list_and_spans_pages(app: TestApp) {
    let me = app.register("filters@example.com").await;
    let project = app.create_project(&me.access, "Apollo").await;
    app.create_entry(
        &me.access,
        json!({ "title": "Design review", "activityType": "REVIEW", "projectId": project,
                "tags": ["design"], "valueRating": "HIGH", "impactLevel": "COMPANY",
                "startTime": "2026-04-01T09:00:00Z", "endTime": "2026-04-01T10:00:00Z" }),
    )
    .await;
    app.create_entry(
        &me.access,
        json!({ "title": "Standup", "activityType": "MEETING",
                "startTime": "2026-04-02T09:00:00Z", "endTime": "2026-04-02T09:15:00Z" }),
    )
    .await;
    // 150 more in March: the export needs two pages of the list query.
    for batch in 0..2 {
        let inputs: Vec<Value> = (0..75)
            .map(|i| {
                let day = 1 + (batch * 75 + i) / 10;
                let hour = (batch * 75 + i) % 10 + 8;
                json!({ "title": format!("Bulk {batch}-{i}"), "activityType": "CODE",
                        "startTime": format!("2026-03-{day:02}T{hour:02}:00:00Z"),
                        "endTime": format!("2026-03-{day:02}T{hour:02}:30:00Z") })
            })
            .collect();
        app.ok(BULK, json!({ "inputs": inputs }), &me.access).await;
    }

    let (header, all) = csv_of(&app, &me.access, "").await;
    assert_eq!(all.len(), 152);
    let ids: std::collections::HashSet<&String> = all.iter().map(|r| &r[0]).collect();
    assert_eq!(ids.len(), 152, "no entry twice across pages");
    let title = column(&header, "title");

    let cases = [
        (
            format!("?projectId={project}"),
            json!({ "projectId": project }),
        ),
        (
            "?types=REVIEW,meeting".into(),
            json!({ "types": ["REVIEW", "MEETING"] }),
        ),
        ("?tags=design".into(), json!({ "tags": ["design"] })),
        (
            "?valueRatings=HIGH&impactLevels=COMPANY".into(),
            json!({ "valueRatings": ["HIGH"], "impactLevels": ["COMPANY"] }),
        ),
        ("?search=STAND".into(), json!({ "search": "STAND" })),
        (
            "?from=2026-04-01T00:00:00Z&to=2026-04-02T00:00:00Z".into(),
            json!({ "from": "2026-04-01T00:00:00Z", "to": "2026-04-02T00:00:00Z" }),
        ),
    ];
    for (query, filter) in cases {
        let (_, rows) = csv_of(&app, &me.access, &query).await;
        let titles: Vec<String> = rows.iter().map(|r| r[title].clone()).collect();
        assert_eq!(
            titles,
            app.entry_titles(&me.access, filter).await,
            "{query}"
        );
        assert!(!titles.is_empty(), "{query} selects something");
    }

    // A bad filter is a 400 naming the parameter, not a broken download.
    let response = download(&app, "/export/entries.csv?types=NAPPING", Some(&me.access)).await;
    assert_eq!(response.status(), 400);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["code"], "VALIDATION");
    assert_eq!(body["field"], "types");
}

/// Downloads need a credential; a read-only API token is enough; nobody
/// sees another user's entries.
async fn downloads_need_credentials_and_stay_with_their_owner(app: TestApp) {
    let me = app.register("owner@example.com").await;
    let other = app.register("other@example.com").await;
    app.create_entry(&me.access, json!({ "title": "Mine only" }))
        .await;
    assert_eq!(
        download(&app, "/export/entries.csv", None).await.status(),
        401
    );
    assert_eq!(
        download(&app, "/export/entries.csv", Some("not-a-token"))
            .await
            .status(),
        401
    );
    let data = app
        .ok(
            "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
            json!({ "input": { "name": "sheet", "scope": "READ" } }),
            &me.access,
        )
        .await;
    let token = data["createApiToken"]["token"].as_str().unwrap();
    let (_, rows) = csv_of(&app, token, "").await;
    assert_eq!(rows.len(), 1);
    let (_, theirs) = csv_of(&app, &other.access, "").await;
    assert!(
        theirs.is_empty(),
        "another user's export is empty: {theirs:?}"
    );
}

on_both_backends!(
    the_entries_csv_is_rfc_4180_and_formula_safe,
    the_entries_csv_filters_like_the_list_and_spans_pages,
    downloads_need_credentials_and_stay_with_their_owner,
);

/// Words for the long report's filler: varied, so the quality gate sees
/// prose rather than a loop.
const FILLER: [&str; 24] = [
    "rollout",
    "latency",
    "refund",
    "review",
    "retry",
    "budget",
    "incident",
    "schema",
    "cache",
    "deploy",
    "alert",
    "runbook",
    "index",
    "queue",
    "worker",
    "payment",
    "login",
    "session",
    "metric",
    "trace",
    "backfill",
    "migration",
    "flag",
    "dashboard",
];

fn report_text() -> Vec<String> {
    let mut text = String::from(
        "# Überprüfung — 評価\n\n## Key accomplishments\n- Shipped the **login flow** to *every* customer [E1]\n- Kept the outage short [E2]\n\n## Details\n",
    );
    // Long enough to need a second page.
    for n in 1..=60usize {
        let words: Vec<&str> = (0..9)
            .map(|i| FILLER[(n * 7 + i * i * 5 + i * 3) % FILLER.len()])
            .collect();
        text.push_str(&format!("Paragraph {n}: {}.\n\n", words.join(" ")));
    }
    text.split_inclusive(' ').map(str::to_owned).collect()
}

fn run(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{tool} (poppler-utils; scripts/test installs it): {e}"));
    assert!(
        output.status.success(),
        "{tool} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A succeeded report downloads as Markdown and as a PDF that poppler
/// opens and reads; unfinished and foreign reports are 404.
#[tokio::test]
async fn a_report_exports_as_markdown_and_as_a_readable_pdf() {
    let ollama = FakeOllama::start(vec![
        Reply::Stream {
            chunks: report_text(),
            gap: Duration::ZERO,
        },
        Reply::ModelMissing,
    ])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let me = app.register("reports@example.com").await;
    for (i, title) in ["Shipped login", "Outage call"].iter().enumerate() {
        app.create_entry(
            &me.access,
            json!({ "title": title, "startTime": format!("2026-03-0{}T09:00:00Z", i + 2),
                    "endTime": format!("2026-03-0{}T10:00:00Z", i + 2) }),
        )
        .await;
    }
    let id = app
        .report_in_status(&me.access, "2026-03-02", "SUCCEEDED")
        .await;

    let md = download(&app, &format!("/export/reports/{id}.md"), Some(&me.access)).await;
    assert_eq!(md.status(), 200);
    assert_eq!(
        md.headers()["content-disposition"],
        "attachment; filename=\"englog-weekly-report-2026-03-02.md\""
    );
    let md = md.text().await.unwrap();
    assert!(md.starts_with("# Weekly report\n"), "{md}");
    assert!(md.contains("**Period:** 2026-03-02 to 2026-03-08"));
    assert!(md.contains("Shipped the **login flow** to *every* customer [E1]"));
    // Each marker resolved to its entry's local date and title.
    assert!(md.contains("## Sources"));
    assert!(md.contains("- [E1] 2026-03-02 — Shipped login"), "{md}");
    assert!(md.contains("- [E2] 2026-03-03 — Outage call"), "{md}");
    // How the report was made stays out of the document.
    for diagnostic in [
        "Prompt layer",
        "Estimated prompt tokens",
        "Invented citations",
        "Generation ms",
        "Model:",
    ] {
        assert!(!md.contains(diagnostic), "{diagnostic} in {md}");
    }
    // Metrics as tables.
    assert!(md.contains("## Metrics"));
    assert!(md.contains("| Total minutes | 120 |"), "{md}");
    assert!(md.contains("### Minutes by type"));

    let pdf = download(&app, &format!("/export/reports/{id}.pdf"), Some(&me.access)).await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.pdf");
    std::fs::write(&path, &bytes).unwrap();
    let path = path.to_str().unwrap();
    let info = run("pdfinfo", &[path]);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .map(|n| n.trim().parse().unwrap())
        .expect("page count");
    assert!(pages >= 2, "a long report spans pages: {info}");
    assert!(info.contains("Weekly report"), "{info}");
    let text = run("pdftotext", &["-layout", path, "-"]);
    assert!(text.contains("Weekly report"), "{text}");
    assert!(text.contains("Period: 2026-03-02 to 2026-03-08"));
    // Any script survives: the embedded fonts map every glyph back to text.
    assert!(text.contains("Überprüfung — 評価"), "{text}");
    // Emphasis is rendered, not printed as Markdown.
    assert!(
        text.contains("Shipped the login flow to every customer"),
        "{text}"
    );
    assert!(!text.contains('*') && !text.contains("##"), "{text}");
    // A Sources line per cited marker.
    assert!(text.contains("[E1] 2026-03-02 — Shipped login"), "{text}");
    assert!(text.contains("[E2] 2026-03-03 — Outage call"), "{text}");
    for diagnostic in [
        "Prompt layer",
        "Estimated prompt tokens",
        "Invented citations",
        "Generation ms",
    ] {
        assert!(!text.contains(diagnostic), "{diagnostic} in {text}");
    }
    assert!(text.contains("Total minutes"));
    assert!(text.contains(&format!("Page 1 of {pages}")));
    assert!(text.contains(&format!("Page {pages} of {pages}")));

    // Another user's report is not found, in either format.
    let other = app.register("nosy@example.com").await;
    for ext in ["md", "pdf"] {
        let path = format!("/export/reports/{id}.{ext}");
        assert_eq!(
            download(&app, &path, Some(&other.access)).await.status(),
            404
        );
        assert_eq!(download(&app, &path, None).await.status(), 401);
    }
    // A report that failed has nothing to export.
    let failed = app
        .report_in_status(&me.access, "2026-03-09", "FAILED")
        .await;
    let response = download(
        &app,
        &format!("/export/reports/{failed}.md"),
        Some(&me.access),
    )
    .await;
    assert_eq!(response.status(), 404);
    assert_eq!(
        download(&app, "/export/reports/not-a-uuid.pdf", Some(&me.access))
            .await
            .status(),
        404
    );
}
