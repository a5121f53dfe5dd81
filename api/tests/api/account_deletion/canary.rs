//! Acceptance 2: after a processed deletion, no canary string is left in
//! the database or in Redis.

use super::dumps::{dump_database, dump_redis};
use super::*;

/// Unique to the erased user; `CANARY` is lowercase so tag names hold it.
const CANARY: &str = "cnry7q2x";
const OTHER: &str = "othr5k9w";

fn canary_report() -> Vec<String> {
    vec![
        format!("## Week\n- The {CANARY} migration shipped [E1]\n"),
        "- Done\n".into(),
    ]
}

/// Fills an account with the marker everywhere it can be written.
async fn populate(app: &TestApp, marker: &str, email: &str) -> crate::helpers::Session {
    let body = app
        .graphql(
            crate::helpers::REGISTER,
            json!({ "input": {
                "email": email, "password": PASSWORD,
                "firstName": format!("First{marker}"), "lastName": format!("Last{marker}"),
                "timezone": "Europe/Paris"
            }}),
            None,
        )
        .await;
    let me = session_of(&body, "register");
    let project = app
        .create_project(&me.access, &format!("Project {marker}"))
        .await;
    for day in 2..=4 {
        app.create_entry(
            &me.access,
            json!({ "title": format!("Entry {marker} {day}"),
                    "description": format!("Notes about {marker}"),
                    "projectId": project, "tags": [format!("tag-{marker}")],
                    "startTime": format!("2026-03-0{day}T09:00:00Z"),
                    "endTime": format!("2026-03-0{day}T10:00:00Z") }),
        )
        .await;
    }
    // A connector: its base URL, project rule and (sealed) token name the
    // person's accounts; a sync would add a cursor.
    app.ok(
        "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id } }",
        json!({ "i": { "kind": "GITHUB", "baseUrl": format!("https://{marker}.example.com/api/v3"),
                       "token": format!("ghp_{marker}"),
                       "projectRules": [{ "repository": format!("acme/{marker}"), "project": format!("Project {marker}") }] } }),
        &me.access,
    )
    .await;
    // A calendar: its address is the secret (sealed, shown redacted), the
    // CalDAV user name and password sealed with it.
    app.ok(
        "mutation($i: ConfigureConnectorInput!) { configureConnector(input: $i) { id } }",
        json!({ "i": { "kind": "CALENDAR",
                       "baseUrl": format!("https://cal.{marker}.example.com/ical/private-{marker}-path/basic.ics"),
                       "username": format!("user-{marker}"), "token": format!("pw-{marker}") } }),
        &me.access,
    )
    .await;
    me
}

/// What a finished sync leaves on a connector: a cursor naming the
/// person (the canary must not survive in it either).
async fn add_connector_cursor(db: &DatabaseConnection, marker: &str) {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_string(
        backend,
        format!("UPDATE connectors SET cursor = 'since-{marker}' WHERE base_url LIKE '%{marker}%'"),
    ))
    .await
    .expect("cursor set");
}

async fn request_report(app: &TestApp, token: &str, start: &str, end: &str, focus: &str) -> String {
    let data = app
        .ok(
            "mutation($i: RequestInsightInput!) { requestInsight(input: $i) { id } }",
            json!({ "i": { "reportType": "WEEKLY", "periodStart": start, "periodEnd": end,
                           "focusAreas": [focus] } }),
            token,
        )
        .await;
    data["requestInsight"]["id"].as_str().unwrap().to_owned()
}

