//! What a nudge is about: whether a day has confirmed entries, and the
//! drafts waiting for review, counted by where they came from.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use englog_core::metrics::period::local_day_start;
use entity::log_entry;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use uuid::Uuid;

use crate::error::AppResult;

/// Drafts from one kind of source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceCount {
    /// A stable key: `github`, `gitlab`, `calendar`, `git` or `other`.
    pub source: &'static str,
    /// How a sentence names it: "GitHub", "your calendar".
    pub label: &'static str,
    pub count: u64,
}

/// The drafts waiting for review, most first.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Waiting {
    pub total: u64,
    pub by_source: Vec<SourceCount>,
}

/// The key and label of a stored `log_entries.source`; calendar files and
/// calendar feeds read alike to the person.
fn kind_of(source: Option<&str>) -> (&'static str, &'static str) {
    match source {
        Some("github") => ("github", "GitHub"),
        Some("gitlab") => ("gitlab", "GitLab"),
        Some("ics" | "calendar" | "caldav") => ("calendar", "your calendar"),
        Some("git") => ("git", "your git repositories"),
        _ => ("other", "other sources"),
    }
}

impl Waiting {
    /// Groups `(stored source, count)` rows by the kind of source.
    pub fn from_rows(rows: impl IntoIterator<Item = (Option<String>, i64)>) -> Self {
        let mut by_source: Vec<SourceCount> = Vec::new();
        for (source, count) in rows {
            let count = u64::try_from(count).unwrap_or(0);
            let (key, label) = kind_of(source.as_deref());
            match by_source.iter_mut().find(|s| s.source == key) {
                Some(s) => s.count += count,
                None => by_source.push(SourceCount {
                    source: key,
                    label,
                    count,
                }),
            }
        }
        by_source.retain(|s| s.count > 0);
        by_source.sort_by(|a, b| b.count.cmp(&a.count).then(a.source.cmp(b.source)));
        Self {
            total: by_source.iter().map(|s| s.count).sum(),
            by_source,
        }
    }

    /// "7 drafts from GitHub and your calendar are waiting for review".
    pub fn message(&self) -> String {
        let labels: Vec<&str> = self.by_source.iter().map(|s| s.label).collect();
        let sources = match labels.as_slice() {
            [] => String::new(),
            [one] => (*one).to_owned(),
            [init @ .., last] => format!("{} and {last}", init.join(", ")),
        };
        let (noun, verb) = if self.total == 1 {
            ("draft", "is")
        } else {
            ("drafts", "are")
        };
        format!(
            "{} {noun} from {sources} {verb} waiting for review",
            self.total
        )
    }
}

/// Unconfirmed drafts that started before `before` (drafts of days to
/// come, such as next week's meetings, are not waiting for anything yet).
pub async fn drafts_waiting(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    before: DateTime<Utc>,
) -> AppResult<Waiting> {
    let rows: Vec<(Option<String>, i64)> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::Source)
        .column_as(log_entry::Column::Id.count(), "count")
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::IsDraft.eq(true))
        .filter(log_entry::Column::StartTime.lt(before))
        .group_by(log_entry::Column::Source)
        .into_tuple()
        .all(db)
        .await?;
    Ok(Waiting::from_rows(rows))
}

/// Whether the person confirmed any entry that started on their local
/// `day`.
pub async fn confirmed_on(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    tz: Tz,
    day: NaiveDate,
) -> AppResult<bool> {
    let next = day.succ_opt().unwrap_or(day);
    let confirmed = log_entry::Entity::find()
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::IsDraft.eq(false))
        .filter(log_entry::Column::StartTime.gte(local_day_start(tz, day)))
        .filter(log_entry::Column::StartTime.lt(local_day_start(tz, next)))
        .count(db)
        .await?;
    Ok(confirmed > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(list: &[(Option<&str>, i64)]) -> Waiting {
        Waiting::from_rows(list.iter().map(|(s, n)| (s.map(str::to_owned), *n)))
    }

    #[test]
    fn the_message_names_every_source_most_first() {
        let w = rows(&[(Some("ics"), 2), (Some("github"), 5)]);
        assert_eq!(
            w.message(),
            "7 drafts from GitHub and your calendar are waiting for review"
        );
        let w = rows(&[
            (Some("gitlab"), 1),
            (Some("calendar"), 1),
            (Some("ics"), 1),
            (None, 1),
        ]);
        assert_eq!(w.total, 4);
        assert_eq!(
            w.message(),
            "4 drafts from your calendar, GitLab and other sources are waiting for review"
        );
    }

    #[test]
    fn one_draft_reads_in_the_singular() {
        let w = rows(&[(Some("git"), 1)]);
        assert_eq!(
            w.message(),
            "1 draft from your git repositories is waiting for review"
        );
    }
}
