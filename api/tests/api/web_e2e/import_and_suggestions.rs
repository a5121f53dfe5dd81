//! The import page (a calendar file checked with a dry run, then imported
//! as draft entries the journal can filter), an entry's enrichment
//! suggestions shown and accepted on its page, and account deletion in
//! settings.

use std::path::PathBuf;

use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page};
use crate::enrichment::{
    ENRICH, answer, app as enrichment_app, report_reply, wait_for_suggestions,
};
use crate::helpers::{Backend, PASSWORD, spawn_app};
use crate::webdriver::WAIT;

#[tokio::test]
async fn a_calendar_file_is_checked_then_imported_as_drafts_from_the_import_page() {
    let app = spawn_app().await;
    let me = app.register("importer@example.com").await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#empty", WAIT).await;
    browser.goto(&app.url("/#/data")).await;

    // The default window (a year back, 90 days ahead) holds every event of
    // the fixture: 9 occurrences, the all-day and the cancelled one skipped.
    let calendar =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/imports/calendar.ics");
    browser.wait_for("#import-file", WAIT).await;
    browser
        .type_text("#import-file", calendar.to_str().unwrap())
        .await;

    // A one-day window holds one event (the architecture review, 26 Oct).
    let defaults = browser
        .execute(
            "return [document.querySelector('#import-from').value, document.querySelector('#import-to').value];",
            json!([]),
        )
        .await;
    browser.set_value("#import-from", "2026-10-26").await;
    browser.set_value("#import-to", "2026-10-26").await;
    browser.click("#import-check").await;
    browser
        .wait_for_text_containing("#import-report", "Dry run: 1 to import", WAIT)
        .await;
    // A window that ends before it starts is refused on the page.
    browser.set_value("#import-from", "2026-10-27").await;
    browser.click("#import-check").await;
    browser
        .wait_for_text_containing("#error", "ends before it starts", WAIT)
        .await;
    browser
        .set_value("#import-from", defaults[0].as_str().unwrap())
        .await;
    browser
        .set_value("#import-to", defaults[1].as_str().unwrap())
        .await;

    browser.click("#import-check").await;
    browser
        .wait_for_text_containing("#import-report", "Dry run: 9 to import, 2 skipped.", WAIT)
        .await;
    let count = app
        .ok("{ logEntries { edges { cursor } } }", json!({}), &me.access)
        .await;
    assert_eq!(
        count["logEntries"]["edges"],
        json!([]),
        "a dry run writes nothing"
    );
    capture(&browser, "import").await;

    browser.click("#import-run").await;
    browser
        .wait_for_text_containing("#import-report", "Imported 9, skipped 2.", WAIT)
        .await;

    browser.goto(&app.url("/#/")).await;
    let drafts = browser.wait_for_count(".entry .draft", 9, WAIT).await;
    assert_eq!(drafts.len(), 9, "every imported event is a draft");
    // One entry reviewed: saving it clears the flag, so the drafts filter
    // leaves it out.
    let reviewed = app
        .ok(
            "{ logEntries(filter: {draft: true}) { edges { node { id } } } }",
            json!({}),
            &me.access,
        )
        .await["logEntries"]["edges"][0]["node"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.ok(
        "mutation($id: UUID!) { updateLogEntry(id: $id, input: {isDraft: false}) { id } }",
        json!({ "id": reviewed }),
        &me.access,
    )
    .await;
    browser.click("#filter-drafts").await;
    browser.wait_for_count(".entry", 8, WAIT).await;
    assert_eq!(browser.find_all(".entry .draft").await.len(), 8);
    capture(&browser, "journal-drafts").await;
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn accepting_a_suggestion_on_the_entry_page_changes_that_field() {
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(answer("API")),
        report_reply(),
    )])
    .await;
    let app = enrichment_app(Backend::Postgres, &ollama, |_| {}).await;
    let me = app.register("suggested@example.com").await;
    app.create_project(&me.access, "API").await;
    let entry = app
        .create_entry(&me.access, json!({ "title": "Fixed the flaky login test" }))
        .await;
    let id = entry["id"].as_str().unwrap().to_owned();
    wait_for_suggestions(&app, &me.access, &id).await;

    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url(&format!("/#/entries/{id}"))).await;
    let accept = "#suggestions li[data-field=ACTIVITY_TYPE] .suggestion-accept";
    browser.wait_for(accept, WAIT).await;
    capture(&browser, "entry-suggestions").await;
    browser.click(accept).await;
    browser
        .wait_for_gone("#suggestions li[data-field=ACTIVITY_TYPE]", WAIT)
        .await;

    let after = app
        .ok(
            "query($id: UUID!) { logEntry(id: $id) { activityType suggestions { field status } } }",
            json!({ "id": id }),
            &me.access,
        )
        .await;
    assert_eq!(after["logEntry"]["activityType"], "DEBUG");
    // The others are still pending and still offered.
    assert!(
        !browser
            .find_all("#suggestions li[data-field=TAGS]")
            .await
            .is_empty()
    );
    browser.click("#suggestions-dismiss-all").await;
    browser.wait_for_gone("#suggestions", WAIT).await;
    assert_no_console_errors(&browser).await;
}

