//! Prints, for each report type at a realistic size, the estimated prompt
//! tokens, the summarisation layer chosen and the key entries listed and
//! omitted, as a Markdown table (docs/PERFORMANCE.md, issue 4).
//!
//! `cargo run -q -p englog-core --bin prompt-tokens`
//!
//! The entries come from `englog_core::report::sample`, the deterministic
//! generator the prompt tests use, so the numbers are the same every run.

use chrono::{Duration, NaiveDate};
use englog_core::ReportType;
use englog_core::jobs::{CONTRACT_VERSION, EntrySnapshot, ReportJob};
use englog_core::report::build_prompt;
use englog_core::report::prompt::is_key;
use englog_core::report::sample::generate;
use uuid::Uuid;

/// What an 8k-token context leaves for the prompt once ~2k are kept for the
/// answer.
const BUDGET: usize = 6_000;

fn job(report_type: ReportType, entries: Vec<EntrySnapshot>, days: i64) -> ReportJob {
    let from = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    let focus_areas = if report_type == ReportType::Custom {
        vec!["reliability".into(), "mentoring".into()]
    } else {
        vec![]
    };
    ReportJob {
        version: CONTRACT_VERSION,
        job_id: Uuid::from_u128(1),
        insight_id: Uuid::from_u128(2),
        user_id: Uuid::from_u128(3),
        report_type,
        period_start: from,
        period_end: from + Duration::days(days),
        timezone: "Europe/Paris".into(),
        language: "en".into(),
        focus_areas,
        entries,
        notify_email: None,
        attempt: 1,
        signals: vec![],
        traceparent: None,
        model_wait_since: None,
    }
}

fn main() {
    println!("Budget: {BUDGET} estimated tokens (8k context, ~2k kept for the answer).");
    println!();
    println!(
        "| report type | entries | days | est. prompt tokens | % of budget | layer | key entries | key entries omitted | prompt chars |"
    );
    println!("|---|--:|--:|--:|--:|---|--:|--:|--:|");
    for (report_type, n, days) in [
        (ReportType::Daily, 12, 1),
        (ReportType::Weekly, 60, 7),
        (ReportType::Sprint, 130, 14),
        (ReportType::Monthly, 280, 30),
        (ReportType::Quarterly, 800, 90),
        (ReportType::Annual, 1_250, 360),
        (ReportType::Custom, 500, 60),
    ] {
        let entries = generate(n, days, n as u64);
        let key = entries.iter().filter(|e| is_key(e)).count();
        let built = build_prompt(&job(report_type, entries, days), BUDGET);
        assert_eq!(
            built.key_entries, key,
            "every key entry of the period is counted"
        );
        let chars = built.system.chars().count() + built.prompt.chars().count();
        println!(
            "| {report_type} | {n} | {days} | {} | {:.0} % | {:?} | {} | {} | {chars} |",
            built.estimated_tokens,
            built.estimated_tokens as f64 * 100.0 / BUDGET as f64,
            built.layer,
            built.key_entries,
            built.key_entries_omitted,
        );
    }
}
