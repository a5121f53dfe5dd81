//! The job backbone under faults, a smaller version of the operators' fault
//! test: 100 reports, two worker processes killed and replaced five times,
//! Redis restarted empty once and down for 20 s once (no persistence, so
//! each return is a data loss), on PostgreSQL and a Redis of this test's
//! own. Every report ends SUCCEEDED exactly once, every job row is done,
//! nothing is left pending in Redis, and the drain after the last fault is
//! measured and printed.

use englog_core::{InsightStatus, JobStatus};
use englog_worker::Broker;
use englog_worker::broker::{BrokerTiming, RedisBroker};
use englog_worker::fake_ollama::{FakeOllama, Reply};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::{Duration, Instant};

use crate::insights::{report_text, request, seed_week};
use crate::processes::{ChildGuard, PrivateRedis, app_on_redis, spawn_worker};

const REPORTS: usize = 100;
const RECLAIM_SECS: u64 = 5;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reports_survive_killed_workers_and_a_redis_that_loses_its_data() {
    let mut redis = PrivateRedis::start();
    // Each generation takes ~0.5 s, so kills land mid-stream.
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: report_text(),
        gap: Duration::from_millis(25),
    }])
    .await;
    let redis_url = redis.url();
    let app = app_on_redis(&redis_url, |s| {
        s.reports.reclaim_after_secs = RECLAIM_SECS;
        s.rate_limits.enabled = false;
    })
    .await;
    let prefix = app.settings.reports.redis_prefix.clone();
    let worker = || spawn_worker(&redis_url, &prefix, &ollama.url, RECLAIM_SECS);
    let mut workers: Vec<ChildGuard> = vec![worker(), worker()];
    let me = app.register("faults@example.com").await;
    seed_week(&app, &me.access, "").await;
    let mut ids = Vec::new();
    for _ in 0..REPORTS {
        ids.push(request(&app, &me.access, "2026-03-02", "2026-03-08").await);
    }

    // Five kills, a second apart, each worker replaced at once.
    for kill in 0..5 {
        tokio::time::sleep(Duration::from_millis(800)).await;
        workers[kill % 2].kill();
        workers[kill % 2] = worker();
    }
    // Redis restarted empty.
    redis.restart();
    tokio::time::sleep(Duration::from_secs(2)).await;
    // Redis down for 20 s, then back empty.
    let mut redis = tokio::task::spawn_blocking(move || {
        redis.stop();
        std::thread::sleep(Duration::from_secs(20));
        redis.restart();
        redis
    })
    .await
    .expect("Redis restarted");
    let last_fault = Instant::now();

    // Read the outcome straight from the database (the API pages 50 at a time).
    let db = sea_orm::Database::connect(app.settings.effective_database_url())
        .await
        .expect("db");
    let deadline = last_fault + Duration::from_secs(120);
    let reports = loop {
        let rows = entity::insight::Entity::find()
            .all(&db)
            .await
            .expect("insights");
        let finished = rows
            .iter()
            .filter(|r| r.status == InsightStatus::Succeeded)
            .count();
        if finished == REPORTS || Instant::now() > deadline {
            break rows;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let drain = last_fault.elapsed();
    println!(
        "{REPORTS} reports drained {:.1} s after the last fault",
        drain.as_secs_f64()
    );

    assert_eq!(reports.len(), REPORTS, "no report lost, none added");
    let unfinished: Vec<_> = reports
        .iter()
        .filter(|r| r.status != InsightStatus::Succeeded)
        .map(|r| (r.id, r.status, r.error.clone()))
        .collect();
    assert!(unfinished.is_empty(), "not finished: {unfinished:?}");
    for id in &ids {
        assert!(
            reports.iter().any(|r| r.id.to_string() == *id),
            "{id} is missing"
        );
    }

    // Every job row done (none stuck pending, retrying or running).
    let open = entity::job::Entity::find()
        .filter(entity::job::Column::Status.ne(JobStatus::Done))
        .count(&db)
        .await
        .expect("count");
    assert_eq!(open, 0, "job rows not done");

    // Nothing left delivered and unacknowledged in Redis.
    let broker = Broker::Redis(
        RedisBroker::connect(&redis.url(), &prefix, BrokerTiming::default())
            .await
            .expect("Redis"),
    );
    let stats = broker.stream_stats().await.expect("stats");
    let jobs = stats
        .iter()
        .find(|s| s.stream == "jobs")
        .expect("jobs stream");
    let settle = Instant::now() + Duration::from_secs(10);
    let mut pending = jobs.pending;
    while pending > 0 && Instant::now() < settle {
        tokio::time::sleep(Duration::from_millis(250)).await;
        let stats = broker.stream_stats().await.expect("stats");
        pending = stats
            .iter()
            .find(|s| s.stream == "jobs")
            .map_or(0, |s| s.pending);
    }
    assert_eq!(pending, 0, "jobs still pending in the group: {stats:?}");
    redis.stop();
}
