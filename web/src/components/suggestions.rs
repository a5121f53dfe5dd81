use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::format::{enum_name, label};
use crate::state::use_session;

use ops::log_entry::LogEntryLogEntrySuggestions as Suggestion;

/// A suggestion about the work (sentiment, skills), not a field of the
/// entry.
fn is_signal(field: &str) -> bool {
    matches!(field, "SENTIMENT" | "SKILLS")
}

/// The worker's pending suggestions for an entry: accept or dismiss each
/// field, or all at once. `on_changed` reloads the entry.
#[component]
pub fn Suggestions(
    entry_id: String,
    suggestions: Vec<Suggestion>,
    on_changed: EventHandler<()>,
) -> Element {
    let session = use_session();
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let pending: Vec<(String, String, String)> = suggestions
        .iter()
        .filter(|s| matches!(s.status, ops::log_entry::SuggestionStatus::PENDING))
        .map(|s| (enum_name(&s.field), s.reason.clone(), s.value.0.clone()))
        .collect();
    if pending.is_empty() {
        return rsx! {};
    }
    // `field`: one field's GraphQL name, or None for all of them.
    // A Callback (Copy, refreshed each render) so every button can hold it.
    let decide = use_callback(move |(field, accept): (Option<String>, bool)| {
        let entry_id = entry_id.clone();
        busy.set(true);
        spawn(async move {
            let result = match field.and_then(|f| crate::format::enum_value(&f)) {
                Some(field) => {
                    let vars = ops::decide_suggestion::Variables {
                        entry_id,
                        field,
                        accept,
                    };
                    api::authed_unit::<ops::DecideSuggestion>(session, vars).await
                }
                None => {
                    let vars = ops::decide_all_suggestions::Variables { entry_id, accept };
                    api::authed_unit::<ops::DecideAllSuggestions>(session, vars).await
                }
            };
            busy.set(false);
            match result {
                Ok(()) => on_changed.call(()),
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    });
    rsx! {
        section { id: "suggestions", class: "card entry-suggestions", aria_labelledby: "suggestions-title",
            h2 { id: "suggestions-title", "Suggestions" }
            {error_message(error())}
            ul { class: "list",
                for (field, reason, value) in pending {
                    li { key: "{field}", class: "row", "data-field": "{field}",
                        span { class: "name", {label(&field)} }
                        code { "{value}" }
                        span { class: "muted", "{reason}" }
                        // Sentiment and skills describe the work rather than
                        // fill a field: reports use them unless dismissed.
                        if is_signal(&field) {
                            span { class: "muted signal-note", "Used in your reports unless dismissed; the entry itself does not change." }
                        }
                        button { r#type: "button", class: "suggestion-accept", disabled: busy(),
                            aria_label: "Accept {label(&field)}",
                            onclick: { let field = field.clone(); move |_| decide((Some(field.clone()), true)) },
                            if is_signal(&field) { "Keep" } else { "Accept" }
                        }
                        button { r#type: "button", class: "secondary suggestion-dismiss", disabled: busy(),
                            aria_label: "Dismiss {label(&field)}",
                            onclick: move |_| decide((Some(field.clone()), false)), "Dismiss" }
                    }
                }
            }
            div { class: "actions",
                button { id: "suggestions-accept-all", r#type: "button", disabled: busy(),
                    onclick: move |_| decide((None, true)), "Accept all" }
                button { id: "suggestions-dismiss-all", r#type: "button", class: "secondary", disabled: busy(),
                    onclick: move |_| decide((None, false)), "Dismiss all" }
            }
        }
    }
}
