//! `ls` for people: entries grouped by local day under a header with the
//! day's total, one aligned row each.

use chrono::NaiveDate;
use chrono_tz::Tz;
use std::fmt::Write;

use crate::entry::{Entry, hours, tag_list};

/// Titles longer than this are cut with `…` so rows stay on one line.
const TITLE_WIDTH: usize = 48;

/// The entries (newest first) as day blocks.
pub fn by_day(entries: &[Entry], tz: Tz) -> String {
    let mut out = String::new();
    let mut days: Vec<(NaiveDate, Vec<&Entry>)> = Vec::new();
    for e in entries {
        let day = e.start_time.with_timezone(&tz).date_naive();
        match days.last_mut() {
            Some((d, list)) if *d == day => list.push(e),
            _ => days.push((day, vec![e])),
        }
    }
    for (i, (day, list)) in days.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let total: i64 = list.iter().map(|e| e.duration_minutes).sum();
        let _ = writeln!(out, "{}  ({})", day.format("%a %Y-%m-%d"), hours(total));
        let width = list
            .iter()
            .map(|e| cut(&e.title).chars().count())
            .max()
            .unwrap_or(0);
        for e in list {
            out.push_str(&row(e, tz, width));
            out.push('\n');
        }
    }
    out
}

fn row(e: &Entry, tz: Tz, width: usize) -> String {
    let start = e.start_time.with_timezone(&tz).format("%H:%M");
    let end = e.end_time.with_timezone(&tz).format("%H:%M");
    let mut extra: Vec<String> = Vec::new();
    if let Some(p) = e.project_name() {
        extra.push(format!("+{p}"));
    }
    if let Some(t) = tag_list(&e.tags) {
        extra.push(t);
    }
    extra.push(format!("!{} @{}", e.value_rating, e.impact_level));
    if e.is_draft {
        extra.push("(draft)".into());
    }
    format!(
        "  {}  {start}–{end} {:>6}  {:<9}  {:<width$}  {}",
        e.short_id(),
        hours(e.duration_minutes),
        e.activity_type.to_string(),
        cut(&e.title),
        extra.join("  "),
    )
}

fn cut(title: &str) -> String {
    if title.chars().count() <= TITLE_WIDTH {
        title.to_owned()
    } else {
        let kept: String = title.chars().take(TITLE_WIDTH - 1).collect();
        format!("{kept}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entry::tests::sample;

    #[test]
    fn entries_group_under_their_local_day_with_its_total() {
        let mut late = sample();
        late.start_time = "2026-03-02T23:30:00Z".parse().unwrap();
        late.end_time = "2026-03-03T00:00:00Z".parse().unwrap();
        late.duration_minutes = 30;
        let text = by_day(&[late, sample(), sample()], chrono_tz::Europe::Paris);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "Tue 2026-03-03  (30m)", "{text}");
        assert_eq!(lines[3], "Mon 2026-03-02  (1h30m)", "{text}");
        assert!(lines[4].contains("09:15–10:00    45m  debug"), "{text}");
        assert!(
            lines[4].contains("+Payments  #incident  !high @company"),
            "{text}"
        );
    }

    #[test]
    fn long_titles_are_cut() {
        let long = "x".repeat(60);
        assert_eq!(cut(&long).chars().count(), TITLE_WIDTH);
    }
}
