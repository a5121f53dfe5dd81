//! Projects and tags edited in place, and the password and sign-in
//! settings, as a person does them in the browser.

use std::time::{Duration, Instant};

use serde_json::json;

use super::session::{restore_session, tokens};
use super::{assert_no_console_errors, capture, open_web_page};
use crate::helpers::{PASSWORD, spawn_app};
use crate::webdriver::{Browser, WAIT};

#[tokio::test]
async fn a_project_is_renamed_recoloured_and_deleted_saying_what_happens_to_its_entries() {
    let app = spawn_app().await;
    let me = app.register("projects@example.com").await;
    let payments = app.create_project(&me.access, "Payments").await;
    app.create_project(&me.access, "Infra").await;
    for title in ["Refund retries", "Ledger fix"] {
        app.create_entry(&me.access, json!({ "title": title, "projectId": payments }))
            .await;
    }
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/projects")).await;
    let row = format!("#projects li[data-id=\"{payments}\"]");
    browser.wait_for(&row, WAIT).await;
    capture(&browser, "projects-edit").await;

    browser.click(&format!("{row} .project-edit")).await;
    browser
        .set_value(&format!("{row} .project-name"), "Payments API")
        .await;
    browser
        .set_value(&format!("{row} .project-color"), "#aa3366")
        .await;
    browser.click(&format!("{row} .project-save")).await;
    browser
        .wait_for_text_containing(&format!("{row} .name"), "Payments API", WAIT)
        .await;
    let project = app
        .ok(
            "query($id: UUID!) { project(id: $id) { name color } }",
            json!({ "id": payments }),
            &me.access,
        )
        .await;
    assert_eq!(
        project["project"],
        json!({ "name": "Payments API", "color": "#aa3366" })
    );

    // Another project's name, in another case, is refused and changes nothing.
    browser.click(&format!("{row} .project-edit")).await;
    browser
        .set_value(&format!("{row} .project-name"), "infra")
        .await;
    browser.click(&format!("{row} .project-save")).await;
    browser
        .wait_for_text_containing(&format!("{row} .error"), "already have a project", WAIT)
        .await;
    let unchanged = app
        .ok(
            "query($id: UUID!) { project(id: $id) { name } }",
            json!({ "id": payments }),
            &me.access,
        )
        .await;
    assert_eq!(unchanged["project"]["name"], "Payments API");
    browser
        .click(&format!("{row} .project-form button.secondary"))
        .await;

    // Deleting says what happens to the two entries first.
    browser.click(&format!("{row} .project-delete")).await;
    let warning = browser
        .wait_for_text_containing(&format!("{row} .confirm"), "2 entries", WAIT)
        .await;
    assert!(warning.contains("stay in your journal"), "{warning}");
    browser
        .click(&format!("{row} .project-delete-confirm"))
        .await;
    browser.wait_for_gone(&row, WAIT).await;
    let projects = app.ok("{ projects { name } }", json!({}), &me.access).await;
    assert_eq!(projects["projects"], json!([{ "name": "Infra" }]));
    let kept = app
        .ok(
            "{ logEntries(first: 10) { edges { node { title projectId } } } }",
            json!({}),
            &me.access,
        )
        .await;
    let edges = kept["logEntries"]["edges"].as_array().expect("edges");
    assert_eq!(edges.len(), 2, "the entries stay");
    assert!(edges.iter().all(|e| e["node"]["projectId"].is_null()));
    assert_no_console_errors(&browser).await;
}

