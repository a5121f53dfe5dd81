use dioxus::prelude::*;

use crate::api::ops;
use crate::dates;
use crate::format::{ACTIVITY_TYPES, enum_value, label};

/// The journal's filters, as typed.
#[derive(Clone, PartialEq, Default)]
pub struct Filters {
    pub search: String,
    pub from: String,
    pub to: String,
    pub project_id: String,
    pub activity: String,
    pub tag: String,
    /// Only imported entries not yet reviewed.
    pub drafts_only: bool,
}

impl Filters {
    pub fn to_input(&self) -> ops::log_entries::LogEntryFilter {
        let text = |s: &str| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        ops::log_entries::LogEntryFilter {
            search: text(&self.search),
            from: dates::local_midnight(&self.from),
            to: dates::local_midnight_after(&self.to),
            project_id: text(&self.project_id),
            types: enum_value(&self.activity).map(|t| vec![t]),
            tags: text(&self.tag).map(|t| vec![t]),
            impact_levels: None,
            value_ratings: None,
            draft: self.drafts_only.then_some(true),
        }
    }
}

/// Search (`/`), date range, project, type and tag.
#[component]
pub fn EntryFilters(
    filters: Signal<Filters>,
    projects: Vec<ops::projects::ProjectsProjects>,
) -> Element {
    let current = filters();
    let mut set = move |change: fn(&mut Filters, String), value: String| {
        filters.with_mut(|f| change(f, value));
    };
    rsx! {
        form { id: "filters", class: "filters", role: "search",
            onsubmit: move |e| e.prevent_default(),
            div { class: "field grow",
                label { r#for: "search", "Search" }
                input { id: "search", r#type: "search", placeholder: "Search titles and notes (/)",
                    value: "{current.search}", oninput: move |e| set(|f, v| f.search = v, e.value()) }
            }
            div { class: "field",
                label { r#for: "filter-from", "From" }
                input { id: "filter-from", r#type: "date", value: "{current.from}",
                    onchange: move |e| set(|f, v| f.from = v, e.value()) }
            }
            div { class: "field",
                label { r#for: "filter-to", "To" }
                input { id: "filter-to", r#type: "date", value: "{current.to}",
                    onchange: move |e| set(|f, v| f.to = v, e.value()) }
            }
            div { class: "field",
                label { r#for: "filter-project", "Project" }
                select { id: "filter-project", onchange: move |e| set(|f, v| f.project_id = v, e.value()),
                    option { value: "", "All projects" }
                    for p in projects.iter() {
                        option { key: "{p.id}", value: "{p.id}", selected: p.id == current.project_id, "{p.name}" }
                    }
                }
            }
            div { class: "field",
                label { r#for: "filter-type", "Type" }
                select { id: "filter-type", onchange: move |e| set(|f, v| f.activity = v, e.value()),
                    option { value: "", "All types" }
                    for name in ACTIVITY_TYPES {
                        option { value: name, selected: name == current.activity, {label(name)} }
                    }
                }
            }
            div { class: "field",
                label { r#for: "filter-tag", "Tag" }
                input { id: "filter-tag", class: "short", value: "{current.tag}",
                    onchange: move |e| set(|f, v| f.tag = v, e.value()) }
            }
            label { class: "field check",
                input { id: "filter-drafts", r#type: "checkbox", checked: current.drafts_only,
                    onchange: move |e| filters.with_mut(|f| f.drafts_only = e.checked()) }
                "Drafts only"
            }
        }
    }
}
