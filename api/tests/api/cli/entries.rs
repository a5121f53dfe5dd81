//! Logging, listing, editing and deleting entries from the terminal.

use serde_json::Value;

use super::logged_in;
use crate::helpers::{Backend, spawn_app_on};

fn find<'a>(list: &'a Value, id: &str) -> &'a Value {
    list.as_array()
        .expect("an array")
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("{id} not listed: {list}"))
}

#[tokio::test]
async fn inline_tokens_make_a_whole_entry_ending_now() {
    let app = spawn_app_on(Backend::Sqlite).await;
    let (englog, me) = logged_in(&app, "cli-log@example.com").await;
    app.create_project(&me.access, "Payments API").await;

    let line = "Fixed checkout 502 #incident +\"Payments API\" !high @company ~debug -45m";
    let entry = englog.run(&["log", line, "--json"], "").await.json();
    assert_eq!(entry["title"], "Fixed checkout 502");
    assert_eq!(entry["tags"], serde_json::json!(["incident"]));
    assert_eq!(entry["project"]["name"], "Payments API");
    assert_eq!(entry["valueRating"], "HIGH");
    assert_eq!(entry["impactLevel"], "COMPANY");
    assert_eq!(entry["activityType"], "DEBUG");
    assert_eq!(entry["durationMinutes"], 45);
    assert_eq!(entry["isDraft"], false);
    let end: chrono::DateTime<chrono::Utc> = entry["endTime"].as_str().unwrap().parse().unwrap();
    assert!(
        (chrono::Utc::now() - end).num_seconds().abs() < 60,
        "{entry}"
    );

    // People read it back in the table, under its day with its short id.
    // From yesterday: within 45 minutes after midnight in the profile's
    // zone (Europe/Paris) the entry began yesterday, and `--today` would
    // rightly leave it out.
    let id = entry["id"].as_str().unwrap();
    let short = &id[id.len() - 8..];
    let table = englog.run(&["ls", "--from", "yesterday"], "").await;
    let text = table.ok();
    assert!(
        text.contains(short) && text.contains("Fixed checkout 502"),
        "{table}"
    );
    assert!(
        text.contains("+Payments API") && text.contains("!high @company"),
        "{table}"
    );
}

#[tokio::test]
async fn flags_win_over_tokens_and_ls_json_shows_every_field() {
    let app = spawn_app_on(Backend::Sqlite).await;
    let (englog, me) = logged_in(&app, "cli-flags@example.com").await;
    app.create_project(&me.access, "Payments API").await;

    // The profile is in Europe/Paris (UTC+1 in March).
    let entry = englog
        .run(
            &[
                "log",
                "Reviewed PR 812 #payments ~code !high",
                "-t",
                "review",
                "-p",
                "payments api",
                "--tag",
                "backend",
                "--start",
                "2026-03-02 09:00",
                "--end",
                "2026-03-02 10:15",
                "--value",
                "low",
                "--impact",
                "team",
                "--note",
                "careful with retries",
                "--draft",
                "--json",
            ],
            "",
        )
        .await
        .json();
    let id = entry["id"].as_str().unwrap();

    let listed = englog
        .run(
            &["ls", "--from", "2026-03-02", "--to", "2026-03-02", "--json"],
            "",
        )
        .await
        .json();
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    let e = find(&listed, id);
    assert_eq!(e["title"], "Reviewed PR 812");
    assert_eq!(e["activityType"], "REVIEW");
    assert_eq!(e["project"]["name"], "Payments API");
    assert_eq!(e["tags"], serde_json::json!(["backend", "payments"]));
    assert_eq!(e["startTime"], "2026-03-02T08:00:00Z");
    assert_eq!(e["endTime"], "2026-03-02T09:15:00Z");
    assert_eq!(e["durationMinutes"], 75);
    assert_eq!(e["valueRating"], "LOW");
    assert_eq!(e["impactLevel"], "TEAM");
    assert_eq!(e["description"], "careful with retries");
    assert_eq!(e["isDraft"], true);

    // The filters narrow the list.
    let drafts = englog.run(&["ls", "--drafts", "--json"], "").await.json();
    find(&drafts, id);
    let other = englog
        .run(
            &["ls", "--from", "2026-03-03", "--to", "2026-03-03", "--json"],
            "",
        )
        .await
        .json();
    assert_eq!(other, serde_json::json!([]));

    // An unknown project creates nothing and says what to do.
    let run = englog.run(&["log", "Lost", "-p", "Nope"], "").await;
    assert_eq!(run.code, 1, "{run}");
    assert!(run.stderr.contains("no project named \"Nope\""), "{run}");
    assert_eq!(
        englog
            .run(&["ls", "--json"], "")
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[tokio::test]
async fn an_entry_is_edited_by_its_short_id_then_deleted() {
    let app = spawn_app_on(Backend::Sqlite).await;
    let (englog, _me) = logged_in(&app, "cli-edit@example.com").await;
    let entry = englog
        .run(
            &[
                "log",
                "Draft title",
                "--start",
                "2026-03-02 09:00",
                "-d",
                "30m",
                "--draft",
                "--json",
            ],
            "",
        )
        .await
        .json();
    let id = entry["id"].as_str().unwrap();
    let short = &id[id.len() - 8..];

    let edited = englog
        .run(
            &[
                "edit",
                short,
                "--title",
                "Final title",
                "-d",
                "1h30m",
                "--tag",
                "a",
                "--tag",
                "b",
                "--confirm",
                "--json",
            ],
            "",
        )
        .await
        .json();
    assert_eq!(edited["id"], id);
    assert_eq!(edited["title"], "Final title");
    assert_eq!(edited["durationMinutes"], 90);
    assert_eq!(edited["startTime"], "2026-03-02T08:00:00Z");
    assert_eq!(edited["tags"], serde_json::json!(["a", "b"]));
    assert_eq!(edited["isDraft"], false);

    let human = englog.run(&["edit", id, "--value", "high"], "").await;
    assert!(
        human.ok().contains("Updated") && human.stdout.contains("high"),
        "{human}"
    );
    let nothing = englog.run(&["edit", id], "").await;
    assert_eq!(nothing.code, 2, "{nothing}");

    // A script must say --yes: nothing is deleted unasked.
    let refused = englog.run(&["rm", short], "").await;
    assert_eq!(refused.code, 2, "{refused}");
    assert!(refused.stderr.contains("--yes"), "{refused}");
    let deleted = englog.run(&["rm", short, "--yes"], "").await;
    assert!(deleted.ok().contains("Deleted"), "{deleted}");
    assert_eq!(
        englog.run(&["ls", "--json"], "").await.json(),
        serde_json::json!([])
    );

    let gone = englog.run(&["rm", id, "--yes"], "").await;
    assert_eq!(gone.code, 1, "{gone}");
    assert!(gone.stderr.contains("not found"), "{gone}");
}
