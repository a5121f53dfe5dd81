//! Says so when this browser's time zone is not the profile's: every time
//! the app shows or asks is in the profile's zone, which is right for a
//! person travelling, and surprising when the profile is simply wrong.

use dioxus::prelude::*;

use crate::components::Profile;
use crate::dates::browser_zone;

#[component]
pub fn ZoneNotice() -> Element {
    let profile: Profile = use_context();
    let browser = use_hook(browser_zone);
    let Some(profile_zone) = profile.read().as_ref().map(|me| me.timezone.clone()) else {
        return rsx! {};
    };
    if browser.is_empty() || browser == profile_zone {
        return rsx! {};
    }
    rsx! {
        p { id: "zone-notice", class: "notice", role: "note",
            "Times are shown in {profile_zone}, your profile's time zone; this browser is in {browser}. "
            a { href: "#/settings", "Change the profile's zone" }
        }
    }
}
