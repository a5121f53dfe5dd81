//! Done-when 1: `englog capture git` over two real repositories (made
//! here with the `git` binary: two authors, a merge, commit dates in
//! three time zones) creates the expected drafts once; a second run
//! duplicates nothing and leaves a confirmed entry alone; `--author`
//! brings only that author's work.

use serde_json::{Value, json};
use std::path::Path;
use tokio::process::Command;

use super::{Englog, logged_in};
use crate::helpers::spawn_app;

const ADA: (&str, &str) = ("Ada Lovelace", "ada@example.com");
const BOB: (&str, &str) = ("Bob Builder", "bob@example.com");
/// No system or global git configuration reaches the repositories.
const ISOLATED: [(&str, &str); 1] = [("GIT_CONFIG_NOSYSTEM", "1")];

async fn git(dir: &Path, args: &[&str], env: &[(&str, &str)]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .envs(env.iter().copied())
        .output()
        .await
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A commit by `who` at `date` (RFC 3339 with its offset) touching a file.
async fn commit(dir: &Path, who: (&str, &str), date: &str, subject: &str) {
    let file = dir.join(format!("{}.txt", subject.len()));
    std::fs::write(&file, subject).expect("file written");
    git(dir, &["add", "."], &[]).await;
    git(dir, &["commit", "-q", "-m", subject], &author(who, date)).await;
}

fn author<'a>(who: (&'a str, &'a str), date: &'a str) -> [(&'a str, &'a str); 6] {
    [
        ("GIT_AUTHOR_NAME", who.0),
        ("GIT_AUTHOR_EMAIL", who.1),
        ("GIT_AUTHOR_DATE", date),
        ("GIT_COMMITTER_NAME", who.0),
        ("GIT_COMMITTER_EMAIL", who.1),
        ("GIT_COMMITTER_DATE", date),
    ]
}

/// payments-api: Ada's morning work on main and a branch she merges, Bob's
/// commit in New York in between, and Ada's evening commit in India the
/// next day. Its `user.email` is Ada's.
async fn payments_repo(root: &Path) -> std::path::PathBuf {
    let dir = root.join("payments-api");
    std::fs::create_dir_all(&dir).expect("dir");
    git(&dir, &["init", "-q", "-b", "main"], &[]).await;
    git(&dir, &["config", "user.email", ADA.1], &[]).await;
    git(
        &dir,
        &[
            "remote",
            "add",
            "origin",
            "git@github.com:acme/payments-api.git",
        ],
        &[],
    )
    .await;
    commit(
        &dir,
        ADA,
        "2026-03-02T09:00:00+01:00",
        "Add idempotency keys",
    )
    .await;
    git(&dir, &["checkout", "-q", "-b", "refunds"], &[]).await;
    commit(
        &dir,
        ADA,
        "2026-03-02T10:10:00+01:00",
        "Fix refund rounding",
    )
    .await;
    git(&dir, &["checkout", "-q", "main"], &[]).await;
    commit(
        &dir,
        BOB,
        "2026-03-02T04:30:00-05:00",
        "Bump the gateway client",
    )
    .await;
    git(
        &dir,
        &[
            "merge",
            "-q",
            "--no-ff",
            "refunds",
            "-m",
            "Merge branch 'refunds'",
        ],
        &author(ADA, "2026-03-02T10:40:00+01:00"),
    )
    .await;
    commit(
        &dir,
        ADA,
        "2026-03-03T16:00:00+05:30",
        "Document the refund API",
    )
    .await;
    dir
}

/// web-app: one commit each, no `user.email`.
async fn web_repo(root: &Path) -> std::path::PathBuf {
    let dir = root.join("web-app");
    std::fs::create_dir_all(&dir).expect("dir");
    git(&dir, &["init", "-q", "-b", "main"], &[]).await;
    commit(&dir, ADA, "2026-03-03T08:00:00Z", "Fix flaky checkout test").await;
    commit(&dir, BOB, "2026-03-03T09:00:00Z", "Bump dependencies").await;
    dir
}

