//! `englog capture git [PATH…]`: local repositories' commits become draft
//! entries on the server, one per work session (docs/CLI.md). Idempotent:
//! a session's id is its first commit, so running it again adds nothing
//! and a session that grew updates its draft (never a confirmed entry).

use chrono::TimeDelta;
use serde::Serialize;
use std::path::PathBuf;

use super::print_json;
use crate::capture::git_log::{self, Repository};
use crate::capture::sessions::{SessionDraft, sessions};
use crate::error::CliError;
use crate::gql::enums::ActivityType;
use crate::gql::ops::{UpsertDrafts, upsert_drafts};
use crate::period::Days;
use crate::profile;

/// How far back a capture looks without `--since`, in days (today included).
const DEFAULT_DAYS: i64 = 14;
/// Drafts per request (the server's `upsertDrafts` limit).
const BATCH: usize = 200;

#[derive(Debug, clap::Args)]
pub struct CaptureArgs {
    #[command(subcommand)]
    pub source: CaptureSource,
}

#[derive(Debug, clap::Subcommand)]
pub enum CaptureSource {
    /// Commits of local git repositories, grouped into work sessions, as
    /// `code` drafts (the `git` binary reads them; no network but the server).
    Git(GitArgs),
}

#[derive(Debug, clap::Args)]
pub struct GitArgs {
    /// Repositories (any directory inside one); default the current one.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// From this day (YYYY-MM-DD, today, yesterday) in your profile's time
    /// zone; default 14 days ago.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Whose commits (author e-mail, case-insensitive); default each
    /// repository's `git config user.email`.
    #[arg(long, value_name = "EMAIL")]
    pub author: Option<String>,
    /// Show the drafts without sending them.
    #[arg(long)]
    pub dry_run: bool,
    /// Print what was captured and sent as JSON.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Default, Serialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
struct Counts {
    created: i64,
    updated: i64,
    unchanged: i64,
    kept_confirmed: i64,
    skipped_deleted: i64,
}

#[derive(Serialize)]
struct Captured<'a> {
    repository: String,
    path: String,
    author: String,
    drafts: &'a [SessionDraft],
}

/// Each path's repository and the author whose work it brings; checks
/// every path before anything is sent.
async fn repositories(a: &GitArgs) -> Result<Vec<(Repository, String)>, CliError> {
    let paths = if a.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        a.paths.clone()
    };
    let mut found = Vec::new();
    for path in paths {
        let repo = git_log::open(&path).await?;
        let author = match (&a.author, &repo.user_email) {
            (Some(email), _) => email.trim().to_owned(),
            (None, Some(email)) => email.clone(),
            (None, None) => {
                return Err(CliError::usage(format!(
                    "whose commits? {} has no `git config user.email`: pass --author EMAIL",
                    path.display()
                )));
            }
        };
        if !author.contains('@') {
            return Err(CliError::usage(format!(
                "--author takes an e-mail address, not `{author}`"
            )));
        }
        found.push((repo, author));
    }
    Ok(found)
}

fn to_input(d: &SessionDraft) -> upsert_drafts::DraftInput {
    upsert_drafts::DraftInput {
        external_id: d.external_id.clone(),
        title: d.title.clone(),
        description: Some(d.description.clone()),
        activity_type: ActivityType(englog_core::ActivityType::Code),
        start_time: d.start_time,
        end_time: d.end_time,
        tags: d.tags.clone(),
        project: None,
    }
}

pub async fn run(a: CaptureArgs) -> Result<(), CliError> {
    let CaptureSource::Git(a) = a.source;
    let repos = repositories(&a).await?;
    let (api, profile) = profile::connect().await?;
    let clock = profile.clock();
    let from = match &a.since {
        Some(text) => clock.date(text)?,
        None => clock.today() - TimeDelta::days(DEFAULT_DAYS - 1),
    };
    let (since, _) = Days { from, to: from }.instants(profile.tz);

    let mut captured = Vec::new();
    for (repo, author) in &repos {
        let commits = git_log::commits(repo, since, author).await?;
        captured.push((repo, author, sessions(repo, &commits, profile.tz)));
    }
    let all: Vec<&SessionDraft> = captured.iter().flat_map(|(_, _, d)| d).collect();

    let mut counts = Counts::default();
    if !a.dry_run {
        for batch in all.chunks(BATCH) {
            let vars = upsert_drafts::Variables {
                source: upsert_drafts::CaptureSource::GIT,
                drafts: batch.iter().map(|d| to_input(d)).collect(),
            };
            let r = api.run::<UpsertDrafts>(vars).await?.upsert_drafts;
            counts.created += r.created;
            counts.updated += r.updated;
            counts.unchanged += r.unchanged;
            counts.kept_confirmed += r.kept_confirmed;
            counts.skipped_deleted += r.skipped_deleted;
        }
    }
    if a.json {
        let repositories: Vec<Captured> = captured
            .iter()
            .map(|(repo, author, drafts)| Captured {
                repository: repo.name.clone(),
                path: repo.root.display().to_string(),
                author: (*author).clone(),
                drafts,
            })
            .collect();
        return print_json(&serde_json::json!({
            "dryRun": a.dry_run,
            "repositories": repositories,
            "result": counts,
        }));
    }
    for (repo, author, drafts) in &captured {
        println!(
            "{}: {} work session{} by {author}",
            repo.name,
            drafts.len(),
            if drafts.len() == 1 { "" } else { "s" }
        );
        for d in drafts {
            let start = d.start_time.with_timezone(&profile.tz);
            let end = d.end_time.with_timezone(&profile.tz);
            println!(
                "  {} {}–{}  {}",
                start.format("%Y-%m-%d"),
                start.format("%H:%M"),
                end.format("%H:%M"),
                d.title
            );
        }
    }
    if a.dry_run {
        println!("Dry run: nothing was sent.");
    } else {
        println!(
            "Drafts: {} new, {} updated, {} unchanged, {} already confirmed (left as they are), {} deleted by you earlier (not brought back).",
            counts.created,
            counts.updated,
            counts.unchanged,
            counts.kept_confirmed,
            counts.skipped_deleted
        );
    }
    Ok(())
}
