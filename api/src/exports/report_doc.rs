//! A finished report gathered for export: its text, its citations resolved
//! to the entries they rest on, and its metrics as tables. The Markdown and
//! PDF renderers both read this, so they show the same things.
//!
//! Only a SUCCEEDED report exports; a queued, running, failed or cancelled
//! one (and anyone else's) answers NOT_FOUND, since there is no report text
//! to take away yet.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use englog_core::jobs::Citation;
use englog_core::report::diagnostics::is_diagnostic;
use englog_core::{InsightStatus, ReportType};
use entity::{log_entry, user};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::graphql::enums::parse_stored;
use crate::insights::service::find_owned;
use crate::state::AppState;

/// An entry a marker names, as a reader would recognise it.
pub struct CitedEntry {
    pub title: String,
    /// Local date of the entry's start, in the owner's time zone.
    pub date: NaiveDate,
}

/// One `[En]` marker of the report text and the entry it names.
pub struct SourceEntry {
    pub marker: u32,
    /// `None`: the entry was deleted after the report was written.
    pub entry: Option<CitedEntry>,
}

pub struct Table {
    pub title: String,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

pub struct ReportDocument {
    /// e.g. "Weekly report".
    pub title: String,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub focus_areas: Vec<String>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The report as Markdown, `[E1]` markers included.
    pub content: String,
    /// Sorted by marker, one per marker the text uses.
    pub sources: Vec<SourceEntry>,
    pub tables: Vec<Table>,
}

impl ReportDocument {
    pub fn period(&self) -> String {
        format!("{} to {}", self.period_start, self.period_end)
    }
}

/// "Weekly report" for `weekly`.
fn title(report_type: ReportType) -> String {
    let kind = report_type.as_str();
    let mut chars = kind.chars();
    let kind: String = chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default();
    format!("{kind} report")
}

/// File name without extension, e.g. `englog-weekly-report-2026-03-02`.
pub fn file_stem(report_type: ReportType, period_start: NaiveDate) -> String {
    format!("englog-{}-report-{period_start}", report_type.as_str())
}

pub async fn load(
    state: &AppState,
    user_id: Uuid,
    id: Uuid,
) -> AppResult<(ReportDocument, String)> {
    let insight = find_owned(&state.db, user_id, id).await?;
    let content = match (insight.status, insight.content) {
        (InsightStatus::Succeeded, Some(content)) => content,
        _ => return Err(AppError::NotFound("finished report")),
    };
    let tz: Tz = user::Entity::find_by_id(user_id)
        .one(&state.db)
        .await?
        .and_then(|u| u.timezone.parse().ok())
        .unwrap_or(chrono_tz::UTC);
    let citations: Vec<Citation> = insight
        .citations
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let report_type: ReportType = parse_stored(&insight.report_type)?;
    let doc = ReportDocument {
        title: title(report_type),
        period_start: insight.period_start,
        period_end: insight.period_end,
        focus_areas: serde_json::from_value(insight.focus_areas).unwrap_or_default(),
        finished_at: insight.finished_at,
        sources: sources(state, user_id, tz, &content, &citations).await?,
        content,
        tables: insight.metrics.as_ref().map(tables).unwrap_or_default(),
    };
    Ok((doc, file_stem(report_type, insight.period_start)))
}

/// The markers the text uses, each with the entry it names. Markers come
/// from the stored citations (`markers` pair with `entry_ids`); an entry
/// deleted since the report was written shows as such.
async fn sources(
    state: &AppState,
    user_id: Uuid,
    tz: Tz,
    content: &str,
    citations: &[Citation],
) -> AppResult<Vec<SourceEntry>> {
    let mut by_marker: BTreeMap<u32, Uuid> = BTreeMap::new();
    for c in citations
        .iter()
        .filter(|c| c.markers.len() == c.entry_ids.len())
    {
        for (marker, id) in c.markers.iter().zip(&c.entry_ids) {
            by_marker.insert(*marker, *id);
        }
    }
    let used = markers_in(content);
    let ids: Vec<Uuid> = by_marker.values().copied().collect();
    let entries: HashMap<Uuid, CitedEntry> = if ids.is_empty() {
        HashMap::new()
    } else {
        log_entry::Entity::find()
            .filter(log_entry::Column::UserId.eq(user_id))
            .filter(log_entry::Column::Id.is_in(ids))
            .all(&state.db)
            .await?
            .into_iter()
            .map(|e| {
                let date = e.start_time.with_timezone(&tz).date_naive();
                (
                    e.id,
                    CitedEntry {
                        title: e.title,
                        date,
                    },
                )
            })
            .collect()
    };
    // A marker with no known entry (a report from before markers were
    // kept) is left out rather than guessed.
    Ok(used
        .into_iter()
        .filter_map(|marker| {
            let id = by_marker.get(&marker)?;
            Some(SourceEntry {
                marker,
                entry: entries.get(id).map(|e| CitedEntry {
                    title: e.title.clone(),
                    date: e.date,
                }),
            })
        })
        .collect())
}

/// The distinct `[En]` numbers of a stored text, ascending (the worker
/// already removed the invented ones).
fn markers_in(content: &str) -> BTreeSet<u32> {
    let mut found = BTreeSet::new();
    let mut rest = content;
    while let Some(open) = rest.find('[') {
        rest = &rest[open + 1..];
        let Some(close) = rest.find(']') else { break };
        for part in rest[..close].split([',', ';']) {
            if let Some(n) = part
                .trim()
                .strip_prefix('E')
                .and_then(|d| d.parse::<u32>().ok())
            {
                found.insert(n);
            }
        }
    }
    found
}

/// `minutesByType` → `Minutes by type`.
fn humanise(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    for (i, c) in key.chars().enumerate() {
        if c.is_uppercase() {
            out.push(' ');
            out.extend(c.to_lowercase());
        } else if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn scalar(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::Number(n) => Some(match n.as_f64() {
            Some(f) if n.is_f64() => format!("{f:.2}"),
            _ => n.to_string(),
        }),
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// The metrics object as tables: its scalar values in one summary table,
/// each `{name: minutes}` breakdown in a table of its own.
pub fn tables(metrics: &serde_json::Value) -> Vec<Table> {
    let Some(map) = metrics.as_object() else {
        return Vec::new();
    };
    let mut summary = Table {
        title: "Summary".into(),
        columns: vec!["Metric".into(), "Value".into()],
        rows: Vec::new(),
    };
    let mut breakdowns = Vec::new();
    // How the report was made is not part of it.
    for (key, value) in map.iter().filter(|(k, _)| !is_diagnostic(k)) {
        if let Some(text) = scalar(value) {
            summary.rows.push(vec![humanise(key), text]);
        } else if let Some(inner) = value.as_object() {
            let minutes_table = key.starts_with("minutes");
            let mut rows: Vec<Vec<String>> = inner
                .iter()
                .filter_map(|(name, v)| {
                    let text = scalar(v)?;
                    let mut row = vec![name.clone(), text];
                    if minutes_table {
                        let hours = v.as_f64().unwrap_or(0.0) / 60.0;
                        row.push(format!("{hours:.1}"));
                    }
                    Some(row)
                })
                .collect();
            rows.sort();
            let columns = if minutes_table {
                vec!["Name".into(), "Minutes".into(), "Hours".into()]
            } else {
                vec!["Name".into(), "Value".into()]
            };
            breakdowns.push(Table {
                title: humanise(key),
                columns,
                rows,
            });
        }
    }
    let mut out = Vec::with_capacity(breakdowns.len() + 1);
    if !summary.rows.is_empty() {
        out.push(summary);
    }
    out.extend(breakdowns);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_become_a_summary_and_one_table_per_breakdown() {
        let t = tables(&serde_json::json!({
            "totalMinutes": 90,
            "focusScore": 0.5,
            "minutesByType": { "meeting": 30, "code": 60 },
            "promptLayer": "Detailed",
            "generationMs": 1234,
        }));
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].title, "Summary");
        assert!(
            t[0].rows
                .contains(&vec!["Total minutes".into(), "90".into()])
        );
        assert!(
            t[0].rows
                .contains(&vec!["Focus score".into(), "0.50".into()])
        );
        assert_eq!(t[1].title, "Minutes by type");
        assert_eq!(t[1].rows[0], ["code", "60", "1.0"]);
        assert!(
            t.iter()
                .flat_map(|t| &t.rows)
                .all(|r| r[0] != "Prompt layer" && r[0] != "Generation ms")
        );
    }

    #[test]
    fn markers_are_read_from_the_text() {
        let found = markers_in("- a [E3]\n- b [E1, E3] and [note] [E12;E2]");
        assert_eq!(found.into_iter().collect::<Vec<_>>(), [1, 2, 3, 12]);
    }
}