#[tokio::test]
async fn a_tag_changes_category_and_colour_and_is_deleted_after_a_warning() {
    let app = spawn_app().await;
    let me = app.register("tags@example.com").await;
    app.create_entry(&me.access, json!({ "title": "Pager", "tags": ["oncall"] }))
        .await;
    let tags = app.ok("{ tags { id name } }", json!({}), &me.access).await;
    let id = tags["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .find(|t| t["name"] == "oncall")
        .expect("the oncall tag")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/tags")).await;
    let row = format!("#tags li[data-id=\"{id}\"]");
    browser.wait_for(&row, WAIT).await;
    capture(&browser, "tags-edit").await;

    browser
        .set_value(&format!("{row} .tag-category"), "COLLABORATION")
        .await;
    browser
        .set_value(&format!("{row} .tag-color"), "#118844")
        .await;
    let deadline = Instant::now() + WAIT;
    loop {
        let tag = app
            .ok(
                "query { tags { id category color } }",
                json!({}),
                &me.access,
            )
            .await;
        let ours = tag["tags"]
            .as_array()
            .and_then(|t| t.iter().find(|t| t["id"] == id.as_str()).cloned())
            .expect("the tag");
        if ours["category"] == "COLLABORATION" && ours["color"] == "#118844" {
            break;
        }
        assert!(Instant::now() < deadline, "the tag never changed: {ours}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    browser.click(&format!("{row} .tag-delete")).await;
    browser
        .wait_for_text_containing(&format!("{row} .confirm"), "taken off its 1 entries", WAIT)
        .await;
    browser.click(&format!("{row} .tag-delete-confirm")).await;
    browser.wait_for_gone(&row, WAIT).await;
    let entry = app
        .ok(
            "{ logEntries(first: 1) { edges { node { title tags } } } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(
        entry["logEntries"]["edges"][0]["node"],
        json!({ "title": "Pager", "tags": [] })
    );
    assert_no_console_errors(&browser).await;
}

/// Reloads `browser` until it shows the sign-in page (the revoked session
/// is refused within the server's revocation bound). A reload, not a
/// navigation: the same URL with a hash would not load the page again.
/// Each load gets several seconds to reach its answer: on a busy machine
/// the app, its refused call and the refused refresh take a while.
async fn wait_signed_out(browser: &Browser) {
    let deadline = Instant::now() + Duration::from_secs(40);
    loop {
        browser.execute("location.reload();", json!([])).await;
        let this_load = Instant::now() + Duration::from_secs(8);
        while Instant::now() < this_load {
            if !browser.find_all("#sign-in").await.is_empty() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert!(
            Instant::now() < deadline,
            "the other browser is still signed in"
        );
    }
}

#[tokio::test]
async fn a_new_password_signs_in_and_signing_out_everywhere_ends_another_browser() {
    let app = spawn_app().await;
    let email = "security@example.com";
    let me = app.register(email).await;
    let browser = open_web_page(&app).await;
    restore_session(&browser, &app, tokens(&me)).await;
    browser.wait_for("#entries", WAIT).await;
    browser.goto(&app.url("/#/settings")).await;
    browser.wait_for("#change-password", WAIT).await;

    // Refused in the page: too short, then not repeated the same.
    browser.type_text("#current-password", PASSWORD).await;
    browser.type_text("#new-password", "short").await;
    browser.type_text("#repeat-password", "short").await;
    browser.click("#change-password-save").await;
    browser
        .wait_for_text_containing("#security .error", "at least 8", WAIT)
        .await;
    // Refused by the server: the current password is wrong.
    browser
        .set_value("#current-password", "not my password")
        .await;
    browser
        .set_value("#new-password", "a much longer passphrase")
        .await;
    browser
        .set_value("#repeat-password", "a much longer passphrase")
        .await;
    browser.click("#change-password-save").await;
    // The server's own words: the page's refusal above also says
    // "password", and waiting for that word alone let the next click land
    // while this request was still running (its button disabled).
    browser
        .wait_for_text_containing("#security .error", "is incorrect", WAIT)
        .await;
    let old_still_works = app.login(email, PASSWORD).await;
    assert!(old_still_works.get("errors").is_none(), "{old_still_works}");

    browser.set_value("#current-password", PASSWORD).await;
    browser.click("#change-password-save").await;
    browser
        .wait_for_text_containing("#security .ok", "Password changed", WAIT)
        .await;
    let old = app.login(email, PASSWORD).await;
    assert!(
        old.get("errors").is_some(),
        "the old password is refused: {old}"
    );
    // This browser stays signed in with its new session.
    browser.goto(&app.url("/#/")).await;
    browser.wait_for("#entries", WAIT).await;

    // A second browser signs in with the new password.
    let second = open_web_page(&app).await;
    second.wait_for("#sign-in", WAIT).await;
    second.type_text("#email", email).await;
    second
        .type_text("#password", "a much longer passphrase")
        .await;
    second.click("#sign-in").await;
    second.wait_for("#entries", WAIT).await;

    // Signing out everywhere from the first ends the second too.
    browser.goto(&app.url("/#/settings")).await;
    browser.click("#sign-out-everywhere").await;
    browser.wait_for("#sign-in", WAIT).await;
    wait_signed_out(&second).await;
    assert_no_console_errors(&browser).await;
}
