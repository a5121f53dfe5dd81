use dioxus::prelude::*;
use englog_core::quick_add::QuickAdd as Parsed;

use crate::api::ops::projects::ProjectsProjects as Project;
use crate::entry_form::project_named;
use crate::format::{self, label};

/// What the tokens typed in the title will set, live, before saving; a
/// `+Project` that names none of the person's projects is said at once.
pub fn quick_add_preview(parsed: &Parsed, projects: &[Project]) -> Element {
    let unknown = parsed
        .project
        .as_ref()
        .filter(|name| project_named(projects, name).is_none());
    let known = parsed
        .project
        .as_ref()
        .and_then(|name| project_named(projects, name));
    let nothing = parsed.tags.is_empty()
        && parsed.project.is_none()
        && parsed.value.is_none()
        && parsed.impact.is_none()
        && parsed.activity_type.is_none()
        && parsed.started_ago.is_none();
    if nothing {
        return rsx! {};
    }
    let upper = |s: &str| label(&s.to_ascii_uppercase());
    rsx! {
        ul { id: "quick-preview", class: "preview", aria_label: "What the tokens set", aria_live: "polite",
            for tag in parsed.tags.iter() {
                li { key: "{tag}", class: "chip tag-chip", "#{tag}" }
            }
            if let Some(p) = known {
                li { class: "chip project-chip", "Project: {p.name}" }
            }
            if let Some(v) = parsed.value {
                li { class: "chip value-chip", "Value: {upper(v.as_str())}" }
            }
            if let Some(i) = parsed.impact {
                li { class: "chip impact-chip", "Impact: {upper(i.as_str())}" }
            }
            if let Some(t) = parsed.activity_type {
                li { class: "chip type-chip", "Type: {upper(t.as_str())}" }
            }
            if let Some(ago) = parsed.started_ago {
                li { class: "chip start-chip", "Started {format::duration(ago.num_minutes())} ago, ends now" }
            }
        }
        if let Some(name) = unknown {
            p { id: "quick-project-unknown", class: "field-error", role: "alert",
                "No project is named “{name}”: create it on the Projects page, or remove +{name}."
            }
        }
    }
}

/// The token syntax, in a popover opened from the "?" next to the title.
/// A `<details>`: keyboard and screen readers work with no app code.
pub fn quick_add_help() -> Element {
    rsx! {
        details { id: "quick-help", class: "help",
            summary { aria_label: "Quick-add syntax", title: "Quick-add syntax", "?" }
            div { class: "popover", role: "note",
                p { "Type tokens in the title; the rest is the title:" }
                dl {
                    dt { code { "#incident" } } dd { "a tag (repeat for more)" }
                    dt { code { "+Payments" } } dd { "a project, by name; " code { "+\"Payments API\"" } " with spaces" }
                    dt { code { "!high" } } dd { "value: low, medium, high" }
                    dt { code { "@company" } } dd { "impact: personal, team, product, company" }
                    dt { code { "~debug" } } dd { "type: code, debug, review, meeting, planning, docs, mentoring, learning, ops, admin" }
                    dt { code { "-45m" } } dd { "started 45 min ago and ended now (" code { "-1h30m" } ", " code { "-2h" } ")" }
                }
                p { class: "muted", "Example: " code { "Fixed checkout 502 #incident +Payments !high @company -45m" } }
                p { class: "muted", "Words naming nothing (" code { "#812" } ", " code { "@bob" } ") stay in the title. Tokens win over the fields." }
            }
        }
    }
}
