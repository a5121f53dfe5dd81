//! One contract, two brokers: every behaviour the API and the worker rely on
//! holds for Redis Streams and for the in-process broker alike.

use englog_core::jobs::{Job, JobEvent, JobEventEnvelope};
use englog_worker::broker::InsightUpdate;
use std::time::Duration;

use crate::support::{Kind, broker, job};

const SHORT: Duration = Duration::from_millis(200);

async fn a_published_job_is_delivered_once_and_gone_after_ack(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_secs(60)).await;
    let j = job(vec![]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let d = b.next_job("w1", SHORT).await.unwrap().expect("delivered");
    assert_eq!(d.job, Job::Report(j));
    assert!(
        b.next_job("w2", SHORT).await.unwrap().is_none(),
        "not delivered twice"
    );
    b.ack(&d).await.unwrap();
    assert!(b.next_job("w1", SHORT).await.unwrap().is_none());
}

async fn a_job_abandoned_by_a_dead_worker_is_reclaimed(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_millis(300)).await;
    let j = job(vec![]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let first = b.next_job("dies", SHORT).await.unwrap().expect("delivered");
    // "dies" never acknowledges; after the reclaim window another takes it.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let second = b
        .next_job("survivor", Duration::from_millis(500))
        .await
        .unwrap()
        .expect("reclaimed");
    assert_eq!(second.job.job_id(), first.job.job_id());
    b.ack(&second).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(b.next_job("third", SHORT).await.unwrap().is_none());
}

async fn a_heartbeat_keeps_a_long_job_with_its_worker(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_millis(400)).await;
    b.publish_job(&Job::Report(job(vec![]))).await.unwrap();
    let d = b.next_job("busy", SHORT).await.unwrap().expect("delivered");
    for _ in 0..4 {
        tokio::time::sleep(Duration::from_millis(150)).await;
        b.heartbeat("busy", &d).await.unwrap();
    }
    assert!(
        b.next_job("thief", SHORT).await.unwrap().is_none(),
        "still owned"
    );
}

async fn a_retry_arrives_after_its_delay(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_secs(60)).await;
    let mut j = job(vec![]);
    j.attempt = 2;
    b.retry_later(&Job::Report(j.clone()), Duration::from_millis(300))
        .await
        .unwrap();
    assert!(
        b.next_job("w", Duration::from_millis(50))
            .await
            .unwrap()
            .is_none(),
        "not yet"
    );
    tokio::time::sleep(Duration::from_millis(350)).await;
    let d = b
        .next_job("w", Duration::from_millis(500))
        .await
        .unwrap()
        .expect("due");
    assert_eq!(d.job.attempt(), 2);
}

async fn dead_letters_are_counted_and_leave_the_queue(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_millis(200)).await;
    b.publish_job(&Job::Report(job(vec![]))).await.unwrap();
    let d = b.next_job("w", SHORT).await.unwrap().expect("delivered");
    b.dead_letter(&d, "model missing").await.unwrap();
    assert_eq!(b.dead_letter_count().await.unwrap(), 1);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(
        b.next_job("w", SHORT).await.unwrap().is_none(),
        "not redelivered"
    );
}

async fn events_reach_the_api_in_order_and_stay_until_acknowledged(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_millis(300)).await;
    let j = job(vec![]);
    for event in [
        JobEvent::Started { attempt: 1 },
        JobEvent::Delta {
            text: "Hello".into(),
        },
        JobEvent::Failed { reason: "x".into() },
    ] {
        b.publish_event(&Job::Report(j.clone()).envelope(event))
            .await
            .unwrap();
    }
    let got = b.next_events("api-1", 10, SHORT).await.unwrap();
    let kinds: Vec<_> = got.iter().map(|(_, e)| e.event.clone()).collect();
    assert_eq!(kinds.len(), 3);
    assert!(matches!(kinds[0], JobEvent::Started { .. }));
    assert!(matches!(kinds[2], JobEvent::Failed { .. }));
    // Unacknowledged events of a dead API instance go to another one.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let again = b.next_events("api-2", 10, SHORT).await.unwrap();
    assert_eq!(again.len(), 3);
    let ids: Vec<String> = again.into_iter().map(|(id, _)| id).collect();
    b.ack_events(&ids).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(b.next_events("api-3", 10, SHORT).await.unwrap().is_empty());
}

