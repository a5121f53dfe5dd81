//! Acceptance 3: rapid edits of one entry coalesce into few runs.

use super::*;

/// Acceptance 3: ten rapid edits of one entry cost at most two model runs,
/// and the suggestions kept are for the final text.
async fn ten_rapid_edits_cause_at_most_two_enrichment_runs(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    // Edits arrive well within the debounce, however slow the machine.
    let app = app(backend, &ollama, |s| {
        s.reports.enrichment_debounce_ms = 1_500
    })
    .await;
    let me = app.register("edits@example.com").await;
    let id = app
        .create_entry(&me.access, json!({ "title": "Draft 0" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for n in 1..=10 {
        app.ok(
            UPDATE,
            json!({ "id": id, "i": { "title": format!("Draft {n}") } }),
            &me.access,
        )
        .await;
    }
    // An edit that leaves the text alone asks for nothing.
    app.ok(
        UPDATE,
        json!({ "id": id, "i": { "valueRating": "HIGH" } }),
        &me.access,
    )
    .await;
    // Suggestions are stored only for the entry's current text, so once
    // they exist the run for "Draft 10" has happened.
    let entry = wait_for_suggestions(&app, &me.access, &id).await;
    assert_eq!(entry["title"], "Draft 10");
    let runs: Vec<String> = ollama
        .prompts()
        .into_iter()
        .filter(|p| p.contains(ENRICH))
        .collect();
    assert!(
        (1..=2).contains(&runs.len()),
        "{} runs for ten edits",
        runs.len()
    );
    assert!(runs.last().unwrap().contains("Title: Draft 10"));
}

on_both_shapes!(ten_rapid_edits_cause_at_most_two_enrichment_runs,);
