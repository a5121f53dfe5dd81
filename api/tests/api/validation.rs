//! Bad input gets a VALIDATION error (or HTTP 400) naming the field, and
//! nothing is written.

use serde_json::json;

use crate::helpers::{CREATE_ENTRY, TestApp, error_code, error_field};
use crate::on_both_backends;

fn entry(overrides: serde_json::Value) -> serde_json::Value {
    let mut base = json!({
        "title": "Valid", "activityType": "CODE",
        "startTime": "2026-05-01T09:00:00Z", "endTime": "2026-05-01T10:00:00Z",
    });
    for (k, v) in overrides.as_object().unwrap() {
        base[k] = v.clone();
    }
    base
}

async fn invalid_entries_are_refused_with_the_field_named(app: TestApp) {
    let me = app.register("strict@example.com").await;
    let cases = [
        (json!({ "title": "t".repeat(201) }), "title"),
        (json!({ "title": "   " }), "title"),
        (json!({ "description": "d".repeat(2001) }), "description"),
        (json!({ "endTime": "2026-05-01T09:00:00Z" }), "endTime"),
        (json!({ "endTime": "2026-05-01T08:00:00Z" }), "endTime"),
        (json!({ "endTime": "2026-05-03T08:00:00Z" }), "endTime"),
        (json!({ "tags": ["has space!"] }), "tags"),
    ];
    for (overrides, field) in cases {
        let body = app
            .graphql(
                CREATE_ENTRY,
                json!({ "input": entry(overrides.clone()) }),
                Some(&me.access),
            )
            .await;
        assert_eq!(error_code(&body), "VALIDATION", "{overrides}: {body}");
        assert_eq!(error_field(&body), field, "{overrides}: {body}");
        assert!(body["data"].is_null(), "{body}");
    }
    // Limits are inclusive: exactly 200 and 2,000 characters pass.
    app.create_entry(
        &me.access,
        entry(json!({ "title": "t".repeat(200), "description": "d".repeat(2000) })),
    )
    .await;
    assert_eq!(
        app.entry_titles(&me.access, json!({})).await.len(),
        1,
        "only the valid entry"
    );
}

async fn unknown_enum_values_are_validation_errors(app: TestApp) {
    let me = app.register("enum@example.com").await;
    let body = app
        .graphql(
            CREATE_ENTRY,
            json!({ "input": entry(json!({ "activityType": "NAPPING" })) }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&body), "VALIDATION");
    let message = body["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("activityType"),
        "names the field: {message}"
    );
    let inline = app
        .graphql(
            "{ logEntries(filter: { types: [NAPPING] }) { edges { cursor } } }",
            json!({}),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&inline), "VALIDATION");
    assert!(app.entry_titles(&me.access, json!({})).await.is_empty());
}

async fn bad_cursors_and_page_sizes_are_refused(app: TestApp) {
    let me = app.register("cursor@example.com").await;
    for (vars, field) in [
        (json!({ "after": "bm90LWEtY3Vyc29y" }), "after"),
        (json!({ "after": "%%%" }), "after"),
        (json!({ "first": 0 }), "first"),
        (json!({ "first": 101 }), "first"),
    ] {
        let body = app
            .graphql(
                "query($first: Int, $after: String) { logEntries(first: $first, after: $after) { edges { cursor } } }",
                vars.clone(),
                Some(&me.access),
            )
            .await;
        assert_eq!(error_code(&body), "VALIDATION", "{vars}: {body}");
        assert_eq!(error_field(&body), field, "{vars}: {body}");
    }
}

async fn timezones_must_be_iana_names(app: TestApp) {
    let me = app.register("tz@example.com").await;
    const UPDATE: &str =
        "mutation($tz: String) { updateProfile(input: { timezone: $tz }) { timezone } }";
    let bad = app
        .graphql(UPDATE, json!({ "tz": "Europe/Atlantis" }), Some(&me.access))
        .await;
    assert_eq!(error_code(&bad), "VALIDATION");
    assert_eq!(error_field(&bad), "timezone");
    let me_now = app.ok("{ me { timezone } }", json!({}), &me.access).await;
    assert_eq!(me_now["me"]["timezone"], "Europe/Paris", "unchanged");
    let good = app
        .ok(UPDATE, json!({ "tz": "America/Sao_Paulo" }), &me.access)
        .await;
    assert_eq!(good["updateProfile"]["timezone"], "America/Sao_Paulo");
}

async fn malformed_requests_get_http_400(app: TestApp) {
    let me = app.register("raw@example.com").await;
    let malformed = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&me.access)
        .header("content-type", "application/json")
        .body("{\"query\": \"{ me { id } }\"")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);

    // Batches would multiply every limit; they are refused.
    let batch = app
        .client
        .post(app.url("/graphql"))
        .bearer_auth(&me.access)
        .json(&json!([{ "query": "{ me { id } }" }, { "query": "{ me { id } }" }]))
        .send()
        .await
        .unwrap();
    assert_eq!(batch.status(), 400);

    let syntax = app.graphql("{ me { id ", json!({}), Some(&me.access)).await;
    assert_eq!(error_code(&syntax), "VALIDATION");
}

async fn queries_beyond_the_depth_limit_are_refused(app: TestApp) {
    let me = app.register("deep@example.com").await;
    // Introspection lets a query nest arbitrarily deep; its own bound (20
    // levels, enough for the standard introspection query) stops it.
    let of_type = "ofType { ".repeat(20);
    let close = "} ".repeat(20);
    let deep_introspection =
        format!("{{ __schema {{ types {{ fields {{ type {{ {of_type} name {close} }} }} }} }} }}");
    // A data query 13 levels deep (me, 11 inline fragments, id): inline
    // fragments count as levels.
    let deep_data = format!(
        "{{ me {{ {} id {} }} }}",
        "... on User { ".repeat(11),
        "} ".repeat(11)
    );
    for deep in [deep_introspection, deep_data] {
        let body = app.graphql(&deep, json!({}), Some(&me.access)).await;
        assert_eq!(error_code(&body), "VALIDATION", "{body}");
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap()
                .contains("nested too deep"),
            "{body}"
        );
    }
    // One level less is fine.
    let at_the_limit = format!(
        "{{ me {{ {} id {} }} }}",
        "... on User { ".repeat(10),
        "} ".repeat(10)
    );
    app.ok(&at_the_limit, json!({}), &me.access).await;
}

on_both_backends!(
    invalid_entries_are_refused_with_the_field_named,
    unknown_enum_values_are_validation_errors,
    bad_cursors_and_page_sizes_are_refused,
    timezones_must_be_iana_names,
    malformed_requests_get_http_400,
    queries_beyond_the_depth_limit_are_refused,
);
