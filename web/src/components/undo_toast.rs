use dioxus::prelude::*;

use crate::undo::use_deletions;

/// "3 entries deleted — Undo", while a deletion can still be undone; and
/// the error of a deletion that failed.
#[component]
pub fn UndoToast() -> Element {
    let deletions = use_deletions();
    let pending = deletions.pending.read().clone();
    let mut error = deletions.error;
    rsx! {
        if let Some(pending) = pending {
            div { id: "toast", class: "toast", role: "status",
                span {
                    if pending.ids.len() == 1 { "Entry deleted." } else { "{pending.ids.len()} entries deleted." }
                }
                button { id: "undo", r#type: "button", onclick: move |_| deletions.undo(), "Undo" }
            }
        }
        if let Some(message) = error() {
            div { class: "toast error", role: "alert",
                span { "{message}" }
                button { r#type: "button", aria_label: "Dismiss", onclick: move |_| error.set(None), "×" }
            }
        }
    }
}
