use dioxus::prelude::*;

use crate::api::Entry;
use crate::components::{EntryEditor, badges};
use crate::dates::use_zone;
use crate::format::{self, label};
use crate::route::Route;

/// One line of the journal: select box, the entry (its time of day in the
/// profile's zone, value and impact badges, the notes' first line), and
/// inline editing.
#[component]
pub fn EntryRow(
    entry: Entry,
    selected: bool,
    on_select: EventHandler<bool>,
    projects: Vec<crate::api::ops::projects::ProjectsProjects>,
    on_saved: EventHandler<()>,
) -> Element {
    let mut editing = use_signal(|| false);
    let zone = use_zone();
    let start = zone.time(&entry.start_time);
    let end = zone.time(&entry.end_time);
    let duration = format::duration(entry.duration_minutes);
    let select_label = format!("Select “{}”", entry.title);
    rsx! {
        li { class: "entry", "data-id": "{entry.id}",
            if editing() {
                EntryEditor {
                    entry: entry.clone(),
                    projects,
                    on_done: move |saved: bool| {
                        editing.set(false);
                        if saved { on_saved.call(()); }
                    },
                }
            } else {
                div { class: "entry-line",
                    input { r#type: "checkbox", class: "entry-select", aria_label: select_label,
                        checked: selected, onchange: move |e| on_select.call(e.checked()) }
                    div { class: "entry-body",
                        div { class: "entry-head",
                            a { class: "entry-title", href: Route::Entry(entry.id.clone()).href(), "{entry.title}" }
                            span { class: "entry-type", {label(&entry.activity)} }
                            if entry.draft { span { class: "draft", "Draft" } }
                        }
                        {badges(&entry.value, &entry.impact)}
                        div { class: "entry-meta",
                            time { datetime: "{entry.start_time}", "{start}–{end}" }
                            span { " · {duration}" }
                            if let Some(project) = &entry.project {
                                span { class: "entry-project", " · {project}" }
                            }
                        }
                        if let Some(line) = entry.notes_first_line() {
                            p { class: "entry-notes", "{line}" }
                        }
                        if !entry.tags.is_empty() {
                            ul { class: "tags",
                                for tag in entry.tags.iter() {
                                    li { key: "{tag}", class: "tag", "{tag}" }
                                }
                            }
                        }
                    }
                    button { r#type: "button", class: "entry-edit secondary", aria_label: "Edit “{entry.title}”",
                        onclick: move |_| editing.set(true), "Edit" }
                }
            }
        }
    }
}
