use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{Profile, error_message};
use crate::dates::use_zone;
use crate::state::use_session;

/// Asks for the account's deletion (confirmed with the password; processed
/// after the server's grace period, and the server signs the account out
/// everywhere) or, after signing in again, shows the pending one with a
/// cancel button that reloads the profile (which carries `pendingDeletion`).
#[component]
pub fn DeleteAccount() -> Element {
    let session = use_session();
    let zone = use_zone();
    let profile: Profile = use_context();
    let mut version: Signal<u32> = use_context();
    let mut password = use_signal(String::new);
    let mut anonymise = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let pending = profile.read().as_ref().and_then(|me| {
        me.pending_deletion
            .as_ref()
            .map(|p| zone.datetime(&p.scheduled_for))
    });

    let request = move |event: FormEvent| {
        event.prevent_default();
        busy.set(true);
        let zone = zone.clone();
        spawn(async move {
            use ops::request_account_deletion::{
                DeletionMode, RequestAccountDeletionInput, Variables,
            };
            let mode = if anonymise() {
                DeletionMode::ANONYMISE
            } else {
                DeletionMode::DELETE
            };
            let typed = password();
            let input = RequestAccountDeletionInput {
                mode,
                password: (!typed.is_empty()).then_some(typed),
            };
            match api::authed::<ops::RequestAccountDeletion>(session, Variables { input }).await {
                Ok(data) => {
                    // The request ends every session, this one too: sign
                    // out here and say when the account goes, rather than
                    // let the next call find the session revoked.
                    let when = zone.datetime(&data.request_account_deletion.scheduled_for);
                    session.forget(Some(format!(
                        "Your account will be deleted on {when}. Sign in before then to keep it."
                    )));
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };
    let cancel = move |_| {
        busy.set(true);
        spawn(async move {
            let vars = ops::cancel_account_deletion::Variables;
            match api::authed_unit::<ops::CancelAccountDeletion>(session, vars).await {
                Ok(()) => version += 1,
                Err(e) => error.set(Some(session.message_for(&e))),
            }
            busy.set(false);
        });
    };
    rsx! {
        section { id: "delete-account", class: "card danger-zone", aria_labelledby: "delete-account-title",
            h2 { id: "delete-account-title", "Delete account" }
            {error_message(error())}
            if let Some(when) = pending {
                p { id: "deletion-pending", role: "status", "Your account will be deleted on {when}." }
                button { id: "cancel-deletion", r#type: "button", disabled: busy(), onclick: cancel, "Keep my account" }
            } else {
                form { id: "delete-account-form", onsubmit: request,
                    p { class: "muted", "After a grace period everything in your account is erased, or kept only as anonymous figures. You can cancel until then." }
                    label { class: "check",
                        input { id: "deletion-anonymise", r#type: "checkbox", checked: anonymise(),
                            onchange: move |e| anonymise.set(e.checked()) }
                        "Keep anonymous figures instead of erasing everything"
                    }
                    div { class: "field",
                        label { r#for: "deletion-password", "Password (to confirm)" }
                        input { id: "deletion-password", r#type: "password", autocomplete: "current-password",
                            value: "{password}", oninput: move |e| password.set(e.value()) }
                    }
                    button { id: "request-deletion", r#type: "submit", class: "danger", disabled: busy(), "Delete my account" }
                }
            }
        }
    }
}
