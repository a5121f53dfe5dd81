use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{ErrorMessage, Suggestions};
use crate::format::{self, enum_name, label};
use crate::route::Route;
use crate::state::use_session;

/// One entry, e.g. opened from a report's citation.
#[component]
pub fn EntryPage(id: String) -> Element {
    let session = use_session();
    let mut entry = use_resource(use_reactive!(|id| async move {
        api::authed::<ops::LogEntry>(session, ops::log_entry::Variables { id })
            .await
            .map(|d| d.log_entry)
            .map_err(|e| session.message_for(&e))
    }));
    rsx! {
        section { class: "entry-page",
            a { href: Route::Journal.href(), "← Journal" }
            match &*entry.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => rsx! { ErrorMessage { message: message.clone() } },
                Some(Ok(e)) => rsx! {
                    article { id: "entry", class: "card",
                        h1 { id: "entry-title", "{e.title}" }
                        if e.is_draft { span { class: "draft", "Draft" } }
                        p { class: "entry-meta",
                            {label(&enum_name(&e.activity_type))}
                            " · {format::local_datetime(&e.start_time)} · {format::duration(e.duration_minutes)}"
                            if let Some(p) = &e.project { " · {p.name}" }
                        }
                        if let Some(text) = &e.description { p { class: "description", "{text}" } }
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