async fn cancellation_and_updates_are_shared(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_secs(60)).await;
    let j = job(vec![]);
    assert!(!b.is_cancelled(j.job_id).await.unwrap());
    b.cancel(j.job_id).await.unwrap();
    assert!(b.is_cancelled(j.job_id).await.unwrap());

    let mut rx = b.updates();
    // The Redis relay subscribes asynchronously; publish until it arrives.
    let update = InsightUpdate {
        insight_id: j.insight_id,
        user_id: j.user_id,
        status: englog_core::InsightStatus::Running,
        delta: Some("text".into()),
        error: None,
    };
    let received = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            b.broadcast(&update).await.unwrap();
            if let Ok(Ok(got)) = tokio::time::timeout(Duration::from_millis(100), rx.recv()).await {
                return got;
            }
        }
    })
    .await
    .expect("update fanned out");
    assert_eq!(received, update);
}

async fn the_broker_says_which_jobs_it_holds(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_secs(60)).await;
    let queued = Job::Enrichment(crate::support::enrichment_job("Queued"));
    let delivered = Job::Report(job(vec![]));
    let delayed = Job::Report(job(vec![]));
    let finished = Job::Report(job(vec![]));
    b.publish_job(&finished).await.unwrap();
    let d = b.next_job("w", SHORT).await.unwrap().expect("delivered");
    b.ack(&d).await.unwrap();
    b.publish_job(&delivered).await.unwrap();
    let _held = b.next_job("w", SHORT).await.unwrap().expect("delivered");
    b.publish_job(&queued).await.unwrap();
    b.retry_later(&delayed, Duration::from_secs(60))
        .await
        .unwrap();
    let held = b.held_jobs().await.unwrap();
    let expected: std::collections::HashSet<_> =
        [&queued, &delivered, &delayed].map(|j| j.job_id()).into();
    assert_eq!(
        held, expected,
        "queued, delivered and delayed, not the acknowledged one"
    );
}

async fn reports_are_delivered_before_low_priority_work(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_secs(60)).await;
    let low = Job::Enrichment(crate::support::enrichment_job("Later"));
    let high = Job::Report(job(vec![]));
    b.publish_job(&low).await.unwrap();
    b.publish_job(&high).await.unwrap();
    let first = b.next_job("w", SHORT).await.unwrap().expect("delivered");
    assert_eq!(first.job, high, "the report goes first");
    b.ack(&first).await.unwrap();
    let second = b.next_job("w", SHORT).await.unwrap().expect("delivered");
    assert_eq!(second.job, low, "then the waiting low-priority job");
    // A low-priority delivery is acknowledged, reclaimed and retried like
    // any other.
    b.ack(&second).await.unwrap();
    assert!(b.next_job("w", SHORT).await.unwrap().is_none());
    let again = low.next_attempt();
    b.retry_later(&again, Duration::from_millis(50))
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let retried = b
        .next_job("w", Duration::from_millis(500))
        .await
        .unwrap()
        .expect("due");
    assert_eq!(retried.job.attempt(), 2);
    b.dead_letter(&retried, "dropped").await.unwrap();
    assert_eq!(b.dead_letter_count().await.unwrap(), 1);
}

async fn a_low_priority_job_abandoned_by_a_dead_worker_is_reclaimed(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_millis(300)).await;
    let low = Job::Enrichment(crate::support::enrichment_job("Reclaim me"));
    b.publish_job(&low).await.unwrap();
    let first = b.next_job("dies", SHORT).await.unwrap().expect("delivered");
    tokio::time::sleep(Duration::from_millis(400)).await;
    let second = b
        .next_job("survivor", Duration::from_millis(500))
        .await
        .unwrap()
        .expect("reclaimed");
    assert_eq!(second.job.job_id(), first.job.job_id());
    b.ack(&second).await.unwrap();
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(b.next_job("third", SHORT).await.unwrap().is_none());
}

