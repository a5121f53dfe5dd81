use dioxus::prelude::*;

/// The page's error line (`#error`), announced to screen readers. A
/// function rather than a component: it has no state, and each component
/// type costs the wasm its own props, memo and vtable code.
pub fn error_message(message: Option<String>) -> Element {
    rsx! {
        if let Some(message) = message {
            p { id: "error", class: "error", role: "alert", "{message}" }
        }
    }
}
