use dioxus::prelude::*;
use serde::Deserialize;

use crate::api::{self, ApiError, ops};
use crate::components::{Profile, error_message};
use crate::dates::{self, Day, Zone, use_zone};
use crate::dom::{picked_file_size, picked_file_text};
use crate::format::fixed;
use crate::state::{Session, use_session};

/// What the API answers for both imports (entries and a whole account),
/// decoded into one type for both operations.
#[derive(Deserialize)]
struct Answer {
    #[serde(rename = "importEntries", alias = "importAccount")]
    report: Report,
}

#[derive(Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    dry_run: bool,
    imported: i64,
    skipped: i64,
    errors: Vec<Problem>,
}

/// A bad row: nothing is imported while there is one.
#[derive(Clone, PartialEq, Deserialize)]
struct Problem {
    line: Option<i64>,
    item: Option<String>,
    message: String,
}

/// The file formats offered, by GraphQL name; `ACCOUNT` is the account
/// export, imported with `importAccount`.
const FORMATS: [(&str, &str); 5] = [
    ("ICS", "Calendar (.ics): events become draft meetings"),
    ("ENGLOG_CSV", "EngLog entries (CSV)"),
    ("TOGGL_CSV", "Toggl Track (CSV)"),
    ("CLOCKIFY_CSV", "Clockify (CSV)"),
    ("ACCOUNT", "EngLog account export (JSON)"),
];

