use dioxus::prelude::*;

use crate::api::{self, Entry, ops};
use crate::components::ErrorMessage;
use crate::components::quick_add::split_tags;
use crate::dates;
use crate::format::{ACTIVITY_TYPES, enum_value, label};
use crate::state::use_session;

/// Edits an entry in place: title, type, project, start, duration, tags.
/// Enter saves, Escape cancels; `on_done(true)` after a save.
#[component]
pub fn EntryEditor(
    entry: Entry,
    projects: Vec<ops::projects::ProjectsProjects>,
    on_done: EventHandler<bool>,
) -> Element {
    let session = use_session();
    let id = entry.id.clone();
    let mut title = use_signal(|| entry.title.clone());
    let mut activity = use_signal(|| entry.activity.clone());
    let mut project = use_signal(|| entry.project_id.clone().unwrap_or_default());
    let mut start = use_signal(|| dates::local_input(&entry.start_time));
    let mut duration = use_signal(|| format!("{}m", entry.duration_minutes));
    let mut tags = use_signal(|| entry.tags.join(", "));
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let minutes = dates::parse_minutes(&duration());
        let start_ms = dates::parse_start(&start(), js_sys::Date::now());
        let (Some(minutes), Some(start_ms)) = (minutes, start_ms) else {
            error.set(Some(
                "Check the start (2025-03-14 09:30) and the duration (45m, 1h30).".into(),
            ));
            return;
        };
        if title().trim().is_empty() {
            error.set(Some("Give the entry a title.".into()));
            return;
        }
        let input = ops::update_log_entry::UpdateLogEntryInput {
            title: Some(title().trim().to_owned()),
            activity_type: enum_value(&activity()),
            project_id: Some(project()).filter(|p| !p.is_empty()),
            start_time: Some(dates::iso(start_ms)),
            end_time: Some(dates::iso(start_ms + minutes as f64 * 60_000.0)),
            tags: Some(split_tags(&tags())),
            description: None,
            impact_level: None,
            value_rating: None,
            // Saving an edit is the person reviewing the entry: an imported
            // draft becomes a regular entry.
            is_draft: Some(false),
        };
        let id = id.clone();
        busy.set(true);
        spawn(async move {
            let variables = ops::update_log_entry::Variables { id, input };
            match api::authed_unit::<ops::UpdateLogEntry>(session, variables).await {
                Ok(_) => on_done.call(true),
                Err(e) => {
                    error.set(Some(session.message_for(&e)));
                    busy.set(false);
                }
            }
        });
    };

    rsx! {
        form { class: "entry-editor", onsubmit: submit,
            onkeydown: move |e| if e.key() == Key::Escape { on_done.call(false) },
            ErrorMessage { message: error() }
            div { class: "field",
                label { r#for: "edit-title", "Title" }
                input { id: "edit-title", value: "{title}", oninput: move |e| title.set(e.value()) }
            }
            div { class: "quick-row",
                div { class: "field",
                    label { r#for: "edit-type", "Type" }
                    select { id: "edit-type", onchange: move |e| activity.set(e.value()),
                        for name in ACTIVITY_TYPES {
                            option { value: name, selected: name == activity(), {label(name)} }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "edit-project", "Project" }
                    select { id: "edit-project", onchange: move |e| project.set(e.value()),
                        option { value: "", "No project" }
                        for p in projects.iter() {
                            option { key: "{p.id}", value: "{p.id}", selected: p.id == project(), "{p.name}" }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "edit-start", "Start" }
                    input { id: "edit-start", value: "{start}", oninput: move |e| start.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "edit-duration", "Duration" }
                    input { id: "edit-duration", class: "short", value: "{duration}", oninput: move |e| duration.set(e.value()) }
                }
            }
            div { class: "field",
                label { r#for: "edit-tags", "Tags" }
                input { id: "edit-tags", value: "{tags}", oninput: move |e| tags.set(e.value()) }
            }
            div { class: "actions",
                button { id: "edit-save", r#type: "submit", disabled: busy(), "Save" }
                button { r#type: "button", class: "secondary", onclick: move |_| on_done.call(false), "Cancel" }
            }
        }
    }
}
