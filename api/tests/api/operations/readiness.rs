//! `/ready` follows the database and the workers' heartbeats.

use englog_api::config::Secret;
use englog_worker::fake_ollama::FakeOllama;
use serde_json::Value;
use std::time::{Duration, Instant};

use crate::helpers::{Backend, redis_url, spawn_app_with};
use crate::processes::spawn_worker_with;

/// `/ready` says not ready when the database cannot be reached and when no
/// worker has sent a heartbeat within the configured time; ready again
/// once they are back.
#[tokio::test]
async fn readiness_follows_the_database_and_the_workers() {
    let ollama = FakeOllama::start(vec![]).await;
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(false);
        s.readiness.worker_max_age_secs = 2;
    })
    .await;
    let ready = || async {
        let response = reqwest::get(app.url("/ready")).await.expect("GET /ready");
        let status = response.status().as_u16();
        let body: Value = response.json().await.expect("JSON");
        (status, body)
    };
    let until = |wanted: u16| {
        let ready = &ready;
        async move {
            let deadline = Instant::now() + Duration::from_secs(20);
            loop {
                let (status, body) = ready().await;
                if status == wanted {
                    return body;
                }
                assert!(Instant::now() < deadline, "/ready never {wanted}: {body}");
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    };
    // No worker yet.
    let body = until(503).await;
    assert_eq!(body["checks"]["worker"], "none", "{body}");
    assert_eq!(body["checks"]["database"], "ok", "{body}");

    let mut worker = spawn_worker_with(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
        &[("ENGLOG_WORKER_LISTEN", ""), ("ENGLOG_HEARTBEAT_SECS", "1")],
    );
    let body = until(200).await;
    assert_eq!(body["checks"]["worker"], "ok", "{body}");
    assert_eq!(body["checks"]["model"], "ok", "{body}");

    // The worker dies: stale after the configured two seconds.
    worker.kill();
    let body = until(503).await;
    assert_eq!(body["checks"]["worker"], "stale", "{body}");

    // The database goes away (it refuses connections; the pool's are cut).
    let _worker = spawn_worker_with(
        &redis_url(),
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
        &[("ENGLOG_WORKER_LISTEN", ""), ("ENGLOG_HEARTBEAT_SECS", "1")],
    );
    until(200).await;
    let database = app
        .settings
        .database_url
        .as_ref()
        .map(|url| {
            url.expose()
                .rsplit('/')
                .next()
                .unwrap_or_default()
                .to_owned()
        })
        .expect("a PostgreSQL test database");
    let admin = sea_orm::Database::connect(crate::helpers::postgres_admin_url())
        .await
        .expect("admin connection");
    let sql = |statement: String| {
        let admin = &admin;
        async move {
            sea_orm::ConnectionTrait::execute_unprepared(admin, &statement)
                .await
                .expect(&statement);
        }
    };
    sql(format!("ALTER DATABASE {database} ALLOW_CONNECTIONS false")).await;
    sql(format!(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{database}'"
    ))
    .await;
    let body = until(503).await;
    assert_eq!(body["checks"]["database"], "unavailable", "{body}");
    sql(format!("ALTER DATABASE {database} ALLOW_CONNECTIONS true")).await;
    let body = until(200).await;
    assert_eq!(body["checks"]["database"], "ok", "{body}");
    admin.close().await.ok();
}