/// Picks a file, checks it with a dry run (counts and per-row errors), then
/// imports it.
#[component]
pub fn ImportForm() -> Element {
    let session = use_session();
    let mut format = use_signal(|| "ICS".to_owned());
    let mut report = use_signal(|| None::<Report>);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    // Calendars: which occurrences to import (the API's defaults, shown).
    // The calendar window is in days of the profile's zone (read from the
    // profile signal when used, so the closures below stay `Copy`).
    let profile: Profile = use_context();
    let today = use_zone().today();
    let mut from = use_signal(move || today.plus(-365).to_string());
    let mut to = use_signal(move || today.plus(90).to_string());
    // The server's limit, so a file too big is refused before it is sent.
    let limit = use_resource(move || async move {
        api::authed::<ops::ImportLimits>(session, ops::import_limits::Variables)
            .await
            .ok()
            .map(|d| d.import_limits.max_file_bytes as f64)
    });
    let too_big = move || {
        let max = limit.read().flatten()?;
        let size = picked_file_size("import-file")?;
        let mb = |bytes: f64| fixed(bytes / 1_048_576.0, 1);
        (size > max).then(|| {
            format!(
                "This file is {} MB; an import takes at most {} MB.",
                mb(size),
                mb(max)
            )
        })
    };
    let mut run = move |dry_run: bool| {
        if let Some(message) = too_big() {
            error.set(Some(message));
            return;
        }
        let window = if format() == "ICS" {
            match calendar_window(&from(), &to(), &zone_of(profile)) {
                Ok(window) => Some(window),
                Err(message) => {
                    error.set(Some(message.into()));
                    return;
                }
            }
        } else {
            None
        };
        busy.set(true);
        error.set(None);
        spawn(async move {
            match picked_file_text("import-file").await {
                None => error.set(Some("Choose a file first.".into())),
                Some(content) => match import(session, &format(), content, window, dry_run).await {
                    Ok(r) => report.set(Some(r)),
                    Err(e) => error.set(Some(session.message_for(&e))),
                },
            }
            busy.set(false);
        });
    };
    let current = report();
    // Import only what a dry run of the same choice has just checked.
    let checked = current
        .as_ref()
        .is_some_and(|r| r.dry_run && r.errors.is_empty());
    rsx! {
        div { id: "import", class: "card",
            h2 { "Import" }
            {error_message(error())}
            div { class: "field",
                label { r#for: "import-format", "Format" }
                select { id: "import-format",
                    onchange: move |e| { format.set(e.value()); report.set(None); },
                    for (value, text) in FORMATS {
                        option { value, selected: value == format(), "{text}" }
                    }
                }
            }
            if format() == "ICS" {
                div { class: "quick-row",
                    div { class: "field",
                        label { r#for: "import-from", "Events from" }
                        input { id: "import-from", r#type: "date", value: from(),
                            oninput: move |e| { from.set(e.value()); report.set(None); } }
                    }
                    div { class: "field",
                        label { r#for: "import-to", "Events until" }
                        input { id: "import-to", r#type: "date", value: to(),
                            oninput: move |e| { to.set(e.value()); report.set(None); } }
                    }
                }
            }
            div { class: "field",
                label { r#for: "import-file", "File" }
                input { id: "import-file", r#type: "file", accept: ".ics,.csv,.json,text/calendar,text/csv,application/json",
                    onchange: move |_| { report.set(None); error.set(too_big()); } }
            }
            div { class: "actions",
                button { id: "import-check", r#type: "button", class: "secondary", disabled: busy(),
                    onclick: move |_| run(true), "Check (dry run)" }
                button { id: "import-run", r#type: "button", disabled: busy() || !checked,
                    onclick: move |_| run(false), "Import" }
            }
            if let Some(r) = current {
                div { id: "import-report", role: "status",
                    p {
                        if r.dry_run { "Dry run: {r.imported} to import, {r.skipped} skipped." }
                        else { "Imported {r.imported}, skipped {r.skipped}." }
                    }
                    if !r.errors.is_empty() {
                        p { "Nothing can be imported until these rows are fixed:" }
                        ul { class: "import-errors",
                            for (i, p) in r.errors.iter().enumerate() {
                                li { key: "{i}",
                                    if let Some(line) = p.line { "Line {line}: " }
                                    else if let Some(item) = &p.item { "{item}: " }
                                    "{p.message}"
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// A calendar's import window as the API takes it: from midnight of the
/// first day to midnight after the last, in the profile's zone.
struct Window {
    start: String,
    end: String,
}

fn zone_of(profile: Profile) -> Zone {
    Zone(
        profile
            .read()
            .as_ref()
            .map(|me| me.timezone.clone())
            .unwrap_or_default(),
    )
}

fn calendar_window(from: &str, to: &str, zone: &Zone) -> Result<Window, &'static str> {
    let (Ok(first), Ok(last)) = (Day::parse(from), Day::parse(to)) else {
        return Err("Enter both dates of the calendar window.");
    };
    if last < first {
        return Err("The window ends before it starts.");
    }
    Ok(Window {
        start: dates::iso(zone.midnight(first)),
        end: dates::iso(zone.midnight(last.plus(1))),
    })
}

async fn import(
    session: Session,
    format: &str,
    content: String,
    window: Option<Window>,
    dry_run: bool,
) -> Result<Report, ApiError> {
    use ops::import_entries::{ImportEntriesInput, ImportFormat};
    let format = match format {
        "ACCOUNT" => {
            let vars = ops::import_account::Variables { content, dry_run };
            return Ok(api::authed_as::<ops::ImportAccount, Answer>(session, vars)
                .await?
                .report);
        }
        "ENGLOG_CSV" => ImportFormat::ENGLOG_CSV,
        "TOGGL_CSV" => ImportFormat::TOGGL_CSV,
        "CLOCKIFY_CSV" => ImportFormat::CLOCKIFY_CSV,
        _ => ImportFormat::ICS,
    };
    let (window_start, window_end) = match window {
        Some(Window { start, end }) => (Some(start), Some(end)),
        None => (None, None),
    };
    let input = ImportEntriesInput {
        format,
        content,
        dry_run,
        window_start,
        window_end,
    };
    let vars = ops::import_entries::Variables { input };
    Ok(api::authed_as::<ops::ImportEntries, Answer>(session, vars)
        .await?
        .report)
}
