//! Redis losing its data while reports are waiting, being retried and
//! being written — restarted empty (no persistence, a lost volume), or
//! restarted from a snapshot older than those jobs (RDB persistence after a
//! crash, the data-loss marker intact) — and every one of them still
//! completes within the relay's reconcile bound, instead of waiting ten
//! minutes (pending) or for ever (retrying, running).

use englog_worker::fake_ollama::{FakeOllama, Reply};
use std::time::{Duration, Instant};

use crate::helpers::{Session, TestApp};
use crate::insights::{report_text, request, seed_week, wait_for};
use crate::processes::{ChildGuard, PrivateRedis, app_on_redis, spawn_worker_with};

/// Everything the three reports need, kept alive for the test.
struct Scene {
    app: TestApp,
    me: Session,
    /// Waiting for its retry, being written, waiting to be picked up.
    reports: [String; 3],
    _ollama: FakeOllama,
    _worker: ChildGuard,
}

/// With `snapshot`, a snapshot is taken once the API has started, before
/// any report: it holds the data-loss marker (set by the relay's first
/// pass) and the consumer groups, and none of the jobs.
async fn three_reports_in_three_states(redis: &PrivateRedis, snapshot: bool) -> Scene {
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
    if snapshot {
        let marker = format!("{}:epoch", app.settings.reports.redis_prefix);
        let client = redis::Client::open(redis.url()).expect("redis url");
        let mut conn = client
            .get_multiplexed_async_connection()
            .await
            .expect("redis connection");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !redis::cmd("EXISTS")
            .arg(&marker)
            .query_async::<bool>(&mut conn)
            .await
            .expect("EXISTS")
        {
            assert!(Instant::now() < deadline, "the relay never set {marker}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        redis.snapshot();
    }
    let worker = spawn_worker_with(
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
    Scene {
        app,
        me,
        reports: [retrying, running, pending],
        _ollama: ollama,
        _worker: worker,
    }
}

async fn all_succeed(scene: &Scene, what: &str) {
    let lost_at = Instant::now();
    for id in &scene.reports {
        wait_for(
            &scene.app,
            &scene.me.access,
            id,
            "SUCCEEDED",
            Duration::from_secs(90),
        )
        .await;
    }
    println!(
        "all three reports succeeded {:.1} s after Redis {what}",
        lost_at.elapsed().as_secs_f64()
    );
}

#[tokio::test]
async fn jobs_lost_with_redis_data_are_published_again_and_complete() {
    let mut redis = PrivateRedis::start();
    let scene = three_reports_in_three_states(&redis, false).await;
    redis.restart(); // killed and started again, empty
    all_succeed(&scene, "lost its data").await;
}

#[tokio::test]
async fn jobs_newer_than_the_snapshot_redis_restarts_from_complete() {
    let mut redis = PrivateRedis::start_with_snapshots();
    let scene = three_reports_in_three_states(&redis, true).await;
    redis.restart(); // killed, started again from the older snapshot
    all_succeed(&scene, "restarted from an older snapshot").await;
}
