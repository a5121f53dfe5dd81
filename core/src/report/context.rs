//! The numbers at the top of every prompt (seed: "Work Log Summary",
//! "Activity Distribution", "Project Breakdown", "Value & Impact Analysis")
//! and the metrics stored with a report. Computed with the dashboard's own
//! definitions (`crate::metrics`): minutes split at local midnight and hour
//! boundaries, only the period's local days counted, so a report and the
//! dashboard of the same period agree.

use chrono_tz::Tz;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;
use uuid::Uuid;

use crate::jobs::{EntrySnapshot, ReportJob};
use crate::metrics::formulas::{ProductivityMetrics, hours, percent};
use crate::metrics::period::Period;
use crate::metrics::tally::{Bucket, EntryFacts, Tally};

fn facts(e: &EntrySnapshot) -> EntryFacts {
    EntryFacts {
        id: e.id,
        start: e.start_time,
        end: e.end_time,
        activity_type: e.activity_type,
        value_rating: e.value_rating,
        impact_level: e.impact_level,
        project_id: e.project_id,
        tags: e.tags.clone(),
    }
}

/// The job's entries tallied over its period in its owner's time zone.
pub fn tally(job: &ReportJob) -> Tally {
    let tz: Tz = job.timezone.parse().unwrap_or(chrono_tz::UTC);
    let facts: Vec<EntryFacts> = job.entries.iter().map(facts).collect();
    match Period::new(job.period_start, job.period_end) {
        Ok(period) => Tally::of_period(&facts, tz, &period),
        // Periods are validated when requested; should one slip through,
        // count every entry's whole day range rather than nothing.
        Err(_) => {
            let period = Period::new(job.period_start, job.period_start).ok();
            period
                .map(|p| Tally::of_period(&facts, tz, &p))
                .unwrap_or_default()
        }
    }
}

fn project_names(job: &ReportJob) -> HashMap<Option<Uuid>, String> {
    job.entries
        .iter()
        .map(|e| {
            (
                e.project_id,
                e.project.clone().unwrap_or_else(|| "No project".into()),
            )
        })
        .collect()
}

fn distribution<K>(
    out: &mut String,
    title: &str,
    total: u64,
    rows: impl IntoIterator<Item = (K, Bucket)>,
    name: impl Fn(&K) -> String,
) {
    let mut rows: Vec<(String, u64)> = rows
        .into_iter()
        .map(|(k, b)| (name(&k), b.minutes))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let _ = writeln!(out, "## {title}");
    for (label, minutes) in rows {
        let _ = writeln!(
            out,
            "- {label}: {:.1}% ({:.1} h)",
            percent(minutes, total),
            hours(minutes)
        );
    }
    out.push('\n');
}

/// The summary block of the prompt.
pub fn summary_block(job: &ReportJob) -> String {
    let t = tally(job);
    let m = ProductivityMetrics::of(&t);
    let names = project_names(job);
    let mut out = String::new();
    let _ = writeln!(out, "## Work Log Summary");
    let _ = writeln!(out, "- Total hours logged: {:.1}", hours(t.total_minutes));
    let _ = writeln!(out, "- Number of activities: {}", t.entries);
    let _ = writeln!(out, "- Period: {} to {}", job.period_start, job.period_end);
    let _ = writeln!(
        out,
        "- Average daily hours: {:.1}; focus score: {:.0}; high-value time: {:.0}%; collaboration: {:.0}%\n",
        m.average_daily_hours, m.focus_score, m.high_value_percentage, m.collaboration_ratio
    );
    distribution(
        &mut out,
        "Activity Distribution",
        t.total_minutes,
        t.by_type.clone(),
        |k| k.as_str().to_owned(),
    );
    distribution(
        &mut out,
        "Project Breakdown",
        t.total_minutes,
        t.by_project.clone(),
        |k| names.get(k).cloned().unwrap_or_else(|| "No project".into()),
    );
    distribution(
        &mut out,
        "Value Distribution",
        t.total_minutes,
        t.by_value.clone(),
        |k| k.as_str().to_owned(),
    );
    distribution(
        &mut out,
        "Impact Distribution",
        t.total_minutes,
        t.by_impact.clone(),
        |k| k.as_str().to_owned(),
    );
    out
}

/// Totals the report stores as structured metrics.
pub fn metrics(job: &ReportJob) -> serde_json::Value {
    let t = tally(job);
    let m = ProductivityMetrics::of(&t);
    let names = project_names(job);
    let minutes = |map: BTreeMap<String, u64>| serde_json::to_value(map).unwrap_or_default();
    serde_json::json!({
        "totalMinutes": t.total_minutes,
        "entryCount": t.entries,
        "minutesByType": minutes(t.by_type.iter().map(|(k, b)| (k.as_str().to_owned(), b.minutes)).collect()),
        "minutesByValue": minutes(t.by_value.iter().map(|(k, b)| (k.as_str().to_owned(), b.minutes)).collect()),
        "minutesByImpact": minutes(t.by_impact.iter().map(|(k, b)| (k.as_str().to_owned(), b.minutes)).collect()),
        "minutesByProject": minutes(t.by_project.iter().map(|(k, b)| {
            (names.get(k).cloned().unwrap_or_else(|| "No project".into()), b.minutes)
        }).collect()),
        "averageDailyHours": m.average_daily_hours,
        "focusScore": m.focus_score,
        "highValuePercentage": m.high_value_percentage,
        "collaborationRatio": m.collaboration_ratio,
        "companyImpactRatio": m.company_impact_ratio,
        "valueImpactScore": m.value_impact_score,
    })
}
