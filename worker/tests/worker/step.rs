//! The step function against a fake Ollama: success with verified
//! citations, retries with backoff, dead letters, readable failures.

use englog_core::jobs::{Job, JobEvent};
use englog_core::{ImpactLevel, ValueRating};
use englog_worker::broker::Broker;
use englog_worker::llm::{Llm, LlmConfig};
use englog_worker::step::{Outcome, WorkerContext, WorkerSettings, process_next};
use std::time::Duration;

use crate::fake_ollama::{FakeOllama, Reply};
use crate::support::{Kind, broker, entry, job};

pub fn context(broker: Broker, url: &str) -> WorkerContext {
    WorkerContext {
        broker,
        llm: Llm::new(LlmConfig {
            url: url.to_owned(),
            idle_timeout: Duration::from_secs(2),
            total_timeout: Duration::from_secs(10),
            ..LlmConfig::default()
        })
        .expect("llm"),
        mailer: None,
        consumer: "test-worker".into(),
        settings: WorkerSettings {
            max_attempts: 3,
            backoff_base: Duration::from_millis(50),
            poll_wait: Duration::from_millis(300),
            heartbeat_every: Duration::from_millis(100),
            delta_flush: Duration::from_millis(1),
            ..WorkerSettings::default()
        },
    }
}

fn chunks(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

pub async fn drain_events(b: &Broker) -> Vec<JobEvent> {
    let events = b
        .next_events("api", 1000, Duration::from_millis(100))
        .await
        .unwrap();
    let ids: Vec<String> = events.iter().map(|(id, _)| id.clone()).collect();
    b.ack_events(&ids).await.unwrap();
    events.into_iter().map(|(_, e)| e.event).collect()
}

/// The report's text as it was streamed.
pub fn streamed(events: &[JobEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Delta { text } => Some(text.as_str()),
            _ => None,
        })
        .collect()
}

/// Runs `process_next` until the job reaches an outcome other than a retry.
async fn run_to_end(ctx: &WorkerContext) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    for _ in 0..20 {
        let outcome = process_next(ctx).await.expect("broker works");
        let done = matches!(
            outcome,
            Outcome::Succeeded(_) | Outcome::Failed(_) | Outcome::Cancelled(_)
        );
        if outcome != Outcome::Idle {
            outcomes.push(outcome);
        }
        if done {
            break;
        }
    }
    outcomes
}

async fn a_report_streams_and_keeps_only_real_citations(kind: Kind) {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: chunks("## Key accomplishments\n- Shipped the auth flow [E1]\n- Led the incident review [E2, E77]\n"),
        gap: Duration::from_millis(2),
    }])
    .await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![
        entry(1, ValueRating::High, ImpactLevel::Product),
        entry(2, ValueRating::Medium, ImpactLevel::Company),
    ]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    assert_eq!(run_to_end(&ctx).await, vec![Outcome::Succeeded(j.job_id)]);

    let events = drain_events(&b).await;
    assert!(matches!(
        events.first(),
        Some(JobEvent::Started { attempt: 1 })
    ));
    assert!(streamed(&events).contains("Shipped the auth flow"));
    let Some(JobEvent::Succeeded { output }) = events.last() else {
        panic!("last event is the result: {events:?}");
    };
    assert_eq!(output.invented_citations, 1, "E77 does not exist");
    assert!(!output.content.contains("E77"));
    assert_eq!(output.citations.len(), 2);
    assert_eq!(output.citations[0].entry_ids, vec![j.entries[0].id]);
    assert_eq!(output.citations[1].entry_ids, vec![j.entries[1].id]);
    assert_eq!(output.sections[0].heading, "Key accomplishments");
    assert_eq!(output.prompt_tokens, 1234);
    assert_eq!(output.metrics["entryCount"], 2);
    let prompt = &ollama.prompts()[0];
    assert!(
        prompt.contains("[E1]") && prompt.contains("Task 2"),
        "entries are in the prompt"
    );
}

async fn a_failing_model_is_retried_then_succeeds(kind: Kind) {
    let ollama = FakeOllama::start(vec![
        Reply::Status(500, "CUDA out of memory".into()),
        Reply::Malformed,
        Reply::Stream {
            chunks: chunks("## Week\n- Fine now: the release shipped after the retry [E1]\n"),
            gap: Duration::ZERO,
        },
    ])
    .await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![entry(1, ValueRating::High, ImpactLevel::Team)]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let outcomes = run_to_end(&ctx).await;
    assert_eq!(
        outcomes,
        vec![
            Outcome::Retrying(j.job_id),
            Outcome::Retrying(j.job_id),
            Outcome::Succeeded(j.job_id)
        ]
    );
    let events = drain_events(&b).await;
    let retries: Vec<_> = events
        .iter()
        .filter_map(|e| match e {
            JobEvent::Retrying { reason, .. } => Some(reason.clone()),
            _ => None,
        })
        .collect();
    assert!(retries[0].contains("CUDA out of memory"), "{retries:?}");
    assert!(retries[1].contains("malformed"), "{retries:?}");
    assert_eq!(b.dead_letter_count().await.unwrap(), 0);
}