async fn wait_for_status(app: &TestApp, token: &str, id: &str, status: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let data = app
            .ok(
                "query($id: UUID!) { insight(id: $id) { status } }",
                json!({ "id": id }),
                token,
            )
            .await;
        if data["insight"]["status"] == status {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "report never reached {status}: {data}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the job stream holds at least `n` entries.
async fn wait_for_jobs_in_redis(prefix: &str, n: usize) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let dump = dump_redis(prefix).await;
        let count = dump
            .lines()
            .filter(|l| l.starts_with(&format!("{prefix}:jobs (stream)")))
            .map(|l| l.matches("payload").count())
            .sum::<usize>();
        if count >= n {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "jobs never reached Redis: {dump}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Acceptance 2: after a processed DELETE (or ANONYMISE), neither the
/// database nor Redis holds any of the user's canary strings; another
/// user's data is intact.
async fn canary_scenario(mode: &str) {
    // The first report succeeds (its text holds the canary); later ones
    // hang in the worker, so their jobs stay in Redis as pending entries.
    let ollama = FakeOllama::start(vec![
        Reply::Stream {
            chunks: canary_report(),
            gap: Duration::ZERO,
        },
        Reply::Slow {
            wait: Duration::from_secs(120),
            chunks: vec!["late".into()],
        },
    ])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Postgres, move |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(true);
        s.reports.ollama_url = url;
        s.reports.scheduler = false;
    })
    .await;
    let prefix = app.settings.reports.redis_prefix.clone();
    let email = format!("{CANARY}@example.com");
    let me = populate(&app, CANARY, &email).await;
    let done = request_report(&app, &me.access, "2026-03-02", "2026-03-08", CANARY).await;
    wait_for_status(&app, &me.access, &done, "SUCCEEDED").await;
    // Held by the (hanging) worker: a pending stream entry.
    request_report(&app, &me.access, "2026-03-02", "2026-03-05", CANARY).await;
    let other = populate(&app, OTHER, &format!("{OTHER}@example.com")).await;
    request_report(&app, &other.access, "2026-03-02", "2026-03-08", OTHER).await;
    wait_for_jobs_in_redis(&prefix, 2).await;

    // A delayed retry and a dead letter of the user's job, as a worker
    // writes them.
    let broker = Broker::Redis(
        RedisBroker::connect(&redis_url(), &prefix, BrokerTiming::default())
            .await
            .expect("redis broker"),
    );
    let state = scheduler_state(&app, broker.clone()).await;
    let job_row = entity::job::Entity::find()
        .filter(entity::job::Column::UserId.eq(uuid::Uuid::parse_str(&me.user_id).unwrap()))
        .one(&state.db)
        .await
        .unwrap()
        .expect("the user's job");
    let job: englog_core::jobs::Job = serde_json::from_value(job_row.payload).unwrap();
    broker
        .retry_later(&job, Duration::from_secs(3600))
        .await
        .unwrap();
    let client = redis::Client::open(redis_url()).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: String = redis::cmd("XADD")
        .arg(format!("{prefix}:jobs:dead"))
        .arg("*")
        .arg("payload")
        .arg(serde_json::to_string(&job).unwrap())
        .arg("reason")
        .arg("model missing")
        .query_async(&mut conn)
        .await
        .unwrap();

    add_connector_cursor(&state.db, CANARY).await;
    let before_db = dump_database(&state.db).await;
    let before_redis = dump_redis(&prefix).await;
    for (place, dump) in [("database", &before_db), ("redis", &before_redis)] {
        assert!(dump.contains(CANARY), "the canary is in {place} before");
        assert!(dump.contains(OTHER), "the other user is in {place}");
    }
    assert!(
        before_db.contains("The cnry7q2x migration shipped"),
        "report text stored"
    );
    assert!(
        before_db.contains("since-cnry7q2x") && before_db.contains("connectors: "),
        "a connector with its cursor stored"
    );
    for secret in ["private-cnry7q2x-path", "user-cnry7q2x", "pw-cnry7q2x"] {
        assert!(
            !before_db.contains(secret),
            "a calendar's address and login are stored sealed, never in clear"
        );
    }
    assert!(before_redis.contains("jobs:dead") && before_redis.contains("jobs:delayed"));

    app.ok(
        REQUEST,
        json!({ "input": { "mode": mode, "password": PASSWORD } }),
        &me.access,
    )
    .await;
    let now = Utc::now();
    assert_eq!(
        run_due(&state, now + Days::days(29)).await.unwrap(),
        0,
        "still in grace"
    );
    assert!(dump_database(&state.db).await.contains(CANARY));
    assert_eq!(run_due(&state, now + Days::days(31)).await.unwrap(), 1);
    assert_eq!(
        run_due(&state, now + Days::days(32)).await.unwrap(),
        0,
        "once"
    );

    let after_db = dump_database(&state.db).await;
    let after_redis = dump_redis(&prefix).await;
    for (place, dump) in [("database", &after_db), ("redis", &after_redis)] {
        let lower = dump.to_lowercase();
        assert!(!lower.contains(CANARY), "canary left in {place}:\n{dump}");
        assert!(
            dump.contains(OTHER),
            "the other user's data is intact in {place}"
        );
    }
    assert!(
        !after_redis.contains(&me.user_id),
        "a Redis payload still names the user:\n{after_redis}"
    );
    if mode == "DELETE" {
        assert!(
            !after_db.contains(&me.user_id),
            "a row still names the user:\n{after_db}"
        );
    } else {
        // The anonymous shell keeps its rows for aggregates.
        assert_eq!(after_db.matches("Anonymised entry").count(), 3);
    }
    // The user cannot sign in; the other user still works as before.
    let login = app.login(&email, PASSWORD).await;
    assert_eq!(error_code(&login), "UNAUTHENTICATED");
    let titles = app.entry_titles(&other.access, json!({})).await;
    assert_eq!(titles.len(), 3);
    assert!(titles.iter().all(|t| t.contains(OTHER)));
}

#[tokio::test]
async fn a_processed_deletion_leaves_no_canary_in_the_database_or_redis() {
    canary_scenario("DELETE").await;
}

#[tokio::test]
async fn a_processed_anonymisation_leaves_no_canary_in_the_database_or_redis() {
    canary_scenario("ANONYMISE").await;
}

/// The database half of the canary test on the embedded SQLite default.
#[tokio::test]
async fn a_processed_deletion_leaves_no_canary_in_sqlite() {
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.reports.scheduler = false;
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let me = populate(&app, CANARY, &format!("{CANARY}@example.com")).await;
    request_report(&app, &me.access, "2026-03-02", "2026-03-08", CANARY).await;
    let other = populate(&app, OTHER, &format!("{OTHER}@example.com")).await;
    let state = scheduler_state(&app, Broker::Memory(MemoryBroker::new(Default::default()))).await;
    add_connector_cursor(&state.db, CANARY).await;
    assert!(dump_database(&state.db).await.contains("since-cnry7q2x"));
    app.ok(
        REQUEST,
        json!({ "input": { "mode": "DELETE", "password": PASSWORD } }),
        &me.access,
    )
    .await;
    assert_eq!(
        run_due(&state, Utc::now() + Days::days(31)).await.unwrap(),
        1
    );
    let dump = dump_database(&state.db).await;
    assert!(!dump.to_lowercase().contains(CANARY), "{dump}");
    let id = uuid::Uuid::parse_str(&me.user_id).unwrap();
    let blob = id.simple().to_string().to_uppercase();
    assert!(
        !dump.contains(&me.user_id) && !dump.contains(&blob),
        "{dump}"
    );
    let other_id = uuid::Uuid::parse_str(&other.user_id).unwrap();
    assert!(
        dump.contains(&other_id.simple().to_string().to_uppercase())
            || dump.contains(&other.user_id)
    );
    assert!(dump.contains(OTHER));
    assert_eq!(app.entry_titles(&other.access, json!({})).await.len(), 3);
}
