//! The entry fields the quick add and the editor share.

use dioxus::prelude::*;

use crate::api::ops::projects::ProjectsProjects as Project;
use crate::components::FieldError;
use crate::entry_form::Problems;
use crate::format::label as display;

/// A labelled select over GraphQL enum names (`HIGH`), shown as words
/// ("High"); `blank` adds a first choice meaning "none" or "all".
#[component]
pub fn ChoiceField(
    id: &'static str,
    label: &'static str,
    value: Signal<String>,
    options: &'static [&'static str],
    #[props(default)] blank: Option<&'static str>,
) -> Element {
    let mut value = value;
    let current = value();
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            select { id, onchange: move |e| value.set(e.value()),
                if let Some(text) = blank { option { value: "", selected: current.is_empty(), "{text}" } }
                for name in options.iter().copied() {
                    option { key: "{name}", value: name, selected: name == current, {display(name)} }
                }
            }
        }
    }
}

/// A project select: none, or one of the person's projects.
#[component]
pub fn ProjectField(id: &'static str, value: Signal<String>, projects: Vec<Project>) -> Element {
    let mut value = value;
    rsx! {
        div { class: "field",
            label { r#for: id, "Project" }
            select { id, onchange: move |e| value.set(e.value()),
                option { value: "", selected: value().is_empty(), "No project" }
                for p in projects.iter() {
                    option { key: "{p.id}", value: "{p.id}", selected: p.id == value(), "{p.name}" }
                }
            }
        }
    }
}

/// A start, duration or end text field with its refusal under it.
#[component]
pub fn TimeField(
    id: &'static str,
    field: &'static str,
    label: &'static str,
    value: Signal<String>,
    problems: Problems,
    placeholder: &'static str,
    hint: &'static str,
) -> Element {
    let mut value = value;
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            input { id, class: "short", placeholder, title: hint, value: "{value}", autocomplete: "off",
                aria_invalid: problems.get(field).is_some(), aria_describedby: problems.described_by(field),
                oninput: move |e| value.set(e.value()) }
            FieldError { field, message: problems.get(field) }
        }
    }
}
