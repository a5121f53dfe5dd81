//! Normalised activity → draft entries that read like a person wrote
//! them, with honest, capped time estimates the person can correct:
//!
//! - a change (PR/MR) authored → one `code` draft, from its first commit
//!   (when known) to when it was opened, at most [`CODE_CAP_MINUTES`] and
//!   never before that local day; 60 minutes when the start is unknown;
//! - reviews given → one `review` draft per change per local day, from
//!   [`REVIEW_MINUTES`] before the first review to the last one (capped);
//! - an issue closed → a [`ISSUE_MINUTES`] `code` draft ending at the close.
//!
//! Days are the person's local days, so two reviews of one PR in one
//! evening make one draft. Links stay in the notes; the repository and
//! the labels become tags.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;
use englog_core::validation::tag_from_name;
use englog_core::{ActivityType, Limits};
use std::collections::BTreeMap;

use englog_core::text::clip;

use super::drafts::{Draft, DraftSet};
use super::source::{ActivityItem, ItemKind};

pub const CODE_CAP_MINUTES: i64 = 4 * 60;
pub const CODE_UNKNOWN_MINUTES: i64 = 60;
pub const REVIEW_MINUTES: i64 = 30;
pub const REVIEW_CAP_MINUTES: i64 = 2 * 60;
pub const ISSUE_MINUTES: i64 = 30;

/// How drafts of one connector are named and filed.
pub struct Grouping<'a> {
    /// Prefix of every external id (`github:api.github.com`), so two
    /// connectors never collide.
    pub namespace: &'a str,
    pub tz: Tz,
    /// Repository → project name, from the connector's settings.
    pub projects: &'a BTreeMap<String, String>,
}

/// The short name people use for a repository (`acme/payments-api` →
/// `payments-api`).
fn short_repo(repository: &str) -> &str {
    repository.rsplit('/').next().unwrap_or(repository)
}

