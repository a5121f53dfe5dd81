use dioxus::prelude::*;

use crate::api::ops;
use crate::filters::Filters;
use crate::format::{ACTIVITY_TYPES, IMPACT_LEVELS, VALUE_RATINGS, label as display};

/// Search (`/`), date range, project, type, value, impact, tag, drafts.
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
                    option { value: "", selected: current.project_id.is_empty(), "All projects" }
                    for p in projects.iter() {
                        option { key: "{p.id}", value: "{p.id}", selected: p.id == current.project_id, "{p.name}" }
                    }
                }
            }
            {filter_choice(("filter-type", "Type", "All types"), &ACTIVITY_TYPES, &current.activity, move |v| set(|f, v| f.activity = v, v))}
            {filter_choice(("filter-value", "Value", "Any value"), &VALUE_RATINGS, &current.value, move |v| set(|f, v| f.value = v, v))}
            {filter_choice(("filter-impact", "Impact", "Any impact"), &IMPACT_LEVELS, &current.impact, move |v| set(|f, v| f.impact = v, v))}
            div { class: "field",
                label { r#for: "filter-tag", "Tag" }
                input { id: "filter-tag", class: "short", value: "{current.tag}",
                    onchange: move |e| set(|f, v| f.tag = v, e.value()) }
            }
            label { class: "field check",
                input { id: "filter-drafts", r#type: "checkbox", checked: current.drafts_only,
                    onchange: move |e| filters.with_mut(|f| {
                        f.drafts_only = e.checked();
                        f.confirmed_only = false;
                    }) }
                "Drafts only"
            }
        }
    }
}

/// One enum filter: "all", or one GraphQL name.
fn filter_choice(
    (id, label, all): (&'static str, &'static str, &'static str),
    options: &'static [&'static str],
    current: &str,
    mut on_change: impl FnMut(String) + 'static,
) -> Element {
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            select { id, onchange: move |e| on_change(e.value()),
                option { value: "", selected: current.is_empty(), "{all}" }
                for name in options.iter().copied() {
                    option { key: "{name}", value: name, selected: name == current, {display(name)} }
                }
            }
        }
    }
}

/// The filters in force, each with a button removing it, and "Clear all";
/// one the journal cannot use says why.
pub fn active_filters(
    mut filters: Signal<Filters>,
    projects: &[ops::projects::ProjectsProjects],
    projects_loaded: bool,
) -> Element {
    let current = filters();
    let active = current.active(|id| {
        if !projects_loaded {
            return Some("…".into());
        }
        projects.iter().find(|p| p.id == id).map(|p| p.name.clone())
    });
    if active.is_empty() {
        return rsx! {};
    }
    rsx! {
        div { id: "active-filters", class: "active-filters", role: "region", aria_label: "Active filters",
            span { class: "muted", "Showing only:" }
            for a in active {
                span { key: "{a.key}", class: if a.problem.is_some() { "chip filter-chip bad" } else { "chip filter-chip" },
                    "data-key": a.key,
                    "{a.text}"
                    if let Some(problem) = &a.problem { span { class: "filter-problem", role: "alert", " — {problem}" } }
                    button { r#type: "button", class: "link", aria_label: "Remove the filter {a.text}",
                        onclick: {
                            let key = a.key;
                            move |_| { let next = filters.peek().without(key); filters.set(next); }
                        },
                        "×"
                    }
                }
            }
            button { id: "clear-filters", r#type: "button", class: "secondary",
                onclick: move |_| filters.set(Filters::default()), "Clear filters" }
        }
    }
}
