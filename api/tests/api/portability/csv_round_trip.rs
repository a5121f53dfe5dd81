//! The entries CSV the export writes is the CSV EngLog's import reads: a
//! journal downloaded from one account and imported into another comes back
//! with the same entries, formula-guarded cells included.

use serde_json::json;

use super::{all_entries, import, spans};
use crate::helpers::TestApp;
use crate::on_both_backends;

async fn an_exported_csv_imports_into_another_account(app: TestApp) {
    let from = app.register("csv-out@example.com").await;
    let project = app.create_project(&from.access, "Apollo").await;
    app.create_entry(
        &from.access,
        json!({
            "title": "=SUM(A1) looked like a formula",
            "description": "Notes, with a comma\nand a second line",
            "activityType": "DEBUG",
            "projectId": project,
            "tags": ["rust", "parsing"],
            "startTime": "2026-03-02T09:00:00Z",
            "endTime": "2026-03-02T10:30:00Z",
            "valueRating": "HIGH",
            "impactLevel": "TEAM",
        }),
    )
    .await;
    app.create_entry(
        &from.access,
        json!({
            "title": "Planning \"Q2\"",
            "activityType": "PLANNING",
            "startTime": "2026-03-03T14:00:00Z",
            "endTime": "2026-03-03T14:45:00Z",
        }),
    )
    .await;

    let csv = app
        .client
        .get(app.url("/export/entries.csv"))
        .bearer_auth(&from.access)
        .send()
        .await
        .expect("download")
        .text()
        .await
        .expect("body");

    let to = app.register("csv-in@example.com").await;
    let body = import(&app, &to.access, "ENGLOG_CSV", &csv, json!({})).await;
    let report = &body["data"]["importEntries"];
    assert_eq!(report["imported"], 2, "{body}");
    assert_eq!(report["errors"], json!([]), "{body}");

    let exported = all_entries(&app, &from.access).await;
    let imported = all_entries(&app, &to.access).await;
    assert_eq!(spans(&imported), spans(&exported));
    for (a, b) in exported.iter().zip(&imported) {
        for field in [
            "title",
            "description",
            "activityType",
            "tags",
            "project",
            "valueRating",
        ] {
            assert_eq!(a[field], b[field], "{field}: {a} vs {b}");
        }
    }
}

on_both_backends!(an_exported_csv_imports_into_another_account);
