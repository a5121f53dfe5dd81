//! GDPR erasure: requesting ends every credential at once and mails a
//! notice; signing in again shows the request and can cancel it; the
//! scheduler (clock injected) processes it after the grace period. The
//! canary tests then search a dump of every table and every Redis key
//! under the test prefix for strings only the erased user ever wrote.

use chrono::{DateTime, Duration as Days, Utc};
use englog_api::account_deletion::process::run_due;
use englog_api::config::Secret;
use englog_api::state::AppState;
use englog_worker::broker::{Broker, BrokerTiming, MemoryBroker, RedisBroker};
use englog_worker::fake_ollama::{FakeOllama, Reply};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbBackend, EntityTrait, QueryFilter,
    Statement,
};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::helpers::{
    Backend, PASSWORD, TestApp, error_code, error_field, redis_url, session_of, spawn_app_with,
};
use crate::schedule::{SmtpServer, wait_for_mail};

const REQUEST: &str = "mutation($input: RequestAccountDeletionInput!) { requestAccountDeletion(input: $input) { mode requestedAt scheduledFor } }";
const CANCEL: &str = "mutation { cancelAccountDeletion }";
const PENDING: &str = "{ me { email pendingDeletion { mode requestedAt scheduledFor } } }";
const REFRESH: &str =
    "mutation($token: String!) { refreshToken(refreshToken: $token) { accessToken } }";

/// The app's database with a broker of the caller's choice, for running
/// the scheduler's deletion pass at a chosen "now".
async fn scheduler_state(app: &TestApp, broker: Broker) -> AppState {
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    AppState {
        db,
        keys: englog_api::auth::JwtKeys::new(b"unused-in-this-test-unused-unused", 900),
        settings: Arc::new(app.settings.clone()),
        broker,
        relay_wakeup: Default::default(),
        limiter: englog_api::auth::rate_limit::RateLimiter::new(
            app.settings.rate_limits.clone(),
            None,
        ),
    }
}

fn instant(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .expect("date-time")
        .parse()
        .expect("RFC 3339")
}

async fn create_token(app: &TestApp, access: &str) -> String {
    let data = app
        .ok(
            "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token } }",
            json!({ "input": { "name": "cli", "scope": "READ_WRITE" } }),
            access,
        )
        .await;
    data["createApiToken"]["token"].as_str().unwrap().to_owned()
}

/// Request → credentials dead, mail sent → sign in → see it → cancel →
/// nothing is processed later.
async fn request_sign_in_again_and_cancel(backend: Backend) {
    let smtp = SmtpServer::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = spawn_app_with(backend, move |s| {
        s.reports.smtp_url = Some(smtp_url);
        s.reports.scheduler = false;
        s.deletion_grace_days = 7;
    })
    .await;
    let me = app.register("leaving@example.com").await;
    let token = create_token(&app, &me.access).await;

    // The password confirms a password account's request.
    let missing = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "DELETE" } }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&missing), "VALIDATION");
    assert_eq!(error_field(&missing), "input.password");
    let wrong = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "DELETE", "password": "not it at all" } }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_field(&wrong), "input.password");
    // An API token cannot delete the account it belongs to.
    let by_token = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "DELETE", "password": PASSWORD } }),
            Some(&token),
        )
        .await;
    assert_eq!(error_code(&by_token), "FORBIDDEN");
    let me_now = app.ok(PENDING, json!({}), &me.access).await;
    assert!(me_now["me"]["pendingDeletion"].is_null(), "{me_now}");

    let before = Utc::now();
    let data = app
        .ok(
            REQUEST,
            json!({ "input": { "mode": "DELETE", "password": PASSWORD } }),
            &me.access,
        )
        .await;
    let pending = &data["requestAccountDeletion"];
    assert_eq!(pending["mode"], "DELETE");
    let requested = instant(&pending["requestedAt"]);
    assert!(requested >= before - Days::seconds(1));
    assert_eq!(instant(&pending["scheduledFor"]) - requested, Days::days(7));

    // Every credential died at once.
    for credential in [&me.access, &token] {
        let body = app.graphql(PENDING, json!({}), Some(credential)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    let refresh = app
        .graphql(REFRESH, json!({ "token": me.refresh }), None)
        .await;
    assert_eq!(error_code(&refresh), "UNAUTHENTICATED");
    let mail = wait_for_mail(&smtp, &["scheduled for deletion", "leaving@example.com"]).await;
    assert!(mail.contains("cancel"), "{mail}");

    // Signing in again works and shows the request, which can be cancelled.
    let again = session_of(&app.login("leaving@example.com", PASSWORD).await, "login");
    let shown = app.ok(PENDING, json!({}), &again.access).await;
    assert_eq!(shown["me"]["pendingDeletion"]["mode"], "DELETE");
    let twice = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "ANONYMISE", "password": PASSWORD } }),
            Some(&again.access),
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");
    assert_eq!(
        app.ok(CANCEL, json!({}), &again.access).await["cancelAccountDeletion"],
        true
    );
    let after = app.ok(PENDING, json!({}), &again.access).await;
    assert!(after["me"]["pendingDeletion"].is_null());
    let none_left = app.graphql(CANCEL, json!({}), Some(&again.access)).await;
    assert_eq!(error_code(&none_left), "NOT_FOUND");
    wait_for_mail(&smtp, &["will not be deleted"]).await;

    // Past the grace period the cancelled request does nothing.
    let state = scheduler_state(&app, Broker::Memory(MemoryBroker::new(Default::default()))).await;
    assert_eq!(
        run_due(&state, Utc::now() + Days::days(8)).await.unwrap(),
        0
    );
    let still = app.ok(PENDING, json!({}), &again.access).await;
    assert_eq!(still["me"]["email"], "leaving@example.com");

    // A new request after a cancelled one is accepted (same row reused).
    app.ok(
        REQUEST,
        json!({ "input": { "mode": "ANONYMISE", "password": PASSWORD } }),
        &again.access,
    )
    .await;
}