fn local_day(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The start of `at`'s local day, as UTC.
fn day_start(tz: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
    let day = local_day(tz, at);
    day.and_hms_opt(0, 0, 0)
        .and_then(|midnight| tz.from_local_datetime(&midnight).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or(at)
}

impl Grouping<'_> {
    fn tags(&self, item: &ActivityItem) -> Vec<String> {
        let mut tags: Vec<String> = std::iter::once(short_repo(&item.repository))
            .chain(item.labels.iter().map(String::as_str))
            .filter_map(tag_from_name)
            .collect();
        tags.dedup();
        tags.truncate(Limits::TAGS_PER_ENTRY_MAX);
        tags
    }

    fn project(&self, item: &ActivityItem) -> Option<String> {
        self.projects
            .get(&item.repository)
            .or_else(|| self.projects.get(short_repo(&item.repository)))
            .cloned()
    }

    fn title(&self, verb: &str, item: &ActivityItem, noun: &str) -> String {
        let head = format!("{verb} {noun} {}{}", item.sigil, item.number);
        let tail = format!("({})", short_repo(&item.repository));
        let room =
            Limits::TITLE_MAX.saturating_sub(head.chars().count() + tail.chars().count() + 2);
        format!("{head} {} {tail}", clip(&item.title, room))
    }

    fn uid(&self, what: &str, item: &ActivityItem, day: Option<NaiveDate>) -> String {
        let base = format!(
            "{}:{what}:{}{}{}",
            self.namespace, item.repository, item.sigil, item.number
        );
        match day {
            Some(d) => format!("{base}:{d}"),
            None => base,
        }
    }

    fn draft(&self, uid: String, title: String, item: &ActivityItem, kind: ActivityType) -> Draft {
        Draft {
            external_uid: uid,
            title,
            description: Some(item.url.clone()),
            activity_type: kind,
            start_time: item.at,
            end_time: item.at,
            tags: self.tags(item),
            project: self.project(item),
        }
    }

    fn authored(&self, item: &ActivityItem) -> Draft {
        let end = item.at;
        let earliest = (end - Duration::minutes(CODE_CAP_MINUTES)).max(day_start(self.tz, end));
        let start = match item.started_at {
            Some(first) if first < end => first.max(earliest),
            _ => (end - Duration::minutes(CODE_UNKNOWN_MINUTES)).max(earliest),
        };
        let verb = if item.accepted {
            "Wrote and merged"
        } else {
            "Opened"
        };
        let noun = if item.sigil == '!' { "MR" } else { "PR" };
        let mut draft = self.draft(
            self.uid("change", item, None),
            self.title(verb, item, noun),
            item,
            ActivityType::Code,
        );
        draft.start_time = start;
        // A change opened at midnight sharp still gets a minute.
        draft.end_time = end.max(start + Duration::minutes(1));
        draft
    }

    fn reviews(&self, day: NaiveDate, of_day: &[&ActivityItem]) -> Option<Draft> {
        let first = of_day.iter().map(|i| i.at).min()?;
        let last = of_day.iter().map(|i| i.at).max()?;
        let item = of_day.iter().max_by_key(|i| i.at)?;
        let start = (first - Duration::minutes(REVIEW_MINUTES))
            .max(last - Duration::minutes(REVIEW_CAP_MINUTES))
            .max(day_start(self.tz, first));
        let noun = if item.sigil == '!' { "MR" } else { "PR" };
        let mut draft = self.draft(
            self.uid("review", item, Some(day)),
            self.title("Reviewed", item, noun),
            item,
            ActivityType::Review,
        );
        draft.start_time = start;
        draft.end_time = last.max(start + Duration::minutes(1));
        Some(draft)
    }

    fn closed(&self, item: &ActivityItem) -> Draft {
        let mut draft = self.draft(
            self.uid("issue", item, None),
            self.title("Closed", item, "issue"),
            item,
            ActivityType::Code,
        );
        draft.start_time =
            (item.at - Duration::minutes(ISSUE_MINUTES)).max(day_start(self.tz, item.at));
        draft.end_time = item.at.max(draft.start_time + Duration::minutes(1));
        draft
    }

    /// The drafts for `items`, and the ids of drafts whose item is gone.
    pub fn drafts(&self, items: &[ActivityItem]) -> DraftSet {
        let mut set = DraftSet::default();
        // (repository, number, day) → that day's reviews; gone reviews
        // only count when no live review is left that day.
        let mut reviews: BTreeMap<(String, u64, NaiveDate), (Vec<&ActivityItem>, bool)> =
            BTreeMap::new();
        for item in items {
            match item.kind {
                ItemKind::ChangeAuthored if item.gone => {
                    set.removals.push(self.uid("change", item, None))
                }
                ItemKind::ChangeAuthored => set.upserts.push(self.authored(item)),
                ItemKind::IssueClosed if item.gone => {
                    set.removals.push(self.uid("issue", item, None))
                }
                ItemKind::IssueClosed => set.upserts.push(self.closed(item)),
                ItemKind::ReviewGiven => {
                    let day = local_day(self.tz, item.at);
                    let slot = reviews
                        .entry((item.repository.clone(), item.number, day))
                        .or_insert_with(|| (Vec::new(), false));
                    if item.gone {
                        slot.1 = true;
                    } else {
                        slot.0.push(item);
                    }
                }
            }
        }
        for ((repository, number, day), (live, any_gone)) in reviews {
            match self.reviews(day, &live) {
                Some(draft) => set.upserts.push(draft),
                None if any_gone => set.removals.push(format!(
                    "{}:review:{repository}{}{number}:{day}",
                    self.namespace,
                    items
                        .iter()
                        .find(|i| i.repository == repository && i.number == number)
                        .map_or('#', |i| i.sigil)
                )),
                None => {}
            }
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn review(at: &str, gone: bool) -> ActivityItem {
        ActivityItem {
            kind: ItemKind::ReviewGiven,
            repository: "acme/payments-api".into(),
            number: 812,
            sigil: '#',
            title: "Idempotency keys for refunds".into(),
            url: "https://github.com/acme/payments-api/pull/812".into(),
            started_at: None,
            at: at.parse().unwrap(),
            labels: vec![],
            accepted: false,
            gone,
        }
    }

    fn grouping(projects: &BTreeMap<String, String>) -> Grouping<'_> {
        Grouping {
            namespace: "github:api.github.com",
            tz: "Europe/Paris".parse().unwrap(),
            projects,
        }
    }

    #[test]
    fn labels_become_valid_tags_or_nothing() {
        assert_eq!(
            tag_from_name("Good first issue").as_deref(),
            Some("good-first-issue")
        );
        assert_eq!(
            tag_from_name("area: API/v2").as_deref(),
            Some("area--api-v2")
        );
        assert_eq!(tag_from_name("   "), None);
        assert_eq!(tag_from_name(&"x".repeat(80)).map(|t| t.len()), Some(50));
    }

    #[test]
    fn reviews_group_per_local_day_and_a_day_of_dismissed_reviews_is_removed() {
        let rules = BTreeMap::from([("payments-api".to_owned(), "Payments".to_owned())]);
        let set = grouping(&rules).drafts(&[
            // 23:30 and 00:10 in Paris: two local days.
            review("2026-03-02T22:30:00Z", false),
            review("2026-03-02T23:10:00Z", false),
            review("2026-03-04T09:00:00Z", true),
        ]);
        assert_eq!(set.upserts.len(), 2);
        let first = &set.upserts[0];
        assert_eq!(
            first.title,
            "Reviewed PR #812 Idempotency keys for refunds (payments-api)"
        );
        assert_eq!(
            first.external_uid,
            "github:api.github.com:review:acme/payments-api#812:2026-03-02"
        );
        assert_eq!(first.project.as_deref(), Some("Payments"));
        // The second day starts at local midnight, not 30 minutes before.
        assert_eq!(
            set.upserts[1].start_time.to_rfc3339(),
            "2026-03-02T23:00:00+00:00"
        );
        assert_eq!(
            set.removals,
            ["github:api.github.com:review:acme/payments-api#812:2026-03-04"]
        );
    }

    #[test]
    fn a_long_title_is_clipped_but_keeps_its_number_and_repository() {
        let mut item = review("2026-03-02T10:00:00Z", false);
        item.kind = ItemKind::ChangeAuthored;
        item.title = "word ".repeat(100);
        let set = grouping(&BTreeMap::new()).drafts(&[item]);
        let title = &set.upserts[0].title;
        assert!(title.chars().count() <= Limits::TITLE_MAX, "{title}");
        assert!(title.starts_with("Opened PR #812 word") && title.ends_with("… (payments-api)"));
        // Start unknown: an hour before it was opened.
        assert_eq!(
            set.upserts[0].start_time.to_rfc3339(),
            "2026-03-02T09:00:00+00:00"
        );
    }
}
