use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{ErrorMessage, TagInput};
use crate::dates;
use crate::format::{ACTIVITY_TYPES, enum_value, label};
use crate::state::use_session;

/// What the form starts with: the last entry's type, project and duration.
#[derive(Clone, PartialEq)]
pub struct QuickDefaults {
    pub activity: String,
    pub project_id: Option<String>,
    pub minutes: i64,
}

/// Logs an entry in a few keystrokes: a title and Enter logs "just now,
/// for the usual duration, of the usual type and project". Start accepts
/// `-45m`, `9:30` or `2025-03-14 09:30`; empty means it ended now.
#[component]
pub fn QuickAdd(
    defaults: QuickDefaults,
    projects: Vec<ops::projects::ProjectsProjects>,
    on_saved: EventHandler<()>,
) -> Element {
    let session = use_session();
    let mut title = use_signal(String::new);
    let mut activity = use_signal(|| defaults.activity.clone());
    let mut project = use_signal(|| defaults.project_id.clone().unwrap_or_default());
    let mut duration = use_signal(|| format!("{}m", defaults.minutes));
    let mut start = use_signal(String::new);
    let mut tags = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let input = match build_input(
            &title(),
            &activity(),
            &project(),
            &duration(),
            &start(),
            &tags(),
        ) {
            Ok(input) => input,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let variables = ops::create_log_entry::Variables { input };
            match api::authed_unit::<ops::CreateLogEntry>(session, variables).await {
                Ok(_) => {
                    title.set(String::new());
                    start.set(String::new());
                    tags.set(String::new());
                    on_saved.call(());
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };

    rsx! {
        form { id: "quick-add", class: "card quick-add", onsubmit: submit, aria_label: "Quick add",
            ErrorMessage { message: error() }
            div { class: "quick-main",
                label { class: "visually-hidden", r#for: "quick-title", "What did you work on?" }
                input { id: "quick-title", placeholder: "What did you work on? (n)", autocomplete: "off",
                    value: "{title}", oninput: move |e| title.set(e.value()) }
                button { id: "quick-save", r#type: "submit", disabled: busy(),
                    if busy() { "Saving…" } else { "Add" }
                }
            }
            div { class: "quick-row",
                div { class: "field",
                    label { r#for: "quick-type", "Type" }
                    select { id: "quick-type", value: "{activity}", onchange: move |e| activity.set(e.value()),
                        for name in ACTIVITY_TYPES {
                            option { value: name, selected: name == activity(), {label(name)} }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "quick-project", "Project" }
                    select { id: "quick-project", value: "{project}", onchange: move |e| project.set(e.value()),
                        option { value: "", "No project" }
                        for p in projects.iter() {
                            option { key: "{p.id}", value: "{p.id}", selected: p.id == project(), "{p.name}" }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "quick-duration", "Duration" }
                    input { id: "quick-duration", class: "short", placeholder: "45m", value: "{duration}",
                        oninput: move |e| duration.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "quick-start", "Start" }
                    input { id: "quick-start", class: "short", placeholder: "-45m or 9:30", value: "{start}",
                        title: "Empty: it ended just now. Or -45m, 9:30, 2025-03-14 09:30",
                        oninput: move |e| start.set(e.value()) }
                }
            }
            TagInput { id: "quick-tags", value: tags }
        }
    }
}

fn build_input(
    title: &str,
    activity: &str,
    project: &str,
    duration: &str,
    start: &str,
    tags: &str,
) -> Result<ops::create_log_entry::CreateLogEntryInput, String> {
    let title = title.trim();
    if title.is_empty() {
        return Err("Give the entry a title.".into());
    }
    let minutes = dates::parse_minutes(duration)
        .ok_or("Duration: write minutes or hours, e.g. 45m, 1h or 1h30.")?;
    let now = js_sys::Date::now();
    let start_ms = if start.trim().is_empty() {
        now - minutes as f64 * 60_000.0
    } else {
        dates::parse_start(start, now).ok_or("Start: write -45m, 9:30 or 2025-03-14 09:30.")?
    };
    Ok(ops::create_log_entry::CreateLogEntryInput {
        title: title.to_owned(),
        activity_type: enum_value(activity).ok_or("Choose a type.")?,
        start_time: dates::iso(start_ms),
        end_time: dates::iso(start_ms + minutes as f64 * 60_000.0),
        project_id: (!project.is_empty()).then(|| project.to_owned()),
        tags: split_tags(tags),
        description: None,
        impact_level: None,
        value_rating: None,
        is_draft: false,
    })
}

/// "api, Rust ,, ops" → ["api", "Rust", "ops"].
pub fn split_tags(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}
