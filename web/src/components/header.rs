use dioxus::prelude::*;

use crate::state::use_session;

/// The signed-in bar: who is signed in and a way out.
#[component]
pub fn Header(name: Option<String>) -> Element {
    let session = use_session();
    rsx! {
        header { class: "top",
            span { class: "brand", "EngLog" }
            span { id: "user-name", class: "user", {name.unwrap_or_default()} }
            button { id: "sign-out", r#type: "button",
                onclick: move |_| session.sign_out(),
                "Sign out"
            }
        }
    }
}
