//! Commits → work sessions → drafts a person would have written.
//!
//! Commits of one repository less than [`SESSION_GAP`] apart on the same
//! local day form one session. A session starts [`LEAD`] before its first
//! commit (the work that led to it; never before the previous session or
//! local midnight) and ends at its last commit, and lasts at most
//! [`SESSION_CAP`]: an honest estimate the person corrects when they
//! review the draft. The session's id is its repository's first commit
//! hash in it, so a later run that finds more commits updates the draft.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use englog_core::Limits;
use englog_core::metrics::period::local_day_start;
use englog_core::text::clip;

use super::git_log::{Commit, Repository};

pub const SESSION_GAP: Duration = Duration::hours(2);
pub const LEAD: Duration = Duration::minutes(30);
pub const SESSION_CAP: Duration = Duration::hours(4);

/// One draft to send (`upsertDrafts`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SessionDraft {
    pub external_id: String,
    pub title: String,
    pub description: String,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub tags: Vec<String>,
    pub commits: usize,
}

fn local_day(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The start of `at`'s local day (the shared day-start rule).
fn midnight(tz: Tz, at: DateTime<Utc>) -> DateTime<Utc> {
    local_day_start(tz, local_day(tz, at))
}

/// A tag from a repository name (`Payments API` → `payments-api`).
pub fn repo_tag(name: &str) -> Option<String> {
    englog_core::validation::tag_from_name(name)
}

/// "Add idempotency keys; Fix refund rounding and 2 more (payments-api)".
fn title(repo: &str, commits: &[&Commit]) -> String {
    let mut subjects: Vec<&str> = Vec::new();
    for c in commits.iter().filter(|c| !c.is_merge) {
        if !c.subject.is_empty() && !subjects.contains(&c.subject.as_str()) {
            subjects.push(&c.subject);
        }
    }
    if subjects.is_empty() {
        // Only merges: their subjects say what was brought together.
        subjects.extend(commits.iter().map(|c| c.subject.as_str()).take(1));
    }
    let tail = format!(" ({repo})");
    let head = match subjects.as_slice() {
        [] => "Commits".to_owned(),
        [one] => (*one).to_owned(),
        [a, b] => format!("{a}; {b}"),
        [a, b, rest @ ..] => format!("{a}; {b} and {} more", rest.len()),
    };
    let room = Limits::TITLE_MAX.saturating_sub(tail.chars().count());
    format!("{}{tail}", clip(&head, room))
}

/// The commits, one per line, with a link when the remote is a forge.
fn description(repo: &Repository, commits: &[&Commit]) -> String {
    let mut text = String::new();
    if let Some(web) = &repo.web_url {
        text.push_str(&format!("{web}/commit/{}\n", commits[0].hash));
    }
    for c in commits {
        let short: String = c.hash.chars().take(10).collect();
        let merge = if c.is_merge { " (merge)" } else { "" };
        text.push_str(&format!("{short} {}{merge}\n", c.subject));
    }
    clip(text.trim_end(), Limits::DESCRIPTION_MAX)
}

/// Groups `commits` (oldest first) of `repo` into drafts, in `tz`'s days.
pub fn sessions(repo: &Repository, commits: &[Commit], tz: Tz) -> Vec<SessionDraft> {
    let mut groups: Vec<Vec<&Commit>> = Vec::new();
    for c in commits {
        let joins = groups.last().and_then(|g| g.last()).is_some_and(|last| {
            c.at - last.at <= SESSION_GAP && local_day(tz, c.at) == local_day(tz, last.at)
        });
        match groups.last_mut() {
            Some(group) if joins => group.push(c),
            _ => groups.push(vec![c]),
        }
    }
    let mut drafts: Vec<SessionDraft> = Vec::new();
    for group in groups {
        let (Some(first), Some(last)) = (group.first(), group.last()) else {
            continue;
        };
        let mut start = (first.at - LEAD)
            .max(last.at - SESSION_CAP)
            .max(midnight(tz, first.at));
        if let Some(previous) = drafts.last() {
            start = start.max(previous.end_time);
        }
        // A lone commit at midnight sharp still makes a one-minute entry.
        let end = last.at.max(start + Duration::minutes(1));
        drafts.push(SessionDraft {
            external_id: format!("commit:{}", first.hash),
            title: title(&repo.name, &group),
            description: description(repo, &group),
            start_time: start,
            end_time: end,
            tags: repo_tag(&repo.name).into_iter().collect(),
            commits: group.len(),
        });
    }
    drafts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn commit(hash: &str, at: &str, subject: &str) -> Commit {
        Commit {
            hash: hash.into(),
            is_merge: subject.starts_with("Merge"),
            author_email: "ada@example.com".into(),
            at: at.parse().unwrap(),
            subject: subject.into(),
        }
    }

    fn repo() -> Repository {
        Repository {
            root: "/src/payments-api".into(),
            name: "payments-api".into(),
            web_url: Some("https://github.com/acme/payments-api".into()),
            user_email: None,
        }
    }

    #[test]
    fn commits_close_together_make_one_capped_session() {
        let commits = [
            commit("a1", "2026-03-02T08:00:00Z", "Add idempotency keys"),
            commit("a2", "2026-03-02T09:30:00Z", "Fix refund rounding"),
            commit("a3", "2026-03-02T11:00:00Z", "Add idempotency keys"),
            commit("a4", "2026-03-02T12:45:00Z", "Merge branch 'refunds'"),
            // More than two hours later: a new session.
            commit("b1", "2026-03-02T15:00:00Z", "Document the refund API"),
        ];
        let drafts = sessions(&repo(), &commits, chrono_tz::UTC);
        assert_eq!(drafts.len(), 2);
        let first = &drafts[0];
        assert_eq!(first.external_id, "commit:a1");
        assert_eq!(
            first.title,
            "Add idempotency keys; Fix refund rounding (payments-api)"
        );
        // 07:30 would make 5 h 15 min: capped at 4 h before the last commit.
        assert_eq!(first.start_time.to_rfc3339(), "2026-03-02T08:45:00+00:00");
        assert_eq!(first.end_time.to_rfc3339(), "2026-03-02T12:45:00+00:00");
        assert!(
            first
                .description
                .starts_with("https://github.com/acme/payments-api/commit/a1\na1 Add")
        );
        assert_eq!(first.tags, vec!["payments-api"]);
        let second = &drafts[1];
        assert_eq!(second.start_time.to_rfc3339(), "2026-03-02T14:30:00+00:00");
        assert_eq!(second.commits, 1);
    }

    #[test]
    fn sessions_split_at_local_midnight() {
        let paris: Tz = "Europe/Paris".parse().unwrap();
        let commits = [
            // 23:50 and 00:20 in Paris: two local days, two drafts.
            commit("c1", "2026-03-02T22:50:00Z", "Late fix"),
            commit("c2", "2026-03-02T23:20:00Z", "Later fix"),
        ];
        let drafts = sessions(&repo(), &commits, paris);
        assert_eq!(drafts.len(), 2);
        // The second starts at local midnight, not 30 minutes before.
        assert_eq!(
            drafts[1].start_time.to_rfc3339(),
            "2026-03-02T23:00:00+00:00"
        );
    }
}
