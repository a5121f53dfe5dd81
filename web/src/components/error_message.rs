use dioxus::prelude::*;

/// The page's error line (`#error`), announced to screen readers.
#[component]
pub fn ErrorMessage(message: Option<String>) -> Element {
    rsx! {
        if let Some(message) = message {
            p { id: "error", class: "error", role: "alert", "{message}" }
        }
    }
}
