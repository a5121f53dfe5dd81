//! A report's watcher is not left behind when this instance loses its
//! updates channel (Redis pub/sub) for a while: once it is back, the
//! watcher gets the stored state again, so a change published meanwhile
//! (even the final one) is not missed.

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;
use std::time::{Duration, Instant};

use crate::insights::{report_text, request, seed_week, wait_for};
use crate::processes::{PrivateRedis, app_on_redis, spawn_worker};
use crate::ws;

const WATCH: &str =
    "subscription($id: UUID!) { insightUpdates(id: $id) { status insight { id status } } }";

#[tokio::test]
async fn watchers_reread_the_report_when_the_updates_channel_comes_back() {
    let redis = PrivateRedis::start();
    let ollama = FakeOllama::start(vec![Reply::Slow {
        wait: Duration::from_secs(6),
        chunks: report_text(),
    }])
    .await;
    let redis_url = redis.url();
    let app = app_on_redis(&redis_url, |_| {}).await;
    let _worker = spawn_worker(
        &redis_url,
        &app.settings.reports.redis_prefix,
        &ollama.url,
        20,
    );
    let me = app.register("resync@example.com").await;
    seed_week(&app, &me.access, "").await;
    let id = request(&app, &me.access, "2026-03-02", "2026-03-08").await;
    wait_for(&app, &me.access, &id, "RUNNING", Duration::from_secs(20)).await;

    let mut sub = ws::connect(
        app.port(),
        json!({ "Authorization": format!("Bearer {}", me.access) }),
    )
    .await
    .expect("subscription connects");
    sub.subscribe("1", WATCH, json!({ "id": id })).await;
    let first = sub
        .next(Duration::from_secs(5))
        .await
        .expect("the current state");
    assert_eq!(
        first["data"]["insightUpdates"]["status"], "RUNNING",
        "{first}"
    );

    // Drop every pub/sub connection, as a network blip or a Redis failover
    // would; the API subscribes again within a second or so.
    let client = redis::Client::open(redis_url.as_str()).expect("client");
    let mut conn = client.get_connection().expect("connection");
    let killed: i64 = redis::cmd("CLIENT")
        .arg("KILL")
        .arg("TYPE")
        .arg("pubsub")
        .query(&mut conn)
        .expect("CLIENT KILL");
    assert!(killed >= 1, "the API had a pub/sub connection");

    let deadline = Instant::now() + Duration::from_secs(5);
    let reread = loop {
        let update = sub.next(Duration::from_secs(5)).await.expect("an update");
        let update = update["data"]["insightUpdates"].clone();
        if !update["insight"].is_null() {
            break update;
        }
        assert!(
            Instant::now() < deadline,
            "no re-read after the channel came back"
        );
    };
    assert_eq!(reread["insight"]["id"], id.as_str());
    assert_eq!(
        reread["status"], "RUNNING",
        "re-read before the report ended: {reread}"
    );

    let mut last = reread;
    while last["status"] != "SUCCEEDED" {
        last = sub
            .next(Duration::from_secs(30))
            .await
            .expect("more updates")["data"]["insightUpdates"]
            .clone();
    }
    drop(redis);
}
