//! Enriching a period's entries in bulk, with live progress.

use super::*;

/// Bulk: `enrichEntries` for imported history, with progress pushed until
/// every entry is done.
async fn a_period_is_enriched_in_bulk_with_live_progress(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("bulk@example.com").await;
    app.ok(
        "mutation { updatePreferences(input: { autoEnrich: false }) { preferences { autoEnrich } } }",
        json!({}),
        &me.access,
    )
    .await;
    let mut ids = Vec::new();
    for day in 2..=4 {
        let e = app
            .create_entry(
                &me.access,
                json!({ "title": format!("Imported {day}"),
                        "startTime": format!("2026-03-0{day}T09:00:00Z"),
                        "endTime": format!("2026-03-0{day}T10:00:00Z") }),
            )
            .await;
        ids.push(e["id"].as_str().unwrap().to_owned());
    }
    assert_eq!(ollama.count(ENRICH), 0);
    let batch = app
        .ok(
            "mutation { enrichEntries(period: { from: \"2026-03-01\", to: \"2026-03-31\" }) { id total done } }",
            json!({}),
            &me.access,
        )
        .await["enrichEntries"]
        .clone();
    assert_eq!(batch["total"], 3);
    let mut sub = ws::connect(
        app.port(),
        json!({ "Authorization": format!("Bearer {}", me.access) }),
    )
    .await
    .expect("connects");
    sub.subscribe(
        "p",
        "subscription($b: UUID!) { enrichmentProgress(batchId: $b) { done total } }",
        json!({ "b": batch["id"] }),
    )
    .await;
    let mut seen = Vec::new();
    while let Some(payload) = sub.next(Duration::from_secs(30)).await {
        let p = payload["data"]["enrichmentProgress"].clone();
        assert!(!p.is_null(), "{payload}");
        seen.push(p["done"].as_i64().unwrap());
        if p["done"] == p["total"] {
            break;
        }
    }
    assert_eq!(seen.last(), Some(&3), "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0] <= w[1]), "{seen:?}");
    for id in &ids {
        let entry = suggestions_of(&app, &me.access, id).await;
        assert!(field(&entry, "SENTIMENT").is_some(), "{entry}");
    }
    // A second run finds nothing left to do.
    let again = app
        .ok(
            "mutation { enrichEntries(period: { from: \"2026-03-01\", to: \"2026-03-31\" }) { total } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(again["enrichEntries"]["total"], 0);
}

on_both_shapes!(a_period_is_enriched_in_bulk_with_live_progress,);
