use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::dates::use_zone;
use crate::state::use_session;

/// Signed-in devices; any other one can be signed out from here.
#[component]
pub fn SessionsList() -> Element {
    let session = use_session();
    let zone = use_zone();
    let mut error = use_signal(|| None::<String>);
    let mut version = use_signal(|| 0u32);
    let list = use_resource(move || async move {
        let _ = version();
        api::authed::<ops::Sessions>(session, ops::sessions::Variables)
            .await
            .map(|d| d.sessions)
            .map_err(|e| session.message_for(&e))
    });
    let revoke = move |id: String| {
        spawn(async move {
            match api::authed_unit::<ops::RevokeSession>(
                session,
                ops::revoke_session::Variables { id },
            )
            .await
            {
                Ok(_) => version += 1,
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };
    rsx! {
        section { id: "sessions", class: "card",
            h2 { "Sessions" }
            {error_message(error())}
            match &*list.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(sessions)) => rsx! {
                    ul { class: "list",
                        for s in sessions.iter().cloned() {
                            li { key: "{s.id}", class: "row",
                                span { class: "name", {s.user_agent.clone().unwrap_or_else(|| "Unknown device".into())} }
                                span { class: "muted", "last used {zone.datetime(&s.last_used_at)}" }
                                if s.current {
                                    span { class: "badge", "This device" }
                                } else {
                                    button { r#type: "button", class: "secondary session-revoke", aria_label: "Sign out this session",
                                        onclick: {
                                            let id = s.id.clone();
                                            move |_| revoke(id.clone())
                                        },
                                        "Sign out"
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
