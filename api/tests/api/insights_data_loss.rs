//! Redis restarted empty (no persistence, a lost volume) while reports are
//! waiting, being retried and being written: the outbox notices the lost
//! data and publishes them again, so every one of them completes within
//! the relay's reconcile bound instead of waiting ten minutes (pending) or
//! for ever (retrying, running).

use englog_worker::fake_ollama::{FakeOllama, Reply};
use std::time::{Duration, Instant};

use crate::insights::{report_text, request, seed_week, wait_for};
use crate::processes::{PrivateRedis, app_on_redis, spawn_worker_with};

#[tokio::test]
async fn jobs_lost_with_redis_data_are_published_again_and_complete() {
    let mut redis = PrivateRedis::start();
    // In request order: the first generation fails (that report waits to
    // be retried), the second is slow (that report is being written when
    // Redis loses its data), every later one succeeds at once.
    let ollama = FakeOllama::start(vec![
        Reply::Status(500, "warming up".into()),
        Reply::Slow {
            wait: Duration::from_secs(6),
            chunks: report_text(),
        },
        Reply::Stream {
            chunks: report_text(),
            gap: Duration::ZERO,
        },
    ])
    .await;
    let redis_url = redis.url();
    let app = app_on_redis(&redis_url, |_| {}).await;
    let _worker = spawn_worker_with(
        &redis_url,
        &app.settings.reports.redis_prefix,
        &ollama.url,
        60,
        // One job at a time, and a retry far enough away to still be
        // waiting when Redis loses it.
        &[
            ("ENGLOG_WORKER_LISTEN", ""),
            ("ENGLOG_WORKER_SLOTS", "1"),
            ("ENGLOG_BACKOFF_BASE_MS", "30000"),
        ],
    );
    let me = app.register("dataloss@example.com").await;
    seed_week(&app, &me.access, "").await;

    let retrying = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    wait_for(
        &app,
        &me.access,
        &retrying,
        "QUEUED",
        Duration::from_secs(5),
    )
    .await;
    let running = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    wait_for(
        &app,
        &me.access,
        &running,
        "RUNNING",
        Duration::from_secs(20),
    )
    .await;
    let pending = request(&app, &me.access, "2026-03-01", "2026-03-08").await;
    let retry_state = app
        .ok(
            "query($id: UUID!) { insight(id: $id) { status error } }",
            serde_json::json!({ "id": retrying }),
            &me.access,
        )
        .await;
    assert!(
        retry_state["insight"]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("retrying")),
        "the first report waits for its retry: {retry_state}"
    );

    redis.restart(); // killed and started again, empty
    let lost_at = Instant::now();
    for id in [&retrying, &running, &pending] {
        wait_for(&app, &me.access, id, "SUCCEEDED", Duration::from_secs(60)).await;
    }
    println!(
        "all three reports succeeded {:.1} s after Redis lost its data",
        lost_at.elapsed().as_secs_f64()
    );
}