/// Every kind of value the API sends in a suggestion is shown as text: a
/// bare enum, a project by name, lists comma-separated, and a sentiment as
/// its label with its score.
#[tokio::test]
async fn an_entry_page_shows_every_kind_of_suggested_value() {
    let mut reading = answer("API");
    reading["sentiment"] =
        json!({ "value": "frustrated", "score": -0.25, "reason": "The build kept failing." });
    // Kept in the model's order, spelled as in the vocabulary; the skill
    // nobody has is left out.
    reading["skills"] =
        json!({ "value": ["Testing", "debugging", "juggling"], "reason": "Flaky tests." });
    let ollama = FakeOllama::start(vec![Reply::route(
        ENRICH,
        Reply::json(reading),
        report_reply(),
    )])
    .await;
    let app = enrichment_app(Backend::Postgres, &ollama, |_| {}).await;
    let me = app.register("every-value@example.com").await;
    app.create_project(&me.access, "API").await;
    let entry = app
        .create_entry(
            &me.access,
            json!({ "title": "Fought the flaky login test all afternoon" }),
        )
        .await;
    let id = entry["id"].as_str().unwrap().to_owned();
    let stored = wait_for_suggestions(&app, &me.access, &id).await;
    // What the API sends for the two structured kinds.
    let sent = |field: &str| {
        stored["suggestions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["field"] == field)
            .unwrap_or_else(|| panic!("no {field} suggestion: {stored}"))
            .clone()
    };
    assert_eq!(sent("SENTIMENT")["sentiment"], "FRUSTRATED");
    assert_eq!(sent("SENTIMENT")["sentimentScore"], -0.25);
    assert_eq!(sent("SKILLS")["skills"], json!(["testing", "debugging"]));

    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url(&format!("/#/entries/{id}"))).await;
    let shown = [
        ("ACTIVITY_TYPE", "Activity type", "debug"),
        ("PROJECT", "Project", "API"),
        ("TAGS", "Tags", "testing"),
        ("VALUE_RATING", "Value rating", "high"),
        ("IMPACT_LEVEL", "Impact level", "team"),
        ("SENTIMENT", "Sentiment", "frustrated (score -0.25)"),
        ("SKILLS", "Skills", "testing, debugging"),
    ];
    for (field, name, value) in shown {
        let row = format!("#suggestions li[data-field={field}]");
        assert_eq!(browser.text(&format!("{row} .name")).await, name);
        assert_eq!(browser.text(&format!("{row} code")).await, value, "{field}");
    }
    assert_eq!(
        browser.find_all("#suggestions li").await.len(),
        shown.len(),
        "one row per suggested field"
    );
    // Sentiment and skills change no field: the page says what keeping
    // them means, and only their rows say it.
    for field in ["SENTIMENT", "SKILLS"] {
        let row = format!("#suggestions li[data-field={field}]");
        assert_eq!(
            browser.text(&format!("{row} .suggestion-accept")).await,
            "Keep"
        );
        assert!(
            browser
                .text(&format!("{row} .signal-note"))
                .await
                .contains("Used in your reports unless dismissed")
        );
    }
    assert_eq!(browser.find_all("#suggestions .signal-note").await.len(), 2);
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn account_deletion_is_requested_with_the_password_and_cancelled_in_settings() {
    let app = spawn_app().await;
    let me = app.register("leaving@example.com").await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#empty", WAIT).await;
    browser.goto(&app.url("/#/settings")).await;
    let pending = "{ me { pendingDeletion { mode scheduledFor } } }";

    // A wrong password is refused and changes nothing.
    browser
        .type_text("#deletion-password", "not-my-password")
        .await;
    browser.click("#request-deletion").await;
    browser.wait_for("#delete-account [role=alert]", WAIT).await;
    assert_eq!(
        app.ok(pending, json!({}), &me.access).await["me"]["pendingDeletion"],
        json!(null)
    );

    browser.set_value("#deletion-password", PASSWORD).await;
    browser.click("#request-deletion").await;
    // The server ends every session of the account: the app signs out and
    // says when the account goes.
    browser.wait_for("#sign-in", WAIT).await;
    let notice = browser.wait_for_text("#error", WAIT).await;
    assert!(notice.contains("will be deleted on"), "{notice}");
    let again = app.login("leaving@example.com", PASSWORD).await;
    let token = again["data"]["login"]["accessToken"]
        .as_str()
        .expect("signed in again")
        .to_owned();
    let requested = app.ok(pending, json!({}), &token).await;
    assert_eq!(
        requested["me"]["pendingDeletion"]["mode"], "DELETE",
        "{requested}"
    );

    browser.type_text("#email", "leaving@example.com").await;
    browser.type_text("#password", PASSWORD).await;
    // Signed in again on the page it was on: settings, the deletion pending.
    browser.click("#sign-in").await;
    browser
        .wait_for_text_containing("#deletion-pending", "will be deleted on", WAIT)
        .await;
    capture(&browser, "settings-deletion-pending").await;
    browser.click("#cancel-deletion").await;
    let deadline = std::time::Instant::now() + WAIT;
    while app.ok(pending, json!({}), &token).await["me"]["pendingDeletion"] != json!(null) {
        assert!(
            std::time::Instant::now() < deadline,
            "the cancel did not reach the server"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    browser.wait_for("#request-deletion", WAIT).await;
    assert_eq!(
        app.ok(pending, json!({}), &token).await["me"]["pendingDeletion"],
        json!(null)
    );
    assert_no_console_errors(&browser).await;
}
