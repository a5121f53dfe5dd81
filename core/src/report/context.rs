//! The numbers at the top of every prompt (seed: "Work Log Summary",
//! "Activity Distribution", "Project Breakdown", "Value & Impact Analysis").

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::jobs::EntrySnapshot;

/// Minutes per key, largest first, then by name for stable output.
fn ranked(map: BTreeMap<String, i64>) -> Vec<(String, i64)> {
    let mut rows: Vec<_> = map.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    rows
}

fn share(minutes: i64, total: i64) -> f64 {
    if total == 0 {
        0.0
    } else {
        minutes as f64 * 100.0 / total as f64
    }
}

fn distribution(
    out: &mut String,
    title: &str,
    entries: &[EntrySnapshot],
    key: impl Fn(&EntrySnapshot) -> String,
) {
    let total: i64 = entries.iter().map(|e| i64::from(e.duration_minutes)).sum();
    let mut map = BTreeMap::new();
    for e in entries {
        *map.entry(key(e)).or_insert(0) += i64::from(e.duration_minutes);
    }
    let _ = writeln!(out, "## {title}");
    for (name, minutes) in ranked(map) {
        let _ = writeln!(
            out,
            "- {name}: {:.1}% ({:.1} h)",
            share(minutes, total),
            minutes as f64 / 60.0
        );
    }
    out.push('\n');
}

/// The summary block of the prompt.
pub fn summary_block(entries: &[EntrySnapshot], from: &str, to: &str) -> String {
    let total: i64 = entries.iter().map(|e| i64::from(e.duration_minutes)).sum();
    let mut out = String::new();
    let _ = writeln!(out, "## Work Log Summary");
    let _ = writeln!(out, "- Total hours logged: {:.1}", total as f64 / 60.0);
    let _ = writeln!(out, "- Number of activities: {}", entries.len());
    let _ = writeln!(out, "- Period: {from} to {to}\n");
    distribution(&mut out, "Activity Distribution", entries, |e| {
        e.activity_type.as_str().to_owned()
    });
    distribution(&mut out, "Project Breakdown", entries, |e| {
        e.project.clone().unwrap_or_else(|| "No project".into())
    });
    distribution(&mut out, "Value Distribution", entries, |e| {
        e.value_rating.as_str().to_owned()
    });
    distribution(&mut out, "Impact Distribution", entries, |e| {
        e.impact_level.as_str().to_owned()
    });
    out
}

/// Totals the report stores as structured metrics.
pub fn metrics(entries: &[EntrySnapshot]) -> serde_json::Value {
    let total: i64 = entries.iter().map(|e| i64::from(e.duration_minutes)).sum();
    let by = |key: &dyn Fn(&EntrySnapshot) -> String| {
        let mut map = BTreeMap::new();
        for e in entries {
            *map.entry(key(e)).or_insert(0i64) += i64::from(e.duration_minutes);
        }
        serde_json::to_value(map).unwrap_or_default()
    };
    serde_json::json!({
        "totalMinutes": total,
        "entryCount": entries.len(),
        "minutesByType": by(&|e| e.activity_type.as_str().to_owned()),
        "minutesByValue": by(&|e| e.value_rating.as_str().to_owned()),
        "minutesByImpact": by(&|e| e.impact_level.as_str().to_owned()),
        "minutesByProject": by(&|e| e.project.clone().unwrap_or_else(|| "No project".into())),
    })
}
