use dioxus::prelude::*;

/// The page for an address no page has (a mistyped or stale link): says so
/// and leads back, rather than showing the journal as if the link worked.
/// A function, not a component: it has no state of its own.
pub fn not_found(path: &str) -> Element {
    rsx! {
        section { id: "not-found", class: "card",
            h1 { "Page not found" }
            p { "Nothing lives at " code { "#/{path}" } ". The link may be mistyped or out of date." }
            p { a { id: "not-found-home", href: "#/", "Open your journal" } }
        }
    }
}
