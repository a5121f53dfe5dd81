use dioxus::prelude::*;

use crate::components::{
    ApiTokens, DeleteAccount, PreferencesForm, Profile, ProfileForm, SecurityForm, SessionsList,
};
use crate::route::Route;

/// Profile, preferences, password and sign-out everywhere, API tokens,
/// sessions and account deletion.
#[component(lazy)]
pub fn Settings() -> Element {
    let profile: Profile = use_context();
    // The forms start from the stored values, so they wait for them: a form
    // saved before would blank the profile.
    let loaded = profile.read().is_some();
    rsx! {
        section { class: "settings",
            h1 { "Settings" }
            p { class: "card",
                a { id: "open-connections", href: Route::Connections.href(), "Connections" }
                " — bring work in from GitHub, GitLab and calendars as drafts to review."
            }
            if loaded {
                ProfileForm {}
                PreferencesForm {}
            } else {
                p { class: "loading", role: "status", "Loading your profile…" }
            }
            SecurityForm {}
            ApiTokens {}
            SessionsList {}
            DeleteAccount {}
        }
    }
}
