//! A worker started before Redis waits for it.

use englog_api::config::Secret;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;
use std::time::Duration;

use crate::helpers::{Backend, spawn_app_with};
use crate::processes::spawn_worker_with;

use super::report_of_the_year_succeeds;

/// A worker started before Redis waits for it (saying why in its log)
/// instead of exiting, and works once Redis is there.
#[tokio::test]
async fn a_worker_started_before_redis_waits_for_it() {
    let mut redis = crate::processes::PrivateRedis::reserve();
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: vec![
            "## Key accomplishments\n".into(),
            "- Shipped it [E1]\n".into(),
        ],
        gap: Duration::from_millis(5),
    }])
    .await;
    let prefix = format!("englog_wait_{}", uuid::Uuid::new_v4().simple());
    let mut worker = spawn_worker_with(
        &redis.url(),
        &prefix,
        &ollama.url,
        2,
        &[("ENGLOG_WORKER_LISTEN", "")],
    );
    // Before, a first connection attempt gave up after about 10 s and the
    // worker exited with code 1: wait past that.
    tokio::time::sleep(Duration::from_secs(15)).await;
    assert!(
        matches!(worker.0.try_wait(), Ok(None)),
        "the worker exited while Redis was down"
    );
    redis.restart();
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.redis_url = Some(Secret::new(redis.url()));
        s.reports.redis_prefix = prefix.clone();
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let me = app.register("patient@example.com").await;
    app.create_entry(&me.access, json!({ "title": "Shipped it" }))
        .await;
    report_of_the_year_succeeds(&app, &me.access).await;
}
