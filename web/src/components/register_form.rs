use dioxus::prelude::*;

use crate::api::{self, NewAccount};
use crate::components::{TextField, error_message};
use crate::state::use_session;

/// Creates an account; the server signs the new person in straight away.
#[component]
pub fn RegisterForm(on_sign_in: EventHandler<()>) -> Element {
    let session = use_session();
    let first_name = use_signal(String::new);
    let last_name = use_signal(String::new);
    let email = use_signal(String::new);
    let password = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        busy.set(true);
        error.set(None);
        spawn(async move {
            let account = NewAccount {
                first_name: first_name().trim().to_owned(),
                last_name: last_name().trim().to_owned(),
                email: email().trim().to_owned(),
                password: password(),
            };
            match api::register(account).await {
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
            h1 { "Create your EngLog account" }
            {error_message(error())}
            TextField { id: "first-name", label: "First name", value: first_name, autocomplete: "given-name" }
            TextField { id: "last-name", label: "Last name", value: last_name, autocomplete: "family-name" }
            TextField { id: "email", label: "Email", value: email, kind: "email", autocomplete: "username" }
            TextField { id: "password", label: "Password", value: password, kind: "password", autocomplete: "new-password" }
            button { id: "register", r#type: "submit", disabled: busy(),
                if busy() { "Creating account…" } else { "Create account" }
            }
            p { class: "switch",
                "Already have an account? "
                button { id: "show-sign-in", r#type: "button", class: "link",
                    onclick: move |_| on_sign_in.call(()),
                    "Sign in"
                }
            }
        }
    }
}
