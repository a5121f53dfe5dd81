//! Change the password, or sign out of every device. Both end the other
//! sessions on the server; a new password keeps this device signed in
//! with the fresh session the server returns.

use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::state::{Tokens, use_session};

/// The server's minimum (see `englog_core::Limits::PASSWORD_MIN`), checked
/// here too so a short password is refused before it is sent.
const PASSWORD_MIN: usize = 8;

#[component]
pub fn SecurityForm() -> Element {
    let session = use_session();
    let mut current = use_signal(String::new);
    let mut new = use_signal(String::new);
    let mut repeat = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut done = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);

    let change = move |event: FormEvent| {
        event.prevent_default();
        done.set(None);
        let (old, fresh) = (current(), new());
        let refused = if old.is_empty() {
            Some("Type your current password.".to_owned())
        } else if fresh.chars().count() < PASSWORD_MIN {
            Some(format!(
                "The new password needs at least {PASSWORD_MIN} characters."
            ))
        } else if fresh != repeat() {
            Some("The two new passwords differ.".to_owned())
        } else {
            None
        };
        if refused.is_some() {
            error.set(refused);
            return;
        }
        busy.set(true);
        spawn(async move {
            let variables = ops::change_password::Variables {
                current_password: old,
                new_password: fresh,
            };
            match api::authed::<ops::ChangePassword>(session, variables).await {
                Ok(data) => {
                    let p = data.change_password;
                    session.sign_in(Tokens::new(
                        p.access_token,
                        p.refresh_token,
                        &p.access_token_expires_at,
                    ));
                    for mut field in [current, new, repeat] {
                        field.set(String::new());
                    }
                    error.set(None);
                    done.set(Some(
                        "Password changed. Other devices are signed out.".into(),
                    ));
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };
    let everywhere = move |_| {
        spawn(async move {
            match api::authed_unit::<ops::LogoutEverywhere>(
                session,
                ops::logout_everywhere::Variables,
            )
            .await
            {
                Ok(()) => session.forget(Some("You are signed out on every device.".into())),
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };

    rsx! {
        section { id: "security", class: "card",
            h2 { "Password and sign-in" }
            {error_message(error())}
            if let Some(message) = done() {
                p { class: "ok", role: "status", "{message}" }
            }
            form { id: "change-password", onsubmit: change,
                div { class: "field",
                    label { r#for: "current-password", "Current password" }
                    input { id: "current-password", r#type: "password", autocomplete: "current-password",
                        value: "{current}", oninput: move |e| current.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "new-password", "New password (at least {PASSWORD_MIN} characters)" }
                    input { id: "new-password", r#type: "password", autocomplete: "new-password",
                        value: "{new}", oninput: move |e| new.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "repeat-password", "New password again" }
                    input { id: "repeat-password", r#type: "password", autocomplete: "new-password",
                        value: "{repeat}", oninput: move |e| repeat.set(e.value()) }
                }
                button { id: "change-password-save", r#type: "submit", disabled: busy(), "Change password" }
            }
            p { class: "muted", "Lost a laptop? Sign out of every device, this one included." }
            button { id: "sign-out-everywhere", r#type: "button", class: "danger", onclick: everywhere,
                "Sign out everywhere" }
        }
    }
}
