//! `englog report weekly --follow`: the report's text streamed to the
//! terminal as the (fake) model writes it, and the reason when it fails.

use englog_worker::fake_ollama::{FakeOllama, Reply};
use std::time::Duration;

use super::logged_in;
use crate::helpers::{Backend, spawn_app_with};

/// A weekly report the quality check lets through for three entries:
/// three sections, each statement citing one of them.
fn weekly_text() -> Vec<String> {
    "## Key accomplishments\n- Shipped the login flow for the mobile app [E1]\n- Unblocked the team during the checkout outage [E2]\n## Challenges\n- The migration guide took longer than planned [E3]\n## Next\n- Roll the login flow out to every customer [E1]\n"
        .split_inclusive(' ')
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn following_a_weekly_report_prints_its_text_and_exits_0() {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: weekly_text(),
        gap: Duration::from_millis(20),
    }])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let (englog, _me) = logged_in(&app, "cli-report@example.com").await;
    for (day, title) in [
        ("02", "Shipped login #auth"),
        ("03", "Outage call ~meeting"),
        ("04", "Migration guide ~docs"),
    ] {
        let start = format!("2026-03-{day} 09:00");
        englog
            .run(&["log", title, "--start", &start, "-d", "1h"], "")
            .await
            .ok();
    }

    let run = englog
        .run(
            &[
                "report",
                "weekly",
                "--period",
                "2026-03-02..2026-03-08",
                "--follow",
            ],
            "",
        )
        .await;
    assert_eq!(run.code, 0, "{run}");
    assert!(run.stdout.starts_with("## Key accomplishments"), "{run}");
    assert!(run.stdout.contains("Shipped the login flow"), "{run}");
    assert!(run.stdout.contains("## Next"), "{run}");
    assert!(ollama.prompts()[0].contains("Migration guide"));

    // Without --follow: the id and status, at once; the default period.
    let queued = englog.run(&["report", "daily", "--json"], "").await.json();
    assert!(queued["id"].is_string(), "{queued}");
    assert_eq!(queued["reportType"], "DAILY");
    assert_eq!(queued["periodStart"], queued["periodEnd"]);
}

#[tokio::test]
async fn a_failing_model_ends_the_follow_with_the_reason_and_exit_code_5() {
    let ollama = FakeOllama::start(vec![Reply::Status(500, "GPU fell off the bus".into())]).await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.reports.ollama_url = url).await;
    let (englog, _me) = logged_in(&app, "cli-report-fail@example.com").await;
    englog.run(&["log", "Shipped login -1h"], "").await.ok();

    let run = englog.run(&["report", "weekly", "--follow"], "").await;
    assert_eq!(run.code, 5, "{run}");
    assert!(run.stderr.contains("GPU fell off the bus"), "{run}");
    assert!(run.stderr.contains("failed"), "{run}");
}
