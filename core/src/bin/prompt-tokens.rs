//! Prints, for each report type at a realistic size, the estimated prompt
//! tokens, the summarisation layer chosen and the key entries listed and
//! omitted, as a Markdown table (docs/PERFORMANCE.md, issue 4).
//!
//! `cargo run -q -p englog-core --bin prompt-tokens`
//!
//! The entries come from the same deterministic generator as
//! `core/tests/report_prompt.rs` (copied, so the numbers are the same every
//! run): titles from a fixed list, a two-sentence description each, about 1
//! in 6 entries key (high value or company impact).

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use englog_core::jobs::{CONTRACT_VERSION, EntrySnapshot, ReportJob};
use englog_core::report::build_prompt;
use englog_core::report::prompt::is_key;
use englog_core::{ActivityType, ImpactLevel, ReportType, ValueRating};
use uuid::Uuid;

/// What an 8k-token context leaves for the prompt once ~2k are kept for the
/// answer.
const BUDGET: usize = 6_000;

struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

const TITLES: &[&str] = &[
    "Daily standup",
    "Implement pagination for the entries API",
    "Review pull request",
    "Debug flaky integration test",
    "Write ADR for the job queue",
    "Pair with a junior on tracing",
    "Sprint planning",
    "Deploy release to staging",
    "Update Jira tickets",
    "Read about Redis Streams",
    "Customer incident follow-up",
    "Refactor the auth middleware",
];

/// `n` entries spread over `days` days from 2026-01-05, about 1 in 6 key.
fn generate(n: usize, days: i64, seed: u64) -> Vec<EntrySnapshot> {
    let mut rng = Lcg(seed);
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap();
    (0..n)
        .map(|i| {
            let day = (i as i64 * days) / n as i64;
            let begin = start + Duration::days(day) + Duration::minutes(rng.next(9 * 60) as i64);
            let minutes = 15 + rng.next(165) as i64;
            let value = match rng.next(10) {
                0 | 1 => ValueRating::High,
                2..=4 => ValueRating::Low,
                _ => ValueRating::Medium,
            };
            let impact = match rng.next(20) {
                0 => ImpactLevel::Company,
                1..=6 => ImpactLevel::Product,
                7..=12 => ImpactLevel::Team,
                _ => ImpactLevel::Personal,
            };
            EntrySnapshot {
                project_id: None,
                id: Uuid::from_u128(i as u128 + 1),
                title: format!("{} #{i}", TITLES[rng.next(TITLES.len() as u64) as usize]),
                description: Some("Context the engineer wrote down about the work, ".repeat(2)),
                activity_type: ActivityType::ALL[rng.next(10) as usize],
                project: Some(["API v2", "Website", "Billing"][rng.next(3) as usize].to_owned()),
                tags: vec!["backend".into()],
                start_time: begin,
                end_time: begin + Duration::minutes(minutes),
                duration_minutes: minutes as i32,
                value_rating: value,
                impact_level: impact,
            }
        })
        .collect()
}

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