async fn drafts(app: &crate::helpers::TestApp, token: &str) -> Vec<Value> {
    let data = app
        .ok(
            "query { logEntries(first: 100) { edges { node { id title description activityType startTime endTime tags isDraft } } } }",
            json!({}),
            token,
        )
        .await;
    let mut rows: Vec<Value> = data["logEntries"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    rows.sort_by_key(|r| r["startTime"].as_str().unwrap_or_default().to_owned());
    rows
}

async fn capture(englog: &Englog, args: &[&str]) -> super::Run {
    let mut all = vec!["capture", "git"];
    all.extend_from_slice(args);
    englog.run_with(&all, "", &ISOLATED).await
}

#[tokio::test]
async fn capture_git_creates_session_drafts_once_and_author_filters() {
    let app = spawn_app().await;
    let (englog, me) = logged_in(&app, "ada@example.com").await;
    let root = tempfile::tempdir().expect("temp dir");
    let payments = payments_repo(root.path()).await;
    let web = web_repo(root.path()).await;
    let (p, w) = (payments.to_str().unwrap(), web.to_str().unwrap());

    let first = capture(
        &englog,
        &[p, w, "--since", "2026-03-01", "--author", ADA.1, "--json"],
    )
    .await;
    let out = first.json();
    assert_eq!(
        out["result"],
        json!({ "created": 3, "updated": 0, "unchanged": 0, "keptConfirmed": 0, "skippedDeleted": 0 })
    );
    let rows = drafts(&app, &me.access).await;
    let titles: Vec<&str> = rows.iter().map(|r| r["title"].as_str().unwrap()).collect();
    assert_eq!(
        titles,
        [
            // 09:00 and 10:10 in Paris, merged at 10:40: one session.
            "Add idempotency keys; Fix refund rounding (payments-api)",
            "Fix flaky checkout test (web-app)",
            // 16:00 in Kolkata is 10:30 UTC.
            "Document the refund API (payments-api)",
        ]
    );
    assert!(
        rows.iter()
            .all(|r| r["isDraft"] == true && r["activityType"] == "CODE")
    );
    // Half an hour before the first commit until the merge, in UTC.
    assert_eq!(rows[0]["startTime"], "2026-03-02T07:30:00+00:00");
    assert_eq!(rows[0]["endTime"], "2026-03-02T09:40:00+00:00");
    assert_eq!(rows[0]["tags"], json!(["payments-api"]));
    let notes = rows[0]["description"].as_str().unwrap();
    assert!(
        notes.starts_with("https://github.com/acme/payments-api/commit/"),
        "{notes}"
    );
    assert!(
        notes.contains("Fix refund rounding") && notes.contains("(merge)"),
        "{notes}"
    );
    assert!(
        !notes.contains("Bump the gateway client"),
        "Bob's commit is not Ada's work"
    );
    assert_eq!(rows[2]["startTime"], "2026-03-03T10:00:00+00:00");
    assert_eq!(rows[2]["endTime"], "2026-03-03T10:30:00+00:00");

    // Run again: nothing new.
    let again = capture(
        &englog,
        &[p, w, "--since", "2026-03-01", "--author", ADA.1, "--json"],
    )
    .await;
    assert_eq!(
        again.json()["result"],
        json!({ "created": 0, "updated": 0, "unchanged": 3, "keptConfirmed": 0, "skippedDeleted": 0 })
    );
    assert_eq!(drafts(&app, &me.access).await, rows);

    // Ada confirms the morning session, then commits once more in it:
    // her confirmed entry stays exactly as she confirmed it.
    let confirmed = rows[0]["id"].clone();
    app.ok(
        "mutation($id: UUID!) { updateLogEntry(id: $id, input: { isDraft: false }) { id } }",
        json!({ "id": confirmed }),
        &me.access,
    )
    .await;
    commit(
        &payments,
        ADA,
        "2026-03-02T11:30:00+01:00",
        "Cover refunds in tests",
    )
    .await;
    // The repository's own user.email is Ada's: no --author needed.
    let third = capture(&englog, &[p, "--since", "2026-03-01", "--json"]).await;
    assert_eq!(
        third.json()["result"],
        json!({ "created": 0, "updated": 0, "unchanged": 1, "keptConfirmed": 1, "skippedDeleted": 0 })
    );
    let after = drafts(&app, &me.access).await;
    assert_eq!(after[0]["id"], confirmed);
    assert_eq!(after[0]["title"], rows[0]["title"]);
    assert_eq!(after[0]["endTime"], rows[0]["endTime"]);
    assert_eq!(after[0]["isDraft"], false);

    // --author: only Bob's work comes in, beside Ada's.
    let bob = capture(
        &englog,
        &[p, w, "--since", "2026-03-01", "--author", BOB.1, "--json"],
    )
    .await;
    assert_eq!(bob.json()["result"]["created"], 2);
    let all = drafts(&app, &me.access).await;
    assert_eq!(all.len(), 5);
    let bobs: Vec<&str> = all
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .filter(|t| t.starts_with("Bump"))
        .collect();
    assert_eq!(
        bobs,
        [
            "Bump the gateway client (payments-api)",
            "Bump dependencies (web-app)"
        ]
    );

    // A draft deleted in the journal stays deleted when captured again.
    let gone = all
        .iter()
        .find(|r| r["title"] == "Bump dependencies (web-app)")
        .map(|r| r["id"].clone())
        .expect("Bob's web-app draft");
    app.ok(
        "mutation($id: UUID!) { deleteLogEntry(id: $id) }",
        json!({ "id": gone }),
        &me.access,
    )
    .await;
    let again = capture(
        &englog,
        &[p, w, "--since", "2026-03-01", "--author", BOB.1, "--json"],
    )
    .await;
    assert_eq!(
        again.json()["result"],
        json!({ "created": 0, "updated": 0, "unchanged": 1, "keptConfirmed": 0, "skippedDeleted": 1 })
    );
    assert_eq!(drafts(&app, &me.access).await.len(), 4);
}

#[tokio::test]
async fn capture_git_refuses_a_path_that_is_not_a_repository_and_sends_nothing() {
    let app = spawn_app().await;
    let (englog, me) = logged_in(&app, "ada@example.com").await;
    let root = tempfile::tempdir().expect("temp dir");
    let payments = payments_repo(root.path()).await;
    let web = web_repo(root.path()).await;
    let plain = root.path().join("notes");
    std::fs::create_dir_all(&plain).expect("dir");

    let run = capture(
        &englog,
        &[
            payments.to_str().unwrap(),
            plain.to_str().unwrap(),
            "--author",
            ADA.1,
        ],
    )
    .await;
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("is not a git repository"), "{run}");

    // web-app has no user.email and no --author is given: whose work?
    let run = capture(
        &englog,
        &[payments.to_str().unwrap(), web.to_str().unwrap()],
    )
    .await;
    assert_eq!(run.code, 2, "{run}");
    assert!(run.stderr.contains("--author"), "{run}");
    assert!(drafts(&app, &me.access).await.is_empty());

    // A dry run shows the sessions and sends nothing either.
    let run = capture(
        &englog,
        &[
            payments.to_str().unwrap(),
            "--since",
            "2026-03-01",
            "--dry-run",
        ],
    )
    .await;
    assert!(
        run.ok()
            .contains("payments-api: 2 work sessions by ada@example.com"),
        "{run}"
    );
    assert!(drafts(&app, &me.access).await.is_empty());
}

#[tokio::test]
async fn capture_git_with_a_read_only_token_is_refused_and_writes_nothing() {
    let app = spawn_app().await;
    let me = app.register("ada@example.com").await;
    let token = crate::mcp::api_token(&app, &me.access, "READ").await;
    let englog = Englog::new();
    englog
        .run(
            &["login", "--server", &app.address, "--token-stdin"],
            &token,
        )
        .await
        .ok();
    let root = tempfile::tempdir().expect("temp dir");
    let payments = payments_repo(root.path()).await;

    let run = capture(
        &englog,
        &[payments.to_str().unwrap(), "--since", "2026-03-01"],
    )
    .await;
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("read-only"), "{run}");
    assert!(drafts(&app, &me.access).await.is_empty());
}
