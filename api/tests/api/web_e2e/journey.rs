//! A person's day in the web app, on PostgreSQL with a worker writing
//! reports against the fake Ollama: register, log three entries with the
//! quick-add form, filter, edit, delete and undo, read the dashboard,
//! request a weekly report and watch it complete live, open a citation,
//! visit every page, create an API token, sign out.

use std::time::{Duration, Instant};

use englog_api::config::Secret;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::{Value, json};

use super::{ENTER, assert_no_console_errors, capture, open_web_page};
use crate::helpers::{Backend, PASSWORD, TestApp, redis_url, session_of, spawn_app_with};
use crate::webdriver::{WAIT, wait_for_download};

const EMAIL: &str = "grace@example.com";
const REPORT_WAIT: Duration = Duration::from_secs(60);

fn report_chunks() -> Vec<String> {
    "## Key accomplishments\n- Shipped the login flow [E1]\n- Planned the next sprint [E2]\n"
        .split_inclusive(' ')
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn a_day_in_the_web_app_from_registration_to_sign_out() {
    let ollama = FakeOllama::start(vec![Reply::Stream {
        chunks: report_chunks(),
        gap: Duration::from_millis(30),
    }])
    .await;
    let url = ollama.url.clone();
    let app = spawn_app_with(Backend::Postgres, move |s| {
        s.redis_url = Some(Secret::new(redis_url()));
        s.reports.embedded_worker = Some(true);
        s.reports.ollama_url = url;
        // This test's own rate-limit counters (the default keys are shared
        // by every test using Redis, all from 127.0.0.1); deleted with the
        // test's Redis prefix.
        s.rate_limits.key_prefix = format!("{}:ratelimit:", s.reports.redis_prefix);
    })
    .await;
    let browser = open_web_page(&app).await;

    // Register.
    browser.wait_for("#sign-in", WAIT).await;
    capture(&browser, "sign-in").await;
    browser.click("#show-register").await;
    browser.wait_for("#register", WAIT).await;
    capture(&browser, "register").await;
    browser.type_text("#first-name", "Grace").await;
    browser.type_text("#last-name", "Hopper").await;
    browser.type_text("#email", EMAIL).await;
    browser.type_text("#password", PASSWORD).await;
    browser.click("#register").await;
    browser.wait_for("#empty", WAIT).await;
    let token = api_token_of(&app).await;

    // Quick add: a title and Enter; type, start, duration and tags when wanted.
    browser.wait_for("#quick-title", WAIT).await;
    browser.click("#quick-type option[value=\"DEBUG\"]").await;
    browser.set_value("#quick-start", "-3h").await;
    browser.set_value("#quick-duration", "1h").await;
    browser.set_value("#quick-tags", "ci, testing").await;
    browser
        .type_text(
            "#quick-title",
            &format!("Fixed the flaky login test{ENTER}"),
        )
        .await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    // Tags are suggested from the ones in use.
    browser.type_text("#quick-tags", "te").await;
    browser
        .wait_for_text_containing("#quick-tags-suggestions", "testing", WAIT)
        .await;
    browser.click("#quick-tags-suggestions .chip").await;
    assert_eq!(
        browser
            .execute(
                "return document.querySelector('#quick-tags').value;",
                json!([])
            )
            .await,
        "testing, "
    );
    browser.set_value("#quick-tags", "").await;
    browser.click("#quick-type option[value=\"REVIEW\"]").await;
    browser.set_value("#quick-start", "-2h").await;
    browser
        .type_text("#quick-title", &format!("Reviewed the payments PR{ENTER}"))
        .await;
    browser.wait_for_count("#entries .entry", 2, WAIT).await;
    // The common case: only a title; the rest stays as last time.
    browser
        .click("#quick-type option[value=\"PLANNING\"]")
        .await;
    browser
        .type_text("#quick-title", &format!("Planned the sprint{ENTER}"))
        .await;
    browser.wait_for_count("#entries .entry", 3, WAIT).await;
    assert_eq!(
        browser.texts("#entries .entry-title").await,
        [
            "Planned the sprint",
            "Reviewed the payments PR",
            "Fixed the flaky login test"
        ]
    );
    let stored = entries(&app, &token).await;
    assert_eq!(stored.len(), 3);
    assert!(
        stored
            .iter()
            .all(|e| e["durationMinutes"] == 60 && e["endTime"].is_string()),
        "the duration typed once stays for the next entries: {stored:#?}"
    );
    assert_eq!(stored[2]["tags"], json!(["ci", "testing"]));
    assert_eq!(stored[2]["activityType"], "DEBUG");

    // A reload: the form starts from the last entry's type and duration.
    browser.goto(&app.url("/")).await;
    browser.wait_for_count("#entries .entry", 3, WAIT).await;
    browser.wait_for("#quick-type", WAIT).await;
    let form = browser
        .execute(
            "return [document.querySelector('#quick-type').value, document.querySelector('#quick-duration').value];",
            json!([]),
        )
        .await;
    assert_eq!(form, json!(["PLANNING", "60m"]));

    // Shortcuts: `/` focuses the search, `n` the quick-add title.
    browser
        .execute("document.activeElement.blur();", json!([]))
        .await;
    browser.press_keys("/").await;
    assert_eq!(browser.focused_id().await, "search");
    browser
        .execute("document.activeElement.blur();", json!([]))
        .await;
    browser.press_keys("n").await;
    assert_eq!(browser.focused_id().await, "quick-title");

    // Filters: text, type, tag.
    browser.set_value("#search", "payments").await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    assert_eq!(
        browser.texts("#entries .entry-title").await,
        ["Reviewed the payments PR"]
    );
    browser.set_value("#search", "").await;
    browser.wait_for_count("#entries .entry", 3, WAIT).await;
    browser.click("#filter-type option[value=\"DEBUG\"]").await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    assert_eq!(
        browser.texts("#entries .entry-title").await,
        ["Fixed the flaky login test"]
    );
    browser.click("#filter-type option[value=\"\"]").await;
    browser.set_value("#filter-tag", "ci").await;
    browser.wait_for_count("#entries .entry", 1, WAIT).await;
    browser.set_value("#filter-tag", "").await;
    browser.wait_for_count("#entries .entry", 3, WAIT).await;

    // Inline edit.
    let review = id_of(&stored, "Reviewed the payments PR");
    browser
        .click(&format!("li.entry[data-id=\"{review}\"] .entry-edit"))
        .await;
    browser
        .set_value("#edit-title", "Reviewed the payments PR with Ana")
        .await;
    browser.click("#edit-save").await;
    browser
        .wait_for_text_containing("#entries", "Reviewed the payments PR with Ana", WAIT)
        .await;
    assert!(
        titles(&app, &token)
            .await
            .contains(&"Reviewed the payments PR with Ana".to_owned())
    );

    // Delete, then undo: nothing is deleted.
    let flaky = id_of(&stored, "Fixed the flaky login test");
    browser
        .click(&format!("li.entry[data-id=\"{flaky}\"] .entry-select"))
        .await;
    browser.click("#delete-selected").await;
    browser.wait_for_count("#entries .entry", 2, WAIT).await;
    browser.wait_for("#toast", WAIT).await;
    browser.click("#undo").await;
    browser.wait_for_count("#entries .entry", 3, WAIT).await;
    assert_eq!(titles(&app, &token).await.len(), 3, "undo kept the entry");
    capture(&browser, "journal").await;

    // Delete for good: the undo window closes and the server deletes it.
    browser
        .click(&format!("li.entry[data-id=\"{flaky}\"] .entry-select"))
        .await;
    browser.click("#delete-selected").await;
    browser.wait_for_count("#entries .entry", 2, WAIT).await;
    browser.wait_for_gone("#toast", WAIT).await;
    wait_until_entries(&app, &token, 2).await;

    // Dashboard.
    browser.click("#nav-dashboard").await;
    browser
        .wait_for_text_containing("#totals", "2 entries", WAIT)
        .await;
    browser
        .wait_for_count("#chart-types .bar-row", 2, WAIT)
        .await;
    browser
        .wait_for_count("#chart-matrix tbody td", 12, WAIT)
        .await;
    browser.wait_for("#chart-trends rect.bar", WAIT).await;
    capture(&browser, "dashboard").await;

    // A weekly report, written live, then a citation opened.
    browser.click("#nav-reports").await;
    browser.wait_for("#request", WAIT).await;
    capture(&browser, "reports").await;
    // The weekly report's default period is this week so far; in a week's
    // first two hours the review above ("2h" ago) started last week and
    // would not be in it (a run at 01:13 UTC on a Monday cited the other
    // entry). The period starts on the review's day instead, in the
    // browser's zone, which the profile took at registration.
    let review_day = browser
        .execute(
            "return new Date(Date.now() - 3 * 3600 * 1000).toLocaleDateString('en-CA');",
            json!([]),
        )
        .await;
    let review_day = review_day.as_str().expect("a date").to_owned();
    browser.set_value("#report-from", &review_day).await;
    browser.click("#request").await;
    browser
        .wait_for_text_containing("#report-status", "Succeeded", REPORT_WAIT)
        .await;
    browser
        .wait_for_text_containing("#report-content", "Shipped the login flow", WAIT)
        .await;
    assert_eq!(ollama.prompts().len(), 1);
    capture(&browser, "report").await;
    // Both downloads, saved by the browser.
    let downloads = tempfile::tempdir().expect("a download directory");
    browser.allow_downloads(downloads.path()).await;
    let hash = browser.execute("return location.hash;", json!([])).await;
    let report_id = hash
        .as_str()
        .and_then(|h| h.strip_prefix("#/reports/"))
        .unwrap_or_else(|| panic!("the report page's address: {hash}"))
        .to_owned();
    browser.click("#export-md").await;
    let markdown = wait_for_download(
        downloads.path(),
        &format!("englog-report-{report_id}.md"),
        WAIT,
    )
    .await;
    let markdown = String::from_utf8(markdown).expect("UTF-8 Markdown");
    assert!(markdown.contains("Shipped the login flow"), "{markdown}");
    browser.click("#export-pdf").await;
    let pdf = wait_for_download(
        downloads.path(),
        &format!("englog-report-{report_id}.pdf"),
        WAIT,
    )
    .await;
    assert!(pdf.starts_with(b"%PDF-"), "a PDF file");
    assert!(
        browser.find_all("#error").await.is_empty(),
        "no error shown"
    );
    // [E1] is the period's first entry by start: the edited review.
    browser.click("#report-content a.cite").await;
    let cited = browser.wait_for_text("#entry-title", WAIT).await;
    assert_eq!(cited, "Reviewed the payments PR with Ana");
    capture(&browser, "entry").await;

    // The other pages.
    browser.click("#nav-projects").await;
    browser.type_text("#project-name", "Payments").await;
    browser.click("#create-project").await;
    browser
        .wait_for_text_containing("#projects", "Payments", WAIT)
        .await;
    capture(&browser, "projects").await;
    browser.click("#nav-tags").await;
    browser
        .wait_for_text_containing("#tags", "testing", WAIT)
        .await;
    capture(&browser, "tags").await;
    browser.click("#nav-data").await;
    browser.wait_for("#export-csv", WAIT).await;
    capture(&browser, "export").await;

    // Settings: an API token, shown once, that works.
    browser.click("#nav-settings").await;
    browser.type_text("#token-name", "CLI on laptop").await;
    browser.click("#create-token").await;
    let secret = browser.wait_for_text("#new-token", WAIT).await;
    browser
        .wait_for_text_containing("#tokens", "CLI on laptop", WAIT)
        .await;
    let me = app
        .graphql("{ me { email } }", json!({}), Some(&secret))
        .await;
    assert_eq!(me["data"]["me"]["email"], EMAIL, "{me}");
    browser
        .wait_for_text_containing("#sessions", "This device", WAIT)
        .await;
    capture(&browser, "settings").await;
    // Revoked, it stops working at once.
    browser.click("#new-token ~ button").await;
    browser.click("#tokens button").await;
    browser.wait_for_gone("#tokens", WAIT).await;
    let refused = app
        .graphql("{ me { email } }", json!({}), Some(&secret))
        .await;
    assert!(refused.get("errors").is_some(), "{refused}");

    assert_no_console_errors(&browser).await;

    // Sign out.
    browser.click("#sign-out").await;
    browser.wait_for("#sign-in", WAIT).await;
    assert!(browser.find_all("#entries").await.is_empty());
    assert_no_console_errors(&browser).await;
}

/// An access token for checking through the API what the browser did.
async fn api_token_of(app: &TestApp) -> String {
    session_of(&app.login(EMAIL, PASSWORD).await, "login").access
}

/// The person's entries, newest first.
async fn entries(app: &TestApp, token: &str) -> Vec<Value> {
    let data = app
        .ok(
            "{ logEntries(first: 100) { nodes { id title activityType tags durationMinutes endTime } } }",
            json!({}),
            token,
        )
        .await;
    data["logEntries"]["nodes"].as_array().unwrap().clone()
}

async fn titles(app: &TestApp, token: &str) -> Vec<String> {
    app.entry_titles(token, Value::Null).await
}

fn id_of(entries: &[Value], title: &str) -> String {
    entries
        .iter()
        .find(|e| e["title"] == title)
        .and_then(|e| e["id"].as_str())
        .unwrap_or_else(|| panic!("no entry {title:?} in {entries:#?}"))
        .to_owned()
}

/// Polls the API until the person has `count` entries.
async fn wait_until_entries(app: &TestApp, token: &str, count: usize) {
    let deadline = Instant::now() + WAIT;
    loop {
        let now = titles(app, token).await.len();
        if now == count {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "expected {count} entries within {WAIT:?}, the API has {now}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
