//! The entry fields the quick add and the editor share. Plain functions,
//! not components: they hold no state, and each component costs the wasm
//! its props machinery (memoize, clone, drop), about 1 KB apiece.

use dioxus::prelude::*;

use crate::api::ops::projects::ProjectsProjects as Project;
use crate::entry_form::Problems;
use crate::format::label as display;

/// A labelled select over GraphQL enum names (`HIGH`), shown as words
/// ("High").
pub fn choice_field(
    id: &'static str,
    label: &'static str,
    mut value: Signal<String>,
    options: &'static [&'static str],
) -> Element {
    let current = value();
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            select { id, onchange: move |e| value.set(e.value()),
                for name in options.iter().copied() {
                    option { key: "{name}", value: name, selected: name == current, {display(name)} }
                }
            }
        }
    }
}

/// A project select: none, or one of the person's projects.
pub fn project_field(id: &'static str, mut value: Signal<String>, projects: &[Project]) -> Element {
    let current = value();
    rsx! {
        div { class: "field",
            label { r#for: id, "Project" }
            select { id, onchange: move |e| value.set(e.value()),
                option { value: "", selected: current.is_empty(), "No project" }
                for p in projects.iter() {
                    option { key: "{p.id}", value: "{p.id}", selected: p.id == current, "{p.name}" }
                }
            }
        }
    }
}

/// What a start, duration or end field is: its input id, the field its
/// refusals are filed under, and the words around it.
pub struct TimeInput {
    pub id: &'static str,
    pub field: &'static str,
    pub label: &'static str,
    pub placeholder: &'static str,
    pub hint: &'static str,
}

/// A start, duration or end text field with its refusal under it.
pub fn time_field(spec: TimeInput, mut value: Signal<String>, problems: &Problems) -> Element {
    let TimeInput {
        id,
        field,
        label,
        placeholder,
        hint,
    } = spec;
    rsx! {
        div { class: "field",
            label { r#for: id, "{label}" }
            input { id, class: "short", placeholder, title: (!hint.is_empty()).then_some(hint), value: "{value}", autocomplete: "off",
                aria_invalid: problems.get(field).is_some(), aria_describedby: problems.described_by(field, id),
                oninput: move |e| value.set(e.value()) }
            {field_error(id, problems.get(field))}
        }
    }
}

/// The refusal of one field, under it; its id (`<input id>-error`) is what
/// the field's `aria-describedby` names, so screen readers read it with the
/// field.
pub fn field_error(input: &str, message: Option<String>) -> Element {
    rsx! {
        if let Some(message) = message {
            p { id: "{input}-error", class: "field-error", role: "alert", "{message}" }
        }
    }
}

/// The start, duration and end inputs of a form whose ids start `prefix`.
pub fn time_inputs(prefix: &'static str) -> [TimeInput; 3] {
    let (start, duration, end) = match prefix {
        "quick" => ("quick-start", "quick-duration", "quick-end"),
        _ => ("edit-start", "edit-duration", "edit-end"),
    };
    [
        TimeInput {
            id: start,
            field: "start",
            label: "Start",
            placeholder: if prefix == "quick" {
                "-45m or 9:30"
            } else {
                "2025-03-14 09:30"
            },
            hint: "Empty: it ended just now (or at the end). Or -45m, 9:30, 2025-03-14 09:30",
        },
        TimeInput {
            id: duration,
            field: "duration",
            label: "Duration",
            placeholder: "45m",
            hint: "",
        },
        TimeInput {
            id: end,
            field: "end",
            label: "End (or duration)",
            placeholder: "17:30",
            hint: "",
        },
    ]
}

/// The value and impact badges of an entry (GraphQL names).
pub fn badges(value: &str, impact: &str) -> Element {
    rsx! {
        div { class: "badges",
            span { class: "badge-value {value.to_ascii_lowercase()}", title: "Value", "{display(value)} value" }
            span { class: "badge-impact {impact.to_ascii_lowercase()}", title: "Impact", "{display(impact)} impact" }
        }
    }
}
