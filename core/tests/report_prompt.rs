//! The report prompt stays within its token budget for every report type and
//! period length, and never loses a key (high-value or company-impact) entry.

use chrono::{Duration, NaiveDate};
use englog_core::ReportType;
use englog_core::jobs::{CONTRACT_VERSION, EntrySnapshot, ReportJob};
use englog_core::report::prompt::is_key;
use englog_core::report::sample::generate;
use englog_core::report::{Layer, build_prompt};
use uuid::Uuid;

fn job(report_type: ReportType, entries: Vec<EntrySnapshot>, days: i64) -> ReportJob {
    let from = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    ReportJob {
        version: CONTRACT_VERSION,
        job_id: Uuid::now_v7(),
        insight_id: Uuid::now_v7(),
        user_id: Uuid::now_v7(),
        report_type,
        period_start: from,
        period_end: from + Duration::days(days),
        timezone: "Europe/Paris".into(),
        language: "en".into(),
        focus_areas: vec![],
        entries,
        notify_email: None,
        attempt: 1,
        signals: vec![],
        traceparent: None,
        model_wait_since: None,
    }
}

/// What an 8k-token context leaves for the prompt once ~2k are kept for the
/// answer.
const BUDGET: usize = 6_000;

#[test]
fn an_annual_review_of_1250_activities_fits_an_8k_context_with_every_key_entry() {
    let entries = generate(1_250, 360, 7);
    let key: Vec<Uuid> = entries.iter().filter(|e| is_key(e)).map(|e| e.id).collect();
    assert!(
        key.len() > 150,
        "the fixture has many key entries: {}",
        key.len()
    );
    let built = build_prompt(&job(ReportType::Annual, entries, 360), BUDGET);
    assert!(
        built.estimated_tokens <= BUDGET,
        "{} tokens",
        built.estimated_tokens
    );
    assert_eq!(built.key_entries, key.len());
    assert_eq!(built.key_entries_omitted, 0);
    assert!(
        built.layer > Layer::Detailed,
        "a year cannot be listed in full"
    );
    for id in key {
        let n = built.refs.iter().position(|r| *r == id).unwrap() + 1;
        assert!(
            built.prompt.contains(&format!("[E{n}] ")),
            "key entry E{n} is listed"
        );
    }
}

#[test]
fn a_week_is_listed_in_full_with_descriptions() {
    let entries = generate(40, 7, 11);
    let built = build_prompt(&job(ReportType::Weekly, entries.clone(), 7), BUDGET);
    assert_eq!(built.layer, Layer::Detailed);
    assert!(built.estimated_tokens <= BUDGET);
    for n in 1..=entries.len() {
        assert!(built.prompt.contains(&format!("[E{n}] ")));
    }
    assert!(built.prompt.contains("Context the engineer wrote down"));
    assert!(built.prompt.contains("## Activity Distribution"));
    assert!(built.prompt.contains("## Project Breakdown"));
}

#[test]
fn every_report_type_stays_within_budget_at_every_size() {
    for (report_type, n, days) in [
        (ReportType::Daily, 12, 1),
        (ReportType::Weekly, 60, 7),
        (ReportType::Sprint, 130, 14),
        (ReportType::Monthly, 280, 30),
        (ReportType::Quarterly, 800, 90),
        (ReportType::Annual, 3_000, 360),
        (ReportType::Custom, 500, 60),
    ] {
        let built = build_prompt(&job(report_type, generate(n, days, n as u64), days), BUDGET);
        assert!(
            built.estimated_tokens <= BUDGET,
            "{report_type}: {} tokens at layer {:?}",
            built.estimated_tokens,
            built.layer
        );
    }
}

#[test]
fn energy_and_growth_is_asked_for_only_when_the_period_has_readings() {
    use englog_core::enrichment::Sentiment;
    use englog_core::jobs::EntrySignal;
    use englog_core::report::extract_citations;
    let entries = generate(5, 7, 3);
    let mut with = job(ReportType::Weekly, entries.clone(), 6);
    let without = build_prompt(&with, 6_000);
    assert!(!without.prompt.contains("Energy and growth"));
    let mut sorted = entries.clone();
    sorted.sort_by(|a, b| a.start_time.cmp(&b.start_time).then(a.id.cmp(&b.id)));
    with.signals = vec![
        EntrySignal {
            entry_id: sorted[1].id,
            sentiment: Some(Sentiment::Frustrated),
            sentiment_score: Some(-0.5),
            skills: vec!["debugging".into()],
        },
        // Not an entry of the period: ignored.
        EntrySignal {
            entry_id: Uuid::from_u128(999_999),
            sentiment: Some(Sentiment::Energised),
            sentiment_score: Some(1.0),
            skills: vec![],
        },
    ];
    let built = build_prompt(&with, 6_000);
    assert!(built.prompt.contains("## Energy and growth data"));
    assert!(
        built
            .prompt
            .contains("- Felt frustrated: 1 activities (average score -0.50) [E2]")
    );
    assert!(
        built
            .prompt
            .contains("- Skill debugging: exercised in 1 activities [E2]")
    );
    assert!(!built.prompt.contains("energised"));
    assert!(built.prompt.contains("9. Energy and growth"));
    // Its markers are the prompt's own, so citations resolve as usual.
    let cited = extract_citations(
        "## Energy and growth\n- Frustrated by CI [E2]\n",
        &built.refs,
    );
    assert_eq!(cited.citations[0].entry_ids, vec![sorted[1].id]);
    assert_eq!(cited.invented, 0);
    assert!(built.estimated_tokens <= 6_000);
}
