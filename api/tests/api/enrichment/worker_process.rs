//! The two-box shape: a separate worker process enriches entries.

use super::*;

/// The two-box shape: the separate `englog-worker` process takes
/// enrichment jobs from the low-priority Redis stream.
#[tokio::test]
async fn a_separate_worker_process_enriches_entries() {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(Backend::Postgres, &ollama, |s| {
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let _worker = crate::processes::spawn_worker(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
    );
    let me = app.register("two-box@example.com").await;
    app.create_project(&me.access, "API").await;
    let id = app
        .create_entry(&me.access, json!({ "title": "Paired on the login bug" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let entry = wait_for_suggestions(&app, &me.access, &id).await;
    assert_eq!(field(&entry, "PROJECT").unwrap()["projectName"], "API");
    assert_eq!(ollama.count(ENRICH), 1);
}
