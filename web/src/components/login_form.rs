use dioxus::prelude::*;

use crate::api::{self, Credentials};
use crate::components::{TextField, error_message};
use crate::state::use_session;

/// Email + password; on success the session holds the new tokens.
#[component]
pub fn LoginForm(on_register: EventHandler<()>) -> Element {
    let session = use_session();
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| session.notice());

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let credentials = Credentials {
                email: email().trim().to_owned(),
                password: password(),
            };
            match api::login(credentials).await {
                Ok(tokens) => session.sign_in(tokens),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };

    rsx! {
        form { class: "card", onsubmit: submit,
            h1 { "Sign in to EngLog" }
            {error_message(error())}
            TextField { id: "email", label: "Email", value: email, kind: "email", autocomplete: "username" }
            TextField { id: "password", label: "Password", value: password, kind: "password", autocomplete: "current-password" }
            button { id: "sign-in", r#type: "submit", disabled: busy(),
                if busy() { "Signing in…" } else { "Sign in" }
            }
            p { class: "switch",
                "New here? "
                button { id: "show-register", r#type: "button", class: "link",
                    onclick: move |_| on_register.call(()),
                    "Create an account"
                }
            }
        }
    }
}
