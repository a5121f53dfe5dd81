//! Acceptance 4: sentiment and skills trends, and the report's energy and
//! growth section.

use super::*;

/// Acceptance 4: sentiment and skills trends for a period, and the weekly
/// report's "Energy and growth" section when (and only when) data exists.
async fn trends_answer_for_a_period_and_the_report_covers_energy_and_growth(backend: Backend) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("trends@example.com").await;
    let mut ids = Vec::new();
    // Europe/Paris: 23:30 UTC on the 2nd is the 3rd locally.
    for (title, start, end) in [
        (
            "Fixed login",
            "2026-03-02T09:00:00Z",
            "2026-03-02T10:00:00Z",
        ),
        ("Late fix", "2026-03-02T23:30:00Z", "2026-03-03T00:15:00Z"),
        (
            "Outside the week",
            "2026-03-20T09:00:00Z",
            "2026-03-20T10:00:00Z",
        ),
    ] {
        let e = app
            .create_entry(
                &me.access,
                json!({ "title": title, "startTime": start, "endTime": end }),
            )
            .await;
        ids.push(e["id"].as_str().unwrap().to_owned());
    }
    for id in &ids {
        wait_for_suggestions(&app, &me.access, id).await;
    }
    let period = json!({ "p": { "from": "2026-03-02", "to": "2026-03-08" } });
    let trend = app
        .ok(
            "query($p: PeriodInput!) { sentimentTrend(period: $p) { date entries averageScore counts { sentiment entries } } skillsTrend(period: $p) { skill entries days { date entries } } }",
            period.clone(),
            &me.access,
        )
        .await;
    assert_eq!(
        trend["sentimentTrend"],
        json!([
            { "date": "2026-03-02", "entries": 1, "averageScore": 0.6,
              "counts": [{ "sentiment": "SATISFIED", "entries": 1 }] },
            { "date": "2026-03-03", "entries": 1, "averageScore": 0.6,
              "counts": [{ "sentiment": "SATISFIED", "entries": 1 }] },
        ])
    );
    assert_eq!(
        trend["skillsTrend"],
        json!([{ "skill": "debugging", "entries": 2, "days": [
            { "date": "2026-03-02", "entries": 1 }, { "date": "2026-03-03", "entries": 1 }
        ] }])
    );
    // Dismissed readings leave the trend.
    app.ok(
        "mutation($id: UUID!) { dismissAllSuggestions(entryId: $id) { id } }",
        json!({ "id": ids[1] }),
        &me.access,
    )
    .await;
    let after = app
        .ok(
            "query($p: PeriodInput!) { sentimentTrend(period: $p) { date } }",
            period,
            &me.access,
        )
        .await;
    assert_eq!(after["sentimentTrend"], json!([{ "date": "2026-03-02" }]));

    let insight = app
        .ok(
            "mutation { requestInsight(input: { reportType: WEEKLY, periodStart: \"2026-03-02\", periodEnd: \"2026-03-08\" }) { id } }",
            json!({}),
            &me.access,
        )
        .await["requestInsight"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let report = wait_for_report(&app, &me.access, &insight).await;
    let prompt = ollama
        .prompts()
        .into_iter()
        .find(|p| p.contains(REPORT))
        .expect("report prompt");
    assert!(prompt.contains("## Energy and growth data"), "{prompt}");
    assert!(prompt.contains("Felt satisfied: 1 activities"), "{prompt}");
    assert!(
        prompt.contains("Skill debugging: exercised in 1 activities [E1]"),
        "{prompt}"
    );
    assert!(prompt.contains("9. Energy and growth"));
    let headings: Vec<&str> = report["sections"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["heading"].as_str().unwrap())
        .collect();
    assert_eq!(headings, vec!["Key accomplishments", "Energy and growth"]);

    // Without readings (enrichment turned off by preference), no section.
    let quiet = app.register("quiet@example.com").await;
    app.ok(
        "mutation { updatePreferences(input: { autoEnrich: false }) { preferences { autoEnrich } } }",
        json!({}),
        &quiet.access,
    )
    .await;
    app.create_entry(&quiet.access, json!({ "title": "Quiet work" }))
        .await;
    let quiet_report = app
        .ok(
            "mutation { requestInsight(input: { reportType: WEEKLY, periodStart: \"2026-03-02\", periodEnd: \"2026-03-08\" }) { id } }",
            json!({}),
            &quiet.access,
        )
        .await["requestInsight"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    wait_for_report(&app, &quiet.access, &quiet_report).await;
    let quiet_prompt = ollama
        .prompts()
        .into_iter()
        .find(|p| p.contains(REPORT) && p.contains("Quiet work"))
        .expect("second report prompt");
    assert!(
        !quiet_prompt.contains("Energy and growth"),
        "{quiet_prompt}"
    );
    assert!(
        !ollama
            .prompts()
            .iter()
            .any(|p| p.contains(ENRICH) && p.contains("Quiet work")),
        "autoEnrich off: no enrichment"
    );
}

on_both_shapes!(trends_answer_for_a_period_and_the_report_covers_energy_and_growth,);
