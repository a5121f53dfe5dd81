use dioxus::prelude::*;

use crate::components::{ApiTokens, PreferencesForm, Profile, ProfileForm, SessionsList};

/// Profile, preferences, API tokens, sessions and account deletion.
#[component]
pub fn Settings() -> Element {
    let profile: Profile = use_context();
    // The forms start from the stored values, so they wait for them: a form
    // saved before would blank the profile.
    let loaded = profile.read().is_some();
    rsx! {
        section { class: "settings",
            h1 { "Settings" }
            if loaded {
                ProfileForm {}
                PreferencesForm {}
            } else {
                p { class: "loading", role: "status", "Loading your profile…" }
            }
            ApiTokens {}
            SessionsList {}
            section { id: "delete-account", class: "card danger-zone", aria_labelledby: "delete-account-title",
                h2 { id: "delete-account-title", "Delete account" }
                // Placeholder: the API's account deletion is being built; no
                // button until it exists, so nothing here pretends to delete.
                p { class: "muted", "Deleting your account from the web app is coming soon. Until then, ask your EngLog administrator." }
            }
        }
    }
}
