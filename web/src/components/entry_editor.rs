use dioxus::prelude::*;

use crate::api::{self, Entry, ops};
use crate::components::{
    choice_field, error_message, field_error, project_field, time_field, time_inputs,
};
use crate::dates::{self, use_zone};
use crate::entry_form::{Problems, split_tags, times};
use crate::format::{ACTIVITY_TYPES, IMPACT_LEVELS, VALUE_RATINGS, enum_value};
use crate::state::use_session;

/// Edits an entry in place: title, notes, type, project, value, impact,
/// start, duration or end, tags. Enter saves, Escape cancels; `on_done(true)`
/// after a save. Times are read and shown in the profile's zone.
#[component]
pub fn EntryEditor(
    entry: Entry,
    projects: Vec<ops::projects::ProjectsProjects>,
    on_done: EventHandler<bool>,
) -> Element {
    let session = use_session();
    let zone = use_zone();
    let id = entry.id.clone();
    let mut title = use_signal(|| entry.title.clone());
    let mut notes = use_signal(|| entry.description.clone().unwrap_or_default());
    let activity = use_signal(|| entry.activity.clone());
    let project = use_signal(|| entry.project_id.clone().unwrap_or_default());
    let value = use_signal(|| entry.value.clone());
    let impact = use_signal(|| entry.impact.clone());
    let start = use_signal(|| zone.datetime(&entry.start_time));
    let duration = use_signal(|| format!("{}m", entry.duration_minutes));
    let end = use_signal(String::new);
    let mut tags = use_signal(|| entry.tags.join(", "));
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let mut problems = use_signal(Problems::default);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let mut found = Problems::default();
        if title().trim().is_empty() {
            found.add("title", "Give the entry a title.");
        }
        let window = times(
            &start(),
            &duration(),
            &end(),
            &zone,
            js_sys::Date::now(),
            &mut found,
        );
        let (Some((start_ms, end_ms)), true) = (window, found.is_empty()) else {
            problems.set(found);
            return;
        };
        problems.set(Problems::default());
        let input = ops::update_log_entry::UpdateLogEntryInput {
            title: Some(title().trim().to_owned()),
            activity_type: enum_value(&activity()),
            // `null` clears the project (absent would keep it).
            project_id: Some(project()).filter(|p| !p.is_empty()),
            start_time: Some(dates::iso(start_ms)),
            end_time: Some(dates::iso(end_ms)),
            tags: Some(split_tags(&tags())),
            // Always sent: empty notes clear them, as the field shows.
            description: Some(notes().trim().to_owned()),
            impact_level: enum_value(&impact()),
            value_rating: enum_value(&value()),
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
    let found = problems();

    rsx! {
        form { class: "entry-editor", onsubmit: submit, novalidate: true,
            onkeydown: move |e| if e.key() == Key::Escape { on_done.call(false) },
            {error_message(error())}
            div { class: "field",
                label { r#for: "edit-title", "Title" }
                input { id: "edit-title", value: "{title}", aria_invalid: found.get("title").is_some(),
                    aria_describedby: found.described_by("title", "edit-title"), oninput: move |e| title.set(e.value()) }
                {field_error("edit-title", found.get("title"))}
            }
            div { class: "field",
                label { r#for: "edit-notes", "Notes" }
                // Enter in the notes is a new line; the Save button saves.
                textarea { id: "edit-notes", rows: 3, value: "{notes}",
                    onkeydown: move |e| if e.key() == Key::Enter { e.stop_propagation() },
                    oninput: move |e| notes.set(e.value()) }
            }
            div { class: "quick-row",
                {choice_field("edit-type", "Type", activity, &ACTIVITY_TYPES)}
                {project_field("edit-project", project, &projects)}
                {choice_field("edit-value", "Value", value, &VALUE_RATINGS)}
                {choice_field("edit-impact", "Impact", impact, &IMPACT_LEVELS)}
            }
            div { class: "quick-row",
                for (spec, value) in time_inputs("edit").into_iter().zip([start, duration, end]) {
                    {time_field(spec, value, &found)}
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