async fn enrichment_updates_are_shared(kind: Kind) {
    use englog_worker::EnrichmentUpdate;
    let (b, _guard) = broker(kind, Duration::from_secs(60)).await;
    let mut rx = b.enrichment_updates();
    let update = EnrichmentUpdate::Progress {
        user_id: uuid::Uuid::now_v7(),
        batch_id: uuid::Uuid::now_v7(),
        done: 1,
        total: 3,
    };
    // The Redis relay subscribes asynchronously; publish until it arrives.
    let received = tokio::time::timeout(Duration::from_secs(5), async {
        loop {
            b.broadcast_enrichment(&update).await.unwrap();
            if let Ok(Ok(got)) = tokio::time::timeout(Duration::from_millis(100), rx.recv()).await {
                return got;
            }
        }
    })
    .await
    .expect("update fanned out");
    assert_eq!(received, update);
}

fn event_of(job: &Job) -> JobEventEnvelope {
    job.envelope(JobEvent::Started { attempt: 1 })
}

/// GDPR erasure: queued, pending, delayed and dead-lettered jobs and
/// unconsumed events of one user go; another user's stay.
async fn purging_a_user_removes_every_message_of_theirs_only(kind: Kind) {
    let (b, _guard) = broker(kind, Duration::from_millis(300)).await;
    let gone = job(vec![]).user_id;
    let mine = || {
        let mut j = job(vec![]);
        j.user_id = gone;
        Job::Report(j)
    };
    let theirs = Job::Report(job(vec![]));
    // Dead letters of both users.
    for j in [mine(), theirs.clone()] {
        b.publish_job(&j).await.unwrap();
        let d = b.next_job("w", SHORT).await.unwrap().expect("delivered");
        b.dead_letter(&d, "failed").await.unwrap();
    }
    // A delivery in a worker's hands, a delayed retry and a queued job.
    b.publish_job(&mine()).await.unwrap();
    b.next_job("w", SHORT).await.unwrap().expect("delivered");
    b.retry_later(&mine(), Duration::from_millis(200))
        .await
        .unwrap();
    b.publish_job(&mine()).await.unwrap();
    b.publish_job(&theirs).await.unwrap();
    b.publish_event(&event_of(&mine())).await.unwrap();
    b.publish_event(&event_of(&theirs)).await.unwrap();

    assert_eq!(b.purge_user(gone).await.unwrap(), 5);
    assert_eq!(b.dead_letter_count().await.unwrap(), 1);
    // Past the retry delay and the reclaim window: only the other user's
    // job is left to deliver.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let mut delivered = Vec::new();
    while let Some(d) = b.next_job("w2", SHORT).await.unwrap() {
        delivered.push(d.job.user_id());
        b.ack(&d).await.unwrap();
    }
    assert_eq!(delivered, [theirs.user_id()]);
    let events = b.next_events("api", 10, SHORT).await.unwrap();
    let owners: Vec<_> = events.iter().map(|(_, e)| e.user_id).collect();
    assert_eq!(owners, [theirs.user_id()]);
}

macro_rules! on_both_brokers {
    ($($name:ident),+ $(,)?) => { $(
        mod $name {
            use crate::support::Kind;
            #[tokio::test]
            async fn memory() { super::$name(Kind::Memory).await }
            #[tokio::test]
            async fn redis() { super::$name(Kind::Redis).await }
        }
    )+ };
}

on_both_brokers!(
    a_published_job_is_delivered_once_and_gone_after_ack,
    a_job_abandoned_by_a_dead_worker_is_reclaimed,
    a_heartbeat_keeps_a_long_job_with_its_worker,
    a_retry_arrives_after_its_delay,
    dead_letters_are_counted_and_leave_the_queue,
    events_reach_the_api_in_order_and_stay_until_acknowledged,
    cancellation_and_updates_are_shared,
    reports_are_delivered_before_low_priority_work,
    a_low_priority_job_abandoned_by_a_dead_worker_is_reclaimed,
    enrichment_updates_are_shared,
    purging_a_user_removes_every_message_of_theirs_only,
    the_broker_says_which_jobs_it_holds,
);
