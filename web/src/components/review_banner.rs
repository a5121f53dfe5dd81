use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::route::REVIEW_DRAFTS;
use crate::state::use_session;

/// Where a banner dismissed for the day remembers that day.
const DISMISSED_KEY: &str = "englog.nudge.dismissed";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn dismissed_on() -> Option<String> {
    storage()?.get_item(DISMISSED_KEY).ok().flatten()
}

/// The missed-day nudge (`reviewNudge`): what is waiting, with a link to
/// the drafts; dismissible for the day. Shown only when it applies (the
/// person opted in, their previous workday has nothing confirmed).
#[component]
pub fn ReviewBanner() -> Element {
    let session = use_session();
    // Reloaded with the profile (a changed preference may start or stop it).
    let profile_version: Signal<u32> = use_context();
    let mut hidden_day = use_signal(dismissed_on);
    let nudge = use_resource(move || async move {
        let _ = profile_version();
        // A banner is a hint: a failure to load it shows nothing rather
        // than an error over every page.
        api::authed::<ops::ReviewNudge>(session, ops::review_nudge::Variables)
            .await
            .ok()
            .and_then(|d| d.review_nudge)
    });
    let current = nudge.read().clone().flatten();
    let Some(nudge) = current else {
        return rsx! {};
    };
    if hidden_day().as_deref() == Some(nudge.day.as_str()) {
        return rsx! {};
    }
    let day = nudge.day.clone();
    rsx! {
        div { id: "review-nudge", class: "banner", role: "status",
            p { "{nudge.message}." }
            div { class: "actions",
                a { id: "review-drafts", class: "button", href: REVIEW_DRAFTS, "Review drafts" }
                button { id: "dismiss-nudge", r#type: "button", class: "secondary",
                    onclick: move |_| {
                        if let Some(s) = storage() {
                            let _ = s.set_item(DISMISSED_KEY, &day);
                        }
                        hidden_day.set(Some(day.clone()));
                    },
                    "Dismiss for today"
                }
            }
        }
    }
}
