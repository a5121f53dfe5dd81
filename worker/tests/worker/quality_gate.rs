//! The worker's side of the quality gate, against the scripted fake: a
//! refused answer is written once more with stricter instructions (the
//! person sees why), refused again it fails with the gate's reasons; a thin
//! but honest answer succeeds with its warnings.

use englog_core::jobs::{Job, JobEvent};
use englog_core::{ImpactLevel, ValueRating};
use englog_worker::step::{Outcome, process_next};
use std::time::Duration;

use crate::fake_ollama::{FakeOllama, Reply};
use crate::step::{context, drain_events};
use crate::support::{Kind, broker, entry, job};

fn chunks(text: &str) -> Vec<String> {
    text.split_inclusive(' ').map(str::to_owned).collect()
}

/// A two-entry weekly report whose every model call answers `answer`: the
/// job's id, its outcome, the fake (for the prompts it got) and the events.
async fn report_answered_with(answer: &str) -> (uuid::Uuid, Outcome, FakeOllama, Vec<JobEvent>) {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: chunks(answer),
        gap: Duration::ZERO,
    }])
    .await;
    let (b, _guard) = broker(Kind::Memory, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = job(vec![
        entry(1, ValueRating::High, ImpactLevel::Team),
        entry(2, ValueRating::Medium, ImpactLevel::Team),
    ]);
    b.publish_job(&Job::Report(j.clone())).await.unwrap();
    let mut outcome = Outcome::Idle;
    for _ in 0..10 {
        outcome = process_next(&ctx).await.unwrap();
        if outcome != Outcome::Idle {
            break;
        }
    }
    let events = drain_events(&b).await;
    (j.job_id, outcome, ollama, events)
}

#[tokio::test]
async fn a_looping_answer_is_retried_strictly_then_failed_with_the_reasons() {
    let looping = format!("## Key accomplishments\n{}", "high value, ".repeat(120));
    let (id, outcome, ollama, events) = report_answered_with(&looping).await;
    assert_eq!(outcome, Outcome::Failed(id));

    let prompts = ollama.prompts();
    assert_eq!(prompts.len(), 2, "one stricter retry, no more");
    assert!(!prompts[0].contains("## Reminder"));
    assert!(
        prompts[1].contains("## Reminder") && prompts[1].contains("repeats itself"),
        "the retry says what went wrong: {}",
        prompts[1]
    );
    let retry = events.iter().find_map(|e| match e {
        JobEvent::Retrying { reason, .. } => Some(reason.clone()),
        _ => None,
    });
    assert!(
        retry.is_some_and(|r| r.contains("quality check")),
        "{events:?}"
    );
    let starts = events
        .iter()
        .filter(|e| matches!(e, JobEvent::Started { .. }))
        .count();
    assert_eq!(starts, 2, "the text starts over for the retry: {events:?}");
    let Some(JobEvent::Failed { reason }) = events.last() else {
        panic!("the report fails: {events:?}");
    };
    assert!(
        reason.contains("did not pass the quality check"),
        "{reason}"
    );
    assert!(reason.contains("repeats itself"), "{reason}");
    assert!(reason.contains("cites no entry"), "{reason}");
}

#[tokio::test]
async fn a_thin_answer_succeeds_with_warnings() {
    let thin = "## Key accomplishments\n\
- Shipped the new login flow to every customer after a careful rollout [E1]\n\
- Kept the payments outage short by finding the retry budget quickly [E2]\n";
    let (id, outcome, ollama, events) = report_answered_with(thin).await;
    assert_eq!(outcome, Outcome::Succeeded(id));
    assert_eq!(ollama.prompts().len(), 1);
    let Some(JobEvent::Succeeded { output }) = events.last() else {
        panic!("{events:?}");
    };
    assert_eq!(output.warnings.len(), 1, "{:?}", output.warnings);
    assert!(
        output.warnings[0].contains("1 of the 3 sections"),
        "{:?}",
        output.warnings
    );
    assert_eq!(output.metrics["doneReason"], "stop");
    assert_eq!(output.metrics["qualityRetry"], false);
    assert!(
        output.metrics["answerTokenCap"]
            .as_u64()
            .is_some_and(|n| n > 0)
    );
}
