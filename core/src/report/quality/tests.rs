//! The gate on recorded answers: each bad one gets its verdict and reason,
//! a good one passes untouched.

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use uuid::Uuid;

use super::*;
use crate::jobs::{CONTRACT_VERSION, EntrySnapshot, ReportJob};
use crate::report::{build_prompt, extract_citations};
use crate::{ActivityType, ImpactLevel, ValueRating};

/// The week the recorded answers were written about: five entries.
fn week() -> ReportJob {
    let items = [
        (ActivityType::Code, "Added idempotency keys to refunds"),
        (ActivityType::Review, "Reviewed PR 812 on payment retries"),
        (
            ActivityType::Meeting,
            "Sprint planning with the payments team",
        ),
        (
            ActivityType::Debug,
            "Fixed the checkout 502 during the incident",
        ),
        (ActivityType::Docs, "Wrote the runbook for refund retries"),
    ];
    let entries = items
        .into_iter()
        .enumerate()
        .map(|(i, (activity_type, title))| {
            let start =
                Utc.with_ymd_and_hms(2026, 3, 2, 9, 0, 0).unwrap() + Duration::days(i as i64);
            EntrySnapshot {
                id: Uuid::from_u128(7_000 + i as u128),
                title: title.into(),
                description: None,
                activity_type,
                project_id: None,
                project: Some("Payments".into()),
                tags: vec!["payments".into()],
                start_time: start,
                end_time: start + Duration::minutes(90),
                duration_minutes: 90,
                value_rating: ValueRating::Medium,
                impact_level: ImpactLevel::Team,
            }
        })
        .collect();
    ReportJob {
        version: CONTRACT_VERSION,
        job_id: Uuid::nil(),
        insight_id: Uuid::nil(),
        user_id: Uuid::nil(),
        report_type: ReportType::Weekly,
        period_start: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        period_end: NaiveDate::from_ymd_opt(2026, 3, 8).unwrap(),
        timezone: "UTC".into(),
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

/// Judges `answer` as the worker does: citations checked against the
/// prompt's listing first.
fn judge(answer: &str, stop: StopReason) -> Verdict {
    let job = week();
    let built = build_prompt(&job, 6_000);
    let cited = extract_citations(answer, &built.refs);
    let own_words = without_echo(
        answer,
        &built.prompt,
        Thresholds::default().echo_min_line_chars,
    );
    let mut ids: Vec<_> = extract_citations(&own_words, &built.refs)
        .citations
        .iter()
        .flat_map(|c| c.entry_ids.iter().copied())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    assess(
        &GateInput {
            text: answer,
            prompt: &built.prompt,
            report_type: job.report_type,
            period_entries: built.refs.len(),
            valid_citations: ids.len(),
            invented_citations: cited.invented,
            stop,
        },
        &Thresholds::default(),
    )
}

fn checks(verdict: &Verdict, severity: Severity) -> Vec<Check> {
    verdict
        .findings()
        .iter()
        .filter(|f| f.severity == severity)
        .map(|f| f.check)
        .collect()
}

fn rejected_for(verdict: &Verdict, check: Check, phrase: &str) {
    assert!(matches!(verdict, Verdict::Reject(_)), "{verdict:?}");
    let f = verdict
        .findings()
        .iter()
        .find(|f| f.check == check)
        .unwrap_or_else(|| panic!("no {check:?} finding: {verdict:?}"));
    assert_eq!(f.severity, Severity::Major, "{f:?}");
    assert!(f.reason.contains(phrase), "{:?} lacks {phrase:?}", f.reason);
    // Major findings come first, so the reason a person reads leads with them.
    assert_eq!(verdict.findings()[0].severity, Severity::Major);
}

#[test]
fn a_good_weekly_report_passes_without_findings() {
    let verdict = judge(include_str!("fixtures/good_weekly.md"), StopReason::Stop);
    assert_eq!(verdict, Verdict::Pass);
}

#[test]
fn a_repetition_loop_is_refused() {
    let verdict = judge(
        include_str!("fixtures/repetition_loop.md"),
        StopReason::Length,
    );
    rejected_for(&verdict, Check::Repetition, "repeats itself");
    let major = checks(&verdict, Severity::Major);
    assert!(major.contains(&Check::NoCitations), "{major:?}");
    assert!(major.contains(&Check::CutOff), "{major:?}");
}

#[test]
fn an_echo_of_the_prompts_listing_is_refused() {
    let verdict = judge(include_str!("fixtures/prompt_echo.md"), StopReason::Stop);
    rejected_for(
        &verdict,
        Check::PromptEcho,
        "copies the prompt's list of entries",
    );
}

#[test]
fn an_empty_answer_is_refused_for_that_alone() {
    let verdict = judge(include_str!("fixtures/empty.md"), StopReason::Stop);
    rejected_for(&verdict, Check::Empty, "no report text");
    assert_eq!(verdict.findings().len(), 1);
}

#[test]
fn an_answer_cut_at_the_cap_mid_sentence_is_refused() {
    let verdict = judge(include_str!("fixtures/cut_at_cap.md"), StopReason::Length);
    rejected_for(&verdict, Check::CutOff, "cut off at the length limit");
}

#[test]
fn a_complete_answer_that_reached_the_cap_passes_with_a_warning() {
    let verdict = judge(include_str!("fixtures/good_but_cut.md"), StopReason::Length);
    let Verdict::PassWithWarnings(findings) = &verdict else {
        panic!("{verdict:?}");
    };
    assert_eq!(findings.len(), 1, "{findings:?}");
    assert_eq!(findings[0].check, Check::CutOff);
    assert!(findings[0].reason.contains("every section is complete"));
}

#[test]
fn an_answer_citing_only_invented_entries_is_refused() {
    let verdict = judge(include_str!("fixtures/invented_only.md"), StopReason::Stop);
    rejected_for(&verdict, Check::NoCitations, "do not exist");
}

#[test]
fn a_far_too_short_answer_is_refused() {
    let verdict = judge(include_str!("fixtures/too_short.md"), StopReason::Stop);
    rejected_for(&verdict, Check::TooShort, "far too short");
    assert!(checks(&verdict, Severity::Minor).contains(&Check::MissingSections));
}

#[test]
fn a_few_invented_markers_next_to_real_ones_are_a_warning() {
    let answer = include_str!("fixtures/good_weekly.md").replace("[E3]", "[E3, E88]");
    let verdict = judge(&answer, StopReason::Stop);
    assert_eq!(
        checks(&verdict, Severity::Minor),
        [Check::InventedCitations]
    );
}

#[test]
fn a_short_period_needs_fewer_words() {
    let t = Thresholds::default();
    assert_eq!(t.expected_words(ReportType::Weekly, 2), 16);
    assert_eq!(t.expected_words(ReportType::Weekly, 200), 80);
    assert_eq!(t.expected_words(ReportType::Weekly, 0), 8);
}

#[test]
fn the_retry_reminder_names_what_went_wrong() {
    let verdict = judge(
        include_str!("fixtures/repetition_loop.md"),
        StopReason::Length,
    );
    let reminder = stricter_reminder(verdict.findings());
    assert!(reminder.contains("repeats itself"), "{reminder}");
    assert!(reminder.contains("[E3]"));
}

/// Recorded from SmolLM2-135M (`worker/tests/worker/real_model.rs`, cap
/// 320 tokens): the requirement list's headings, looped until the cap.
#[test]
fn a_real_small_models_heading_loop_is_refused() {
    let verdict = judge(
        include_str!("fixtures/smollm2_headings_loop.md"),
        StopReason::Stop,
    );
    rejected_for(&verdict, Check::Repetition, "repeats itself");
    assert!(checks(&verdict, Severity::Major).contains(&Check::NoCitations));
}

/// Recorded from SmolLM2-135M: the prompt's entry listing copied back,
/// with its markers (which name real entries, so only the echo catches it).
#[test]
fn a_real_small_models_listing_echo_is_refused() {
    let verdict = judge(
        include_str!("fixtures/smollm2_listing_echo.md"),
        StopReason::Stop,
    );
    rejected_for(
        &verdict,
        Check::PromptEcho,
        "copies the prompt's list of entries",
    );
}
