//! A deterministic synthetic journal for prompt-size tests and the
//! `prompt-tokens` measurement, so both see the same entries every run:
//! titles from a fixed list, a two-sentence description each, about 1 in 6
//! entries key (high value or company impact).

use chrono::{Duration, TimeZone, Utc};
use uuid::Uuid;

use crate::jobs::EntrySnapshot;
use crate::{ActivityType, ImpactLevel, ValueRating};

/// A small deterministic generator, so the fixture is the same every run.
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
pub fn generate(n: usize, days: i64, seed: u64) -> Vec<EntrySnapshot> {
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
