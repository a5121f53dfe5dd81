//! The report page says what the quality gate found: the warnings of a
//! report it let through (and, folded away, how the report was made), and
//! the reason a refused report failed.

use std::time::Duration;

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;

use super::session::{restore_session, tokens};
use super::{capture, open_web_page};
use crate::helpers::{Backend, spawn_app_with};
use crate::webdriver::WAIT;

/// Complete and cited, but thin: one section where a weekly report has
/// several, which the gate lets through with a warning.
const THIN_REPORT: &str = "## Key accomplishments\n\
- Shipped the new login flow to every customer after two weeks of careful rollout work [E1]\n\
- Kept the payments outage short by finding the misconfigured retry budget quickly [E2]\n\
- Both changes went out behind flags and were watched on the dashboards all week [E1, E2]\n";

fn looping_report() -> String {
    format!("## Key accomplishments\n{}", "high value, ".repeat(120))
}

fn chunks(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

#[tokio::test]
async fn the_report_page_shows_the_gates_warnings_and_why_a_report_was_refused() {
    let ollama = FakeOllama::start(vec![
        Reply::Stream {
            chunks: chunks(THIN_REPORT),
            gap: Duration::ZERO,
        },
        // The loop, then the stricter retry loops again: refused.
        Reply::Stream {
            chunks: chunks(&looping_report()),
            gap: Duration::ZERO,
        },
    ])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let me = app.register("quality@example.com").await;
    for (day, title) in [(2, "Shipped login"), (3, "Outage call")] {
        app.create_entry(
            &me.access,
            json!({ "title": title, "startTime": format!("2026-03-0{day}T09:00:00Z"),
                    "endTime": format!("2026-03-0{day}T10:00:00Z") }),
        )
        .await;
    }
    let warned = app
        .report_in_status(&me.access, "2026-03-02", "SUCCEEDED")
        .await;
    let refused = app
        .report_in_status(&me.access, "2026-03-02", "FAILED")
        .await;
    assert_eq!(
        ollama.prompts().len(),
        3,
        "the refused report was tried twice"
    );

    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;

    browser
        .goto(&app.url(&format!("/#/reports/{warned}")))
        .await;
    browser
        .wait_for_text_containing("#report-status", "Succeeded", WAIT)
        .await;
    let warning = browser
        .wait_for_text_containing("#report-warnings", "section", WAIT)
        .await;
    assert!(
        warning.contains("Check this report before you share it"),
        "{warning}"
    );
    assert!(
        browser.find_all("#report-reason").await.is_empty(),
        "a succeeded report shows no failure"
    );
    // How it was made is there, folded away.
    browser.click("#report-details summary").await;
    browser
        .wait_for_text_containing("#report-details", "Stopped because", WAIT)
        .await;
    capture(&browser, "report-warnings").await;

    browser
        .goto(&app.url(&format!("/#/reports/{refused}")))
        .await;
    browser
        .wait_for_text_containing("#report-status", "Failed", WAIT)
        .await;
    let reason = browser
        .wait_for_text_containing("#report-reason", "quality check", WAIT)
        .await;
    assert!(reason.contains("repeats itself"), "{reason}");
    assert!(
        browser.find_all("#export-pdf").await.is_empty(),
        "a refused report has nothing to download"
    );
    assert!(
        browser.find_all("#report-content").await.is_empty(),
        "no empty text card for a report without text"
    );
    capture(&browser, "report-refused").await;
}
