//! Acceptance 1 and 2: suggestions for an entry saved with only a title,
//! accepted field by field; bad model output retried then dropped; values
//! outside the person's own never stored.

use super::*;

/// Acceptance 1: an entry with only a title gets suggestions from one job,
/// pushed over the subscription; accepting one changes that field only.
async fn an_entry_with_only_a_title_gets_suggestions_and_accepting_one_changes_only_it(
    backend: Backend,
) {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("enrich@example.com").await;
    let api = app.create_project(&me.access, "API").await;
    let mut sub = watch_suggestions(
        &app,
        &me.access,
        "subscription { entrySuggestions { entryId suggestions { field status projectName } } }",
    )
    .await;
    let entry = app
        .create_entry(&me.access, json!({ "title": "Fixed the flaky login test" }))
        .await;
    let id = entry["id"].as_str().unwrap().to_owned();

    let pushed = sub.next(Duration::from_secs(30)).await.expect("pushed");
    let update = &pushed["data"]["entrySuggestions"];
    assert_eq!(update["entryId"], id.as_str(), "{pushed}");
    let fields: Vec<&str> = update["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["field"].as_str().unwrap())
        .collect();
    assert!(
        fields.contains(&"PROJECT") && fields.contains(&"SENTIMENT"),
        "{fields:?}"
    );
    assert_eq!(ollama.count(ENRICH), 1, "one job, one run");
    // Structured output was asked for with a schema naming the projects.
    let format = ollama.formats()[0].clone().expect("format sent");
    assert_eq!(
        format["properties"]["project"]["properties"]["value"]["enum"][0],
        "API"
    );

    let stored = suggestions_of(&app, &me.access, &id).await;
    // Nothing of the entry changed by itself.
    assert_eq!(stored["projectId"], Value::Null);
    assert_eq!(stored["activityType"], "CODE");
    assert_eq!(stored["valueRating"], "MEDIUM");
    let project = field(&stored, "PROJECT").expect("project suggested");
    assert_eq!(project["projectId"], api.as_str());
    assert_eq!(project["status"], "PENDING");
    assert!(!project["reason"].as_str().unwrap().is_empty());
    // The foreign tag and unknown skill were left out.
    assert_eq!(field(&stored, "TAGS").unwrap()["tags"], json!(["testing"]));
    assert_eq!(
        field(&stored, "SKILLS").unwrap()["skills"],
        json!(["debugging"])
    );
    let sentiment = field(&stored, "SENTIMENT").unwrap();
    assert_eq!(sentiment["sentiment"], "SATISFIED");
    assert_eq!(sentiment["sentimentScore"], 0.6);

    let accepted = app
        .ok(ACCEPT, json!({ "id": id, "f": "PROJECT" }), &me.access)
        .await["acceptSuggestion"]
        .clone();
    assert_eq!(accepted["project"]["name"], "API");
    assert_eq!(accepted["title"], "Fixed the flaky login test");
    assert_eq!(accepted["activityType"], "CODE", "other fields untouched");
    assert_eq!(accepted["valueRating"], "MEDIUM");
    assert_eq!(accepted["tags"], json!([]));
    let statuses: Vec<(String, String)> = accepted["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["field"].as_str().unwrap().into(),
                s["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert!(statuses.contains(&("PROJECT".into(), "ACCEPTED".into())));
    assert!(statuses.contains(&("TAGS".into(), "PENDING".into())));

    // Dismiss one, accept the rest: the dismissed field stays as it was.
    app.ok(
        "mutation($id: UUID!) { dismissSuggestion(entryId: $id, field: VALUE_RATING) { id } }",
        json!({ "id": id }),
        &me.access,
    )
    .await;
    let all = app
        .ok(
            "mutation($id: UUID!) { acceptAllSuggestions(entryId: $id) { activityType tags valueRating impactLevel } }",
            json!({ "id": id }),
            &me.access,
        )
        .await["acceptAllSuggestions"]
        .clone();
    assert_eq!(all["activityType"], "DEBUG");
    assert_eq!(all["tags"], json!(["testing"]));
    assert_eq!(all["impactLevel"], "TEAM");
    assert_eq!(all["valueRating"], "MEDIUM", "dismissed, so unchanged");

    // Another person can neither see nor act on these suggestions.
    let other = app.register("other@example.com").await;
    let body = app
        .graphql(
            ACCEPT,
            json!({ "id": id, "f": "TAGS" }),
            Some(&other.access),
        )
        .await;
    assert_eq!(error_code(&body), "NOT_FOUND");
}

/// Acceptance 2: malformed and schema-breaking answers are retried, then
/// dropped; other entries are enriched meanwhile; a project or tag that is
/// not the person's never gets stored.
async fn bad_model_output_is_retried_then_dropped_and_foreign_values_never_stored(
    backend: Backend,
) {
    let breaking = answer("API")
        .to_string()
        .replace("\"satisfied\"", "\"ecstatic\"");
    let ollama = FakeOllama::start(vec![Reply::route(
        "Title: Malformed",
        Reply::Malformed,
        Reply::route(
            "Title: Breaks the schema",
            Reply::Answer(breaking),
            Reply::route(ENRICH, Reply::json(answer("Their project")), report_reply()),
        ),
    )])
    .await;
    let app = app(backend, &ollama, |_| {}).await;
    let me = app.register("bad@example.com").await;
    app.create_project(&me.access, "API").await;
    let malformed = app
        .create_entry(&me.access, json!({ "title": "Malformed" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let breaks = app
        .create_entry(&me.access, json!({ "title": "Breaks the schema" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let fine = app
        .create_entry(&me.access, json!({ "title": "Fine entry" }))
        .await["id"]
        .as_str()
        .unwrap()
        .to_owned();

    let enriched = wait_for_suggestions(&app, &me.access, &fine).await;
    // The model named a project the person does not have: left out.
    assert!(field(&enriched, "PROJECT").is_none(), "{enriched}");
    assert_eq!(
        field(&enriched, "TAGS").unwrap()["tags"],
        json!(["testing"])
    );

    // test settings: two attempts per job, then dropped.
    let deadline = Instant::now() + Duration::from_secs(30);
    while ollama.count("Title: Malformed") < 2 || ollama.count("Title: Breaks the schema") < 2 {
        assert!(Instant::now() < deadline, "bad answers were not retried");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // A report requested now still runs: nothing was blocked.
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
    wait_for_report(&app, &me.access, &insight).await;
    assert_eq!(
        ollama.count("Title: Malformed"),
        2,
        "dropped, not retried forever"
    );
    assert_eq!(ollama.count("Title: Breaks the schema"), 2);
    for id in [&malformed, &breaks] {
        let entry = suggestions_of(&app, &me.access, id).await;
        assert_eq!(entry["suggestions"], json!([]), "{entry}");
    }

    if matches!(backend, Backend::Postgres) {
        forged_results_are_filtered_by_the_api(&app, &me, &fine).await;
    }
}

/// A result that skipped the worker's checks (forged straight onto the
/// event stream) naming another person's project and tag: the API stores
/// neither.
async fn forged_results_are_filtered_by_the_api(app: &TestApp, me: &Session, entry_id: &str) {
    let token = me.access.as_str();
    let stranger = app.register("stranger@example.com").await;
    let their_project = app.create_project(&stranger.access, "Secret").await;
    app.create_entry(
        &stranger.access,
        json!({ "title": "x", "tags": ["their-private-tag"] }),
    )
    .await;
    let broker = RedisBroker::connect(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        BrokerTiming::default(),
    )
    .await
    .expect("redis");
    let entry_uuid: Uuid = entry_id.parse().unwrap();
    let me: Uuid = me.user_id.parse().unwrap();
    let output = EnrichmentOutput {
        entry_id: entry_uuid,
        text_hash: text_hash("Fine entry", None),
        batch_id: None,
        model: "forged".into(),
        suggestions: vec![
            FieldSuggestion {
                field: SuggestionField::Project,
                value: json!({ "id": their_project, "name": "Secret" }),
                reason: "forged".into(),
            },
            FieldSuggestion {
                field: SuggestionField::Tags,
                value: json!(["their-private-tag"]),
                reason: "forged".into(),
            },
            FieldSuggestion {
                field: SuggestionField::ActivityType,
                value: json!("review"),
                reason: "forged but harmless".into(),
            },
        ],
    };
    broker
        .publish_event(&JobEventEnvelope {
            job_id: Uuid::now_v7(),
            kind: JobKind::Enrichment,
            subject: JobSubject::Entry(entry_uuid),
            user_id: me,
            at: chrono::Utc::now(),
            event: JobEvent::Enriched {
                output: Box::new(output),
            },
            traceparent: None,
        })
        .await
        .unwrap();
    // The harmless part arriving shows the event was applied.
    let deadline = Instant::now() + Duration::from_secs(30);
    let entry = loop {
        let entry = suggestions_of(app, token, entry_id).await;
        if field(&entry, "ACTIVITY_TYPE").is_some_and(|s| s["activityType"] == "REVIEW") {
            break entry;
        }
        assert!(
            Instant::now() < deadline,
            "forged event never applied: {entry}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert!(field(&entry, "PROJECT").is_none(), "{entry}");
    assert!(field(&entry, "TAGS").is_none(), "{entry}");
}

on_both_shapes!(
    an_entry_with_only_a_title_gets_suggestions_and_accepting_one_changes_only_it,
    bad_model_output_is_retried_then_dropped_and_foreign_values_never_stored,
);

/// Suggestions that are stored but no longer read back (here: a field name
/// no suggestion has, on rows marked accepted so that the clean-up of
/// unsupported pending ones keeps them) reach the subscriber as an error,
/// not as silence.
#[tokio::test]
async fn suggestions_that_cannot_be_read_back_are_pushed_as_an_error() {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = app(Backend::Postgres, &ollama, |_| {}).await;
    app.execute_sql(
        "CREATE FUNCTION spoil_suggestion() RETURNS trigger LANGUAGE plpgsql AS $$ \
         BEGIN NEW.field := 'x' || NEW.field; NEW.status := 'accepted'; RETURN NEW; END $$; \
         CREATE TRIGGER spoil_suggestion BEFORE INSERT ON entry_suggestions \
         FOR EACH ROW EXECUTE FUNCTION spoil_suggestion();",
    )
    .await;
    let me = app.register("spoiled@example.com").await;
    app.create_project(&me.access, "API").await;
    let mut sub = watch_suggestions(
        &app,
        &me.access,
        "subscription { entrySuggestions { entryId suggestions { field } } }",
    )
    .await;
    app.create_entry(&me.access, json!({ "title": "Fixed the flaky login test" }))
        .await;
    let pushed = sub
        .answer_to("1", Duration::from_secs(30))
        .await
        .expect("the failed read is pushed");
    assert_eq!(pushed["errors"][0]["message"], "internal error", "{pushed}");
    assert_eq!(
        pushed["errors"][0]["extensions"]["code"], "INTERNAL",
        "{pushed}"
    );
}

/// Opens a socket as `token`, subscribes (as "1") with `query`, and gives
/// the subscription time to reach the server before anything happens.
async fn watch_suggestions(app: &TestApp, token: &str, query: &str) -> ws::Subscription {
    let mut sub = ws::connect(
        app.port(),
        json!({ "Authorization": format!("Bearer {token}") }),
    )
    .await
    .expect("subscription connects");
    sub.subscribe("1", query, json!({})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    sub
}
