//! Reading a local repository's history with the `git` binary (no forge,
//! no network): its name, its web address when the remote has one, and
//! the commits in a period, with their author dates and time zones.

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use tokio::process::Command;

use crate::error::CliError;

/// Field and record separators of our `--format` (unit and record
/// separators: they never occur in a subject line).
const FIELD: char = '\u{1f}';
const RECORD: char = '\u{1e}';
const FORMAT: &str = "--format=%H%x1f%P%x1f%ae%x1f%aI%x1f%s%x1e";

#[derive(Debug, Clone, PartialEq)]
pub struct Commit {
    pub hash: String,
    pub is_merge: bool,
    pub author_email: String,
    /// When the author made it (what `git log` shows), with its offset
    /// already applied.
    pub at: DateTime<Utc>,
    pub subject: String,
}

#[derive(Debug, Clone)]
pub struct Repository {
    pub root: PathBuf,
    /// The directory name people call it by.
    pub name: String,
    /// `https://host/owner/name` when `origin` points at a forge.
    pub web_url: Option<String>,
    /// `git config user.email` here, if set.
    pub user_email: Option<String>,
}

async fn git(dir: &Path, args: &[&str]) -> Result<Option<String>, CliError> {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        // The person's pager and colours must not reach our parser.
        .env("GIT_PAGER", "cat")
        .env("LC_ALL", "C")
        .kill_on_drop(true)
        .output()
        .await
        .map_err(|e| {
            CliError::local(format!(
                "cannot run `git` ({e}); install git and make sure it is on your PATH"
            ))
        })?;
    if !output.status.success() {
        return Ok(None);
    }
    Ok(Some(
        String::from_utf8_lossy(&output.stdout)
            .trim_end()
            .to_owned(),
    ))
}

/// `git@github.com:acme/api.git` or `https://github.com/acme/api.git`
/// → `https://github.com/acme/api`; anything else (a path, no remote) →
/// nothing.
pub fn web_url(remote: &str) -> Option<String> {
    let remote = remote.trim().trim_end_matches('/').trim_end_matches(".git");
    let (host, path) = if let Some(rest) = remote.strip_prefix("https://") {
        rest.split_once('/')?
    } else if let Some(rest) = remote.strip_prefix("ssh://") {
        let rest = rest.split_once('@').map_or(rest, |(_, r)| r);
        let (host, path) = rest.split_once('/')?;
        (host.split(':').next()?, path)
    } else if let Some((user_host, path)) = remote.split_once(':') {
        let host = user_host.split_once('@').map_or(user_host, |(_, h)| h);
        if host.contains('/') {
            return None;
        }
        (host, path)
    } else {
        return None;
    };
    // Credentials in an https remote never reach a draft.
    let host = host.rsplit('@').next()?;
    (!host.is_empty() && !path.is_empty()).then(|| format!("https://{host}/{path}"))
}

/// Opens `path` as a repository; a clear usage error when it is not one.
pub async fn open(path: &Path) -> Result<Repository, CliError> {
    if !path.is_dir() {
        return Err(CliError::usage(format!(
            "{} is not a directory",
            path.display()
        )));
    }
    let root = git(path, &["rev-parse", "--show-toplevel"])
        .await?
        .ok_or_else(|| CliError::usage(format!("{} is not a git repository", path.display())))?;
    let root = PathBuf::from(root);
    let name = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "repository".into());
    let web_url = git(&root, &["config", "--get", "remote.origin.url"])
        .await?
        .and_then(|r| web_url(&r));
    let user_email = git(&root, &["config", "--get", "user.email"])
        .await?
        .filter(|e| !e.trim().is_empty());
    Ok(Repository {
        root,
        name,
        web_url,
        user_email,
    })
}

/// Parses our `--format` output.
pub fn parse(text: &str) -> Result<Vec<Commit>, CliError> {
    text.split(RECORD)
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|record| {
            let fields: Vec<&str> = record.split(FIELD).collect();
            let [hash, parents, email, date, subject] = fields[..] else {
                return Err(CliError::local(format!(
                    "unexpected `git log` line: {record}"
                )));
            };
            let at = DateTime::parse_from_rfc3339(date)
                .map_err(|_| CliError::local(format!("unexpected commit date `{date}`")))?
                .with_timezone(&Utc);
            Ok(Commit {
                hash: hash.to_owned(),
                is_merge: parents.split_whitespace().count() > 1,
                author_email: email.to_owned(),
                at,
                subject: subject.trim().to_owned(),
            })
        })
        .collect()
}

/// Every commit of every local branch authored at or after `since` by
/// `author` (an e-mail address, case-insensitive), oldest first.
pub async fn commits(
    repo: &Repository,
    since: DateTime<Utc>,
    author: &str,
) -> Result<Vec<Commit>, CliError> {
    let since_arg = format!("--since={}", since.to_rfc3339());
    let text = git(
        &repo.root,
        &["log", "--branches", "--date-order", &since_arg, FORMAT],
    )
    .await?
    // A repository without any commit yet has no history to read.
    .unwrap_or_default();
    let mut list: Vec<Commit> = parse(&text)?
        .into_iter()
        // `--since` filters by committer date; the work is the author's.
        .filter(|c| c.at >= since && c.author_email.eq_ignore_ascii_case(author))
        .collect();
    list.sort_by_key(|c| c.at);
    Ok(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remotes_become_web_addresses() {
        assert_eq!(
            web_url("git@github.com:acme/payments-api.git").as_deref(),
            Some("https://github.com/acme/payments-api")
        );
        assert_eq!(
            web_url("https://tok:x@gitlab.example.com/team/app.git").as_deref(),
            Some("https://gitlab.example.com/team/app")
        );
        assert_eq!(
            web_url("ssh://git@git.example.com:2222/team/app.git").as_deref(),
            Some("https://git.example.com/team/app")
        );
        assert_eq!(web_url("/srv/git/app.git"), None);
    }

    #[test]
    fn log_records_parse_with_their_offsets() {
        let text = "a1\u{1f}p1 p2\u{1f}Ada@X.org\u{1f}2026-03-02T09:15:00+01:00\u{1f}Merge branch 'x'\u{1e}\n\
                    b2\u{1f}p1\u{1f}ada@x.org\u{1f}2026-03-02T08:00:00-05:00\u{1f}Fix: it\u{1e}\n";
        let commits = parse(text).unwrap();
        assert_eq!(commits.len(), 2);
        assert!(commits[0].is_merge);
        assert_eq!(commits[0].at.to_rfc3339(), "2026-03-02T08:15:00+00:00");
        assert_eq!(commits[1].at.to_rfc3339(), "2026-03-02T13:00:00+00:00");
        assert!(parse("garbage").is_err());
    }
}