async fn a_model_that_keeps_failing_ends_failed_and_dead_lettered(kind: Kind) {
    let ollama = FakeOllama::start(vec![Reply::Status(503, "overloaded".into())]).await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![entry(1, ValueRating::Low, ImpactLevel::Personal)]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let outcomes = run_to_end(&ctx).await;
    assert_eq!(outcomes.last(), Some(&Outcome::Failed(j.job_id)));
    assert_eq!(outcomes.len(), 3, "max_attempts = 3");
    let events = drain_events(&b).await;
    let Some(JobEvent::Failed { reason }) = events.last() else {
        panic!("{events:?}");
    };
    assert!(
        reason.contains("overloaded") && reason.contains("3 attempts"),
        "{reason}"
    );
    assert_eq!(b.dead_letter_count().await.unwrap(), 1);
}

async fn a_missing_model_fails_at_once_with_advice(kind: Kind) {
    let ollama = FakeOllama::start(vec![Reply::ModelMissing]).await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    assert_eq!(run_to_end(&ctx).await, vec![Outcome::Failed(j.job_id)]);
    let events = drain_events(&b).await;
    let Some(JobEvent::Failed { reason }) = events.last() else {
        panic!("{events:?}");
    };
    assert!(reason.contains("ollama pull"), "{reason}");
}

/// An unreachable model service (a GPU box rebooting) spends no attempt:
/// the report waits, says why, and fails only past the worker's patience.
async fn an_unreachable_model_service_is_waited_for_then_given_up(kind: Kind) {
    // Port 9 on loopback: nothing listens, the connection is refused.
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let mut ctx = context(b.clone(), "http://127.0.0.1:9");
    ctx.settings.max_attempts = 1; // attempts are not what runs out
    ctx.settings.model_retry_every = Duration::from_millis(200);
    ctx.settings.model_patience = Duration::from_millis(700);
    let j = job(vec![]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let outcomes = run_to_end(&ctx).await;
    let (last, waits) = outcomes.split_last().expect("outcomes");
    assert_eq!(*last, Outcome::Failed(j.job_id), "{outcomes:?}");
    assert!(
        waits.len() >= 2
            && waits
                .iter()
                .all(|o| *o == Outcome::WaitingForModel(j.job_id)),
        "{outcomes:?}"
    );
    let events = drain_events(&b).await;
    let waiting = events.iter().find_map(|e| match e {
        JobEvent::Retrying { reason, attempt } => Some((reason.clone(), *attempt)),
        _ => None,
    });
    let (reason, attempt) = waiting.expect("a Retrying event");
    assert!(
        reason.starts_with("waiting for the model service"),
        "{reason}"
    );
    assert!(reason.contains("could not be reached"), "{reason}");
    assert_eq!(attempt, 1, "no attempt is spent while waiting");
    let Some(JobEvent::Failed { reason }) = events.last() else {
        panic!("{events:?}");
    };
    assert!(reason.contains("could not be reached"), "{reason}");
    assert!(reason.contains("gave up after waiting"), "{reason}");
}

async fn a_slow_model_times_out_and_is_retried(kind: Kind) {
    let ollama = FakeOllama::start(vec![
        Reply::Slow {
            wait: Duration::from_secs(4),
            chunks: chunks("late"),
        },
        Reply::Stream {
            chunks: chunks("## Week\n- On time this time: a quiet week with nothing logged.\n"),
            gap: Duration::ZERO,
        },
    ])
    .await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let outcomes = run_to_end(&ctx).await;
    assert_eq!(
        outcomes,
        vec![Outcome::Retrying(j.job_id), Outcome::Succeeded(j.job_id)]
    );
}

async fn a_cancelled_job_is_not_generated(kind: Kind) {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: chunks("never"),
        gap: Duration::ZERO,
    }])
    .await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    b.cancel(j.job_id).await.unwrap();
    assert_eq!(run_to_end(&ctx).await, vec![Outcome::Cancelled(j.job_id)]);
    assert!(ollama.prompts().is_empty());
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
    a_report_streams_and_keeps_only_real_citations,
    a_failing_model_is_retried_then_succeeds,
    a_model_that_keeps_failing_ends_failed_and_dead_lettered,
    a_missing_model_fails_at_once_with_advice,
    an_unreachable_model_service_is_waited_for_then_given_up,
    a_slow_model_times_out_and_is_retried,
    a_cancelled_job_is_not_generated,
);
