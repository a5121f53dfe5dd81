//! Enrichment jobs in the worker: structured output requested with a JSON
//! schema, answers checked, bad answers retried then dropped, reports first.

use englog_core::enrichment::SuggestionField;
use englog_core::jobs::{Job, JobEvent};
use std::time::Duration;

use crate::fake_ollama::{FakeOllama, Reply, ReservedPort};
use crate::step::{context, drain_events};
use crate::support::{Kind, broker, enrichment_job, job, valid_answer};
use englog_worker::step::{Outcome, process_next};

async fn a_valid_answer_becomes_checked_suggestions(kind: Kind) {
    let ollama = FakeOllama::start(vec![Reply::json(valid_answer("Someone else's"))]).await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = enrichment_job("Fixed the flaky login test");
    b.publish_job(&Job::Enrichment(j.clone())).await.unwrap();
    assert_eq!(
        process_next(&ctx).await.unwrap(),
        Outcome::Succeeded(j.job_id)
    );
    // The schema went to Ollama as the output format.
    let format = ollama.formats()[0].clone().expect("a format was sent");
    assert_eq!(format["type"], "object");
    assert!(format["required"].as_array().unwrap().len() >= 7);
    assert!(ollama.prompts()[0].contains("Fixed the flaky login test"));
    let events = drain_events(&b).await;
    let Some(JobEvent::Enriched { output }) = events.last() else {
        panic!("no suggestions: {events:?}");
    };
    assert_eq!(output.entry_id, j.entry.id);
    assert_eq!(output.text_hash, j.text_hash);
    let fields: Vec<_> = output.suggestions.iter().map(|s| s.field).collect();
    // A project the person does not have is left out; so is a foreign tag.
    assert!(!fields.contains(&SuggestionField::Project), "{fields:?}");
    let tags = output
        .suggestions
        .iter()
        .find(|s| s.field == SuggestionField::Tags)
        .expect("tags");
    assert_eq!(tags.value, serde_json::json!(["testing"]));
    assert!(fields.contains(&SuggestionField::Sentiment));
}

async fn bad_answers_are_retried_then_dropped_and_reports_still_run(kind: Kind) {
    let broken = valid_answer("API")
        .to_string()
        .replace("\"satisfied\"", "\"ecstatic\"");
    let ollama = FakeOllama::start(vec![Reply::route(
        "Enrich this work journal entry",
        Reply::Answer(broken),
        Reply::Stream {
            chunks: vec!["## Key accomplishments\n- Done [E1]\n".into()],
            gap: Duration::from_millis(1),
        },
    )])
    .await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = enrichment_job("Sprint planning");
    b.publish_job(&Job::Enrichment(j.clone())).await.unwrap();
    let mut outcomes = Vec::new();
    for _ in 0..20 {
        let outcome = process_next(&ctx).await.unwrap();
        if matches!(outcome, Outcome::Failed(_)) {
            outcomes.push(outcome);
            break;
        }
        if outcome != Outcome::Idle {
            outcomes.push(outcome);
        }
    }
    // max_attempts is 3: two retries, then dropped.
    assert_eq!(
        outcomes,
        vec![
            Outcome::Retrying(j.job_id),
            Outcome::Retrying(j.job_id),
            Outcome::Failed(j.job_id)
        ]
    );
    assert_eq!(ollama.count("Enrich this work journal entry"), 3);
    let events = drain_events(&b).await;
    assert!(
        events
            .iter()
            .all(|e| !matches!(e, JobEvent::Enriched { .. }))
    );
    let Some(JobEvent::Failed { reason }) = events.last() else {
        panic!("{events:?}");
    };
    assert!(
        reason.contains("schema") && reason.contains("dropped"),
        "{reason}"
    );
    // Not a dead letter: nothing to look at for an operator.
    assert_eq!(b.dead_letter_count().await.unwrap(), 0);
    // A report after it is unaffected.
    let report = job(vec![crate::support::entry(
        1,
        englog_core::ValueRating::High,
        englog_core::ImpactLevel::Team,
    )]);
    b.publish_job(&Job::Report(report.clone())).await.unwrap();
    assert_eq!(
        process_next(&ctx).await.unwrap(),
        Outcome::Succeeded(report.job_id)
    );
}

async fn text_that_is_not_json_is_retried_and_a_later_good_answer_wins(kind: Kind) {
    let ollama = FakeOllama::start(vec![
        Reply::Answer("Sure! Here are my suggestions: activity is code.".into()),
        Reply::json(valid_answer("API")),
    ])
    .await;
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let ctx = context(b.clone(), &ollama.url);
    let j = enrichment_job("Reviewed the auth PR");
    b.publish_job(&Job::Enrichment(j.clone())).await.unwrap();
    let mut outcomes = Vec::new();
    for _ in 0..20 {
        let outcome = process_next(&ctx).await.unwrap();
        if outcome != Outcome::Idle {
            outcomes.push(outcome.clone());
        }
        if matches!(outcome, Outcome::Succeeded(_) | Outcome::Failed(_)) {
            break;
        }
    }
    assert_eq!(
        outcomes,
        vec![Outcome::Retrying(j.job_id), Outcome::Succeeded(j.job_id)]
    );
    let events = drain_events(&b).await;
    let Some(JobEvent::Enriched { output }) = events.last() else {
        panic!("{events:?}");
    };
    let project = output
        .suggestions
        .iter()
        .find(|s| s.field == SuggestionField::Project)
        .expect("own project kept");
    assert_eq!(project.value["name"], "API");
}

async fn an_unreachable_model_service_is_waited_for_then_the_entry_is_enriched(kind: Kind) {
    // A port nothing listens on yet: the model service is down.
    let port = ReservedPort::new();
    let (b, _guard) = broker(kind, Duration::from_secs(30)).await;
    let mut ctx = context(b.clone(), &port.url());
    ctx.settings.max_attempts = 1; // attempts are not what runs out
    ctx.settings.model_retry_every = Duration::from_millis(200);
    let j = enrichment_job("Fixed the flaky login test");
    b.publish_job(&Job::Enrichment(j.clone())).await.unwrap();
    let mut outcomes = Vec::new();
    for _ in 0..3 {
        let outcome = process_next(&ctx).await.unwrap();
        if outcome != Outcome::Idle {
            outcomes.push(outcome);
        }
    }
    assert!(
        !outcomes.is_empty()
            && outcomes
                .iter()
                .all(|o| *o == Outcome::WaitingForModel(j.job_id)),
        "waits instead of spending its one attempt: {outcomes:?}"
    );

    let _model = FakeOllama::start_on(port, vec![Reply::json(valid_answer("API"))]).await;
    let mut last = Outcome::Idle;
    for _ in 0..20 {
        last = process_next(&ctx).await.unwrap();
        if matches!(last, Outcome::Succeeded(_) | Outcome::Failed(_)) {
            break;
        }
    }
    assert_eq!(last, Outcome::Succeeded(j.job_id));
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
    assert_eq!(attempt, 1, "no attempt is spent while waiting");
    assert!(
        matches!(events.last(), Some(JobEvent::Enriched { .. })),
        "{events:?}"
    );
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
    a_valid_answer_becomes_checked_suggestions,
    bad_answers_are_retried_then_dropped_and_reports_still_run,
    text_that_is_not_json_is_retried_and_a_later_good_answer_wins,
    an_unreachable_model_service_is_waited_for_then_the_entry_is_enriched,
);
