//! Reports through faults: a worker killed mid-job, Redis stopped while
//! reports are requested, resent and cancelled.

use englog_api::config::Secret;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;
use std::time::Duration;

use crate::helpers::{Backend, redis_url, spawn_app_with};
use crate::insights::{GET, REQUEST, report_text, request, seed_week, wait_for};
use crate::processes::{PrivateRedis, app_on_redis, spawn_worker};

#[tokio::test]
async fn a_worker_killed_mid_job_is_replaced_and_the_report_is_written_once() {
    // Slow enough that the first worker is surely mid-stream when killed.
    // A report the quality gate lets through: a section, distinct words, a
    // citation.
    let mut slow = vec!["## Key accomplishments\n- ".to_owned()];
    slow.extend((0..40).map(|i| format!("word{i} ")));
    slow.push("[E1]\n".to_owned());
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: slow,
        gap: Duration::from_millis(100),
    }])
    .await;
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(false);
    })
    .await;
    let prefix = app.settings.reports.redis_prefix.clone();
    let mut first = spawn_worker(&redis_url(), &prefix, &ollama.url, 2);
    let me = app.register("sigkill@example.com").await;
    seed_week(&app, &me.access, "").await;
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    wait_for(&app, &me.access, &id, "RUNNING", Duration::from_secs(20)).await;
    first.kill();
    let _second = spawn_worker(&redis_url(), &prefix, &ollama.url, 2);
    let done = wait_for(&app, &me.access, &id, "SUCCEEDED", Duration::from_secs(60)).await;
    assert!(done["content"].as_str().unwrap().contains("word39"));
    assert_eq!(ollama.prompts().len(), 2, "the second worker redid the job");
    let list = app
        .ok(
            "{ insights(first: 10) { edges { node { id status } } } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(
        list["insights"]["edges"].as_array().unwrap().len(),
        1,
        "exactly one report"
    );
}

/// With Redis down, reports are requested, resent and cancelled without
/// waiting for it, and complete once it is back.
#[tokio::test]
async fn reports_requested_while_redis_is_down_complete_when_it_returns() {
    let mut redis = PrivateRedis::start();
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: report_text(),
        gap: Duration::ZERO,
    }])
    .await;
    let redis_url = redis.url();
    let app = app_on_redis(&redis_url, |_| {}).await;
    let _worker = spawn_worker(
        &redis_url,
        &app.settings.reports.redis_prefix,
        &ollama.url,
        2,
    );
    let me = app.register("outage@example.com").await;
    seed_week(&app, &me.access, "").await;

    redis.stop();
    // Redis comes back on its own a few seconds from now: every answer
    // below must arrive before that, since nothing in a request waits for
    // the broker (the relay publishes later).
    let back = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let restarter = std::thread::spawn({
        let back = back.clone();
        move || {
            std::thread::sleep(Duration::from_secs(5));
            back.store(true, std::sync::atomic::Ordering::SeqCst);
            redis.restart();
            redis
        }
    });
    let answered_while_down = |what: &str| {
        assert!(
            !back.load(std::sync::atomic::Ordering::SeqCst),
            "{what} answered only after Redis came back"
        );
    };
    let named = json!({ "i": { "reportType": "WEEKLY", "periodStart": "2026-03-02",
                               "periodEnd": "2026-03-08", "clientRequestId": "outage-1" } });
    let a = app.ok(REQUEST, named.clone(), &me.access).await["requestInsight"]["id"].clone();
    answered_while_down("requestInsight");
    let resent = app.ok(REQUEST, named, &me.access).await["requestInsight"]["id"].clone();
    answered_while_down("the resent requestInsight");
    assert_eq!(a, resent, "the resend is the same report");
    let a = a.as_str().unwrap().to_owned();
    let b = request(&app, &me.access, "2026-03-02", "2026-03-04").await;
    let c = request(&app, &me.access, "2026-03-05", "2026-03-08").await;
    let cancelled = app
        .ok(
            "mutation($id: UUID!) { cancelInsight(id: $id) { status } }",
            json!({ "id": c }),
            &me.access,
        )
        .await;
    answered_while_down("cancelInsight");
    assert_eq!(cancelled["cancelInsight"]["status"], "CANCELLED");
    for id in [&a, &b] {
        let state = app.ok(GET, json!({ "id": id }), &me.access).await;
        assert_eq!(state["insight"]["status"], "QUEUED", "waits in the outbox");
    }
    answered_while_down("insight");
    let _redis = restarter.join().expect("Redis restarted");
    for id in [&a, &b] {
        wait_for(&app, &me.access, id, "SUCCEEDED", Duration::from_secs(60)).await;
    }
    let c = app.ok(GET, json!({ "id": c }), &me.access).await;
    assert_eq!(c["insight"]["status"], "CANCELLED", "{c}");
}