#[tokio::test]
async fn request_sign_in_again_and_cancel_postgres() {
    request_sign_in_again_and_cancel(Backend::Postgres).await;
}

#[tokio::test]
async fn request_sign_in_again_and_cancel_sqlite() {
    request_sign_in_again_and_cancel(Backend::Sqlite).await;
}

/// Every row of every table as text: `row::text` on PostgreSQL, all
/// columns concatenated on SQLite. Tables added by later migrations are
/// included without changes here.
async fn dump_database(db: &DatabaseConnection) -> String {
    let backend = db.get_database_backend();
    let list = match backend {
        DbBackend::Postgres => {
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
        }
        _ => "SELECT name FROM sqlite_master WHERE type = 'table'",
    };
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(backend, list))
        .await
        .expect("tables")
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).expect("name"))
        .collect();
    assert!(tables.len() >= 10, "{tables:?}");
    let mut dump = String::new();
    for table in tables {
        let select = match backend {
            DbBackend::Postgres => format!("SELECT t::text FROM \"{table}\" t"),
            _ => {
                let columns: Vec<String> = db
                    .query_all_raw(Statement::from_string(
                        backend,
                        format!("PRAGMA table_info(\"{table}\")"),
                    ))
                    .await
                    .expect("columns")
                    .iter()
                    .map(|r| r.try_get::<String>("", "name").expect("column name"))
                    .collect();
                let joined: Vec<String> = columns
                    .iter()
                    // UUIDs are blobs in SQLite: shown as hex.
                    .map(|c| {
                        format!(
                            "COALESCE(CASE WHEN typeof(\"{c}\") = 'blob' THEN hex(\"{c}\") ELSE CAST(\"{c}\" AS TEXT) END, '')"
                        )
                    })
                    .collect();
                format!("SELECT {} FROM \"{table}\"", joined.join(" || '|' || "))
            }
        };
        for row in db
            .query_all_raw(Statement::from_string(backend, select))
            .await
            .expect("rows")
        {
            dump.push_str(&table);
            dump.push_str(": ");
            dump.push_str(&row.try_get_by_index::<String>(0).expect("row text"));
            dump.push('\n');
        }
    }
    dump
}

/// Every key under `prefix` with all its content, whatever its type.
async fn dump_redis(prefix: &str) -> String {
    let client = redis::Client::open(redis_url()).expect("redis url");
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("redis");
    let mut keys: Vec<String> = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(format!("{prefix}:*"))
            .arg("COUNT")
            .arg(500)
            .query_async(&mut conn)
            .await
            .expect("scan");
        keys.extend(batch);
        if next == 0 {
            break;
        }
        cursor = next;
    }
    let mut dump = String::new();
    for key in keys {
        let kind: String = redis::cmd("TYPE")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        let command: &[&str] = match kind.as_str() {
            "stream" => &["XRANGE", "-", "+"],
            "zset" => &["ZRANGE", "0", "-1"],
            "hash" => &["HGETALL"],
            "list" => &["LRANGE", "0", "-1"],
            "set" => &["SMEMBERS"],
            "string" => &["GET"],
            other => panic!("unexpected key type {other} for {key}"),
        };
        let mut cmd = redis::cmd(command[0]);
        cmd.arg(&key);
        for arg in &command[1..] {
            cmd.arg(*arg);
        }
        let value: redis::Value = cmd.query_async(&mut conn).await.unwrap();
        dump.push_str(&format!("{key} ({kind}): {value:?}\n"));
    }
    dump
}

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
    me
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
    assert!(dump_database(&state.db).await.contains(CANARY));
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

/// An account that signs in only through OAuth has no password to confirm
/// with; its session alone is enough.
#[tokio::test]
async fn an_oauth_only_account_requests_deletion_without_a_password() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.reports.scheduler = false).await;
    let me = app.register("oauth-only@example.com").await;
    let state = scheduler_state(&app, Broker::Memory(MemoryBroker::new(Default::default()))).await;
    // What an OAuth sign-up stores: no password hash.
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(entity::user::Column::Email.eq("oauth-only@example.com"))
        .exec(&state.db)
        .await
        .unwrap();
    let data = app
        .ok(
            REQUEST,
            json!({ "input": { "mode": "DELETE" } }),
            &me.access,
        )
        .await;
    assert_eq!(data["requestAccountDeletion"]["mode"], "DELETE");
    assert_eq!(
        run_due(&state, Utc::now() + Days::days(31)).await.unwrap(),
        1
    );
    let gone = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq("oauth-only@example.com"))
        .one(&state.db)
        .await
        .unwrap();
    assert!(gone.is_none());
}
