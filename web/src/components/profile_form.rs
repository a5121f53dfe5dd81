use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{Profile, error_message};
use crate::state::use_session;

/// Name and time zone (reports and analytics use its day boundaries).
#[component]
pub fn ProfileForm() -> Element {
    let session = use_session();
    let profile: Profile = use_context();
    let mut version: Signal<u32> = use_context();
    let current = profile.read().clone();
    let mut first = use_signal(|| {
        current
            .as_ref()
            .map(|p| p.first_name.clone())
            .unwrap_or_default()
    });
    let mut last = use_signal(|| {
        current
            .as_ref()
            .map(|p| p.last_name.clone())
            .unwrap_or_default()
    });
    let mut timezone = use_signal(|| {
        current
            .as_ref()
            .map(|p| p.timezone.clone())
            .unwrap_or_default()
    });
    let mut message = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);

    let save = move |event: FormEvent| {
        event.prevent_default();
        spawn(async move {
            let input = ops::update_profile::UpdateProfileInput {
                first_name: Some(first().trim().to_owned()),
                last_name: Some(last().trim().to_owned()),
                timezone: Some(timezone().trim().to_owned()),
            };
            match api::authed_unit::<ops::UpdateProfile>(
                session,
                ops::update_profile::Variables { input },
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    message.set(Some("Profile saved.".into()));
                    version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };

    rsx! {
        form { id: "profile", class: "card", onsubmit: save,
            h2 { "Profile" }
            {error_message(error())}
            if let Some(m) = message() { p { class: "ok", role: "status", "{m}" } }
            if let Some(p) = current.as_ref() { p { class: "muted", "Signed in as {p.email}" } }
            div { class: "quick-row",
                div { class: "field",
                    label { r#for: "profile-first", "First name" }
                    input { id: "profile-first", value: "{first}", oninput: move |e| first.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "profile-last", "Last name" }
                    input { id: "profile-last", value: "{last}", oninput: move |e| last.set(e.value()) }
                }
                div { class: "field",
                    label { r#for: "profile-timezone", "Time zone" }
                    input { id: "profile-timezone", placeholder: "Europe/Lisbon", value: "{timezone}",
                        oninput: move |e| timezone.set(e.value()) }
                }
            }
            button { id: "profile-save", r#type: "submit", "Save profile" }
        }
    }
}
