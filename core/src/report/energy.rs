//! The "Energy and growth" input of a report: how the period's work felt
//! and which skills it exercised, from the entries' enrichment signals.
//! Empty when the period has none, and the prompt then asks for no section.

use std::collections::BTreeMap;
use std::fmt::Write;

use crate::jobs::{EntrySnapshot, ReportJob};

/// `[E3, E7]` markers of `ids` as numbered in `entries` (1-based).
fn markers(entries: &[EntrySnapshot], ids: &[uuid::Uuid]) -> String {
    let mut numbers: Vec<usize> = ids
        .iter()
        .filter_map(|id| entries.iter().position(|e| e.id == *id).map(|i| i + 1))
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let list: Vec<String> = numbers.iter().map(|n| format!("E{n}")).collect();
    format!("[{}]", list.join(", "))
}

/// The block placed before the analysis requirements; `entries` in prompt
/// order.
pub fn energy_block(job: &ReportJob, entries: &[EntrySnapshot]) -> String {
    let signals: Vec<_> = job
        .signals
        .iter()
        .filter(|s| entries.iter().any(|e| e.id == s.entry_id))
        .filter(|s| s.sentiment.is_some() || !s.skills.is_empty())
        .collect();
    if signals.is_empty() {
        return String::new();
    }
    let mut moods: BTreeMap<&str, (Vec<uuid::Uuid>, f64)> = BTreeMap::new();
    let mut skills: BTreeMap<&str, Vec<uuid::Uuid>> = BTreeMap::new();
    for s in &signals {
        if let Some(m) = s.sentiment {
            let slot = moods.entry(m.as_str()).or_default();
            slot.0.push(s.entry_id);
            slot.1 += s.sentiment_score.unwrap_or(0.0);
        }
        for skill in &s.skills {
            skills.entry(skill.as_str()).or_default().push(s.entry_id);
        }
    }
    let mut out = String::from("\n## Energy and growth data\n");
    for (mood, (ids, total)) in &moods {
        let _ = writeln!(
            out,
            "- Felt {mood}: {} activities (average score {:.2}) {}",
            ids.len(),
            total / ids.len() as f64,
            markers(entries, ids)
        );
    }
    for (skill, ids) in &skills {
        let _ = writeln!(
            out,
            "- Skill {skill}: exercised in {} activities {}",
            ids.len(),
            markers(entries, ids)
        );
    }
    out
}
