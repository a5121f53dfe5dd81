use dioxus::prelude::*;

use crate::api::{self, Entry, ops};
use crate::components::{EntryEditor, Suggestions, badges, error_message};
use crate::dates::use_zone;
use crate::format::{self, enum_name, label};
use crate::route::Route;
use crate::state::use_session;

/// One entry, e.g. opened from a report's citation: every field, its
/// notes in full, and an editor for all of them.
#[component(lazy)]
pub fn EntryPage(id: String) -> Element {
    let session = use_session();
    let zone = use_zone();
    let mut editing = use_signal(|| false);
    let mut entry = use_resource(use_reactive!(|id| async move {
        api::authed::<ops::LogEntry>(session, ops::log_entry::Variables { id })
            .await
            .map(|d| d.log_entry)
            .map_err(|e| session.message_for(&e))
    }));
    let projects = use_resource(move || async move {
        api::authed::<ops::Projects>(session, ops::projects::Variables)
            .await
            .map(|d| d.projects)
            .unwrap_or_default()
    });
    rsx! {
        section { class: "entry-page",
            a { href: Route::Journal.href(), "← Journal" }
            match &*entry.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(e)) if editing() => rsx! {
                    div { class: "card",
                        EntryEditor { entry: Entry::from(e), projects: projects.read().clone().unwrap_or_default(),
                            on_done: move |saved: bool| {
                                editing.set(false);
                                if saved { entry.restart(); }
                            } }
                    }
                },
                Some(Ok(e)) => rsx! {
                    article { id: "entry", class: "card",
                        div { class: "page-head",
                            h1 { id: "entry-title", "{e.title}" }
                            button { id: "entry-edit", r#type: "button", class: "secondary",
                                onclick: move |_| editing.set(true), "Edit" }
                        }
                        if e.is_draft { span { class: "draft", "Draft" } }
                        p { class: "entry-meta",
                            {label(&enum_name(&e.activity_type))}
                            " · {zone.datetime(&e.start_time)}–{zone.time(&e.end_time)} · {format::duration(e.duration_minutes)}"
                            if let Some(p) = &e.project { " · {p.name}" }
                        }
                        {badges(&enum_name(&e.value_rating), &enum_name(&e.impact_level))}
                        if let Some(text) = &e.description { p { id: "entry-notes", class: "description", "{text}" } }
                        if !e.tags.is_empty() {
                            ul { class: "tags",
                                for tag in e.tags.iter() { li { key: "{tag}", class: "tag", "{tag}" } }
                            }
                        }
                    }
                    Suggestions { entry_id: e.id.clone(), suggestions: e.suggestions.clone(),
                        on_changed: move |_| entry.restart() }
                },
            }
        }
    }
}
