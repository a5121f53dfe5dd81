//! The root component: provides the session and picks the page.

use dioxus::prelude::*;

use crate::pages::{Journal, SignIn};
use crate::state::Session;

#[component]
pub fn App() -> Element {
    let session = use_context_provider(Session::restore);

    rsx! {
        main { class: "app",
            if session.is_signed_in() {
                Journal {}
            } else {
                SignIn {}
            }
        }
    }
}
