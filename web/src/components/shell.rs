use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{Header, ReviewBanner, TimerBar, UndoToast, ZoneNotice};
use crate::pages;
use crate::route::Route;
use crate::state::use_session;

/// The signed-in person's profile, shared by the pages.
pub type Profile = Signal<Option<ops::me::MeMe>>;

/// The signed-in frame: header, navigation, the page of `route`, toasts.
#[component]
pub fn Shell(route: Route) -> Element {
    let session = use_session();
    let mut profile: Profile = use_context_provider(|| Signal::new(None));
    let mut error = use_signal(|| None::<String>);
    // Reloaded when a page changes the profile (bumps `profile_version`).
    let profile_version = use_context_provider(|| Signal::new(0u32));
    use_resource(move || async move {
        let _ = profile_version();
        match api::authed::<ops::Me>(session, ops::me::Variables).await {
            Ok(data) => profile.set(Some(data.me)),
            Err(e) => error.set(Some(session.message_for(&e))),
        }
    });
    let name = profile.read().as_ref().map(|me| {
        let name = format!("{} {}", me.first_name, me.last_name);
        match name.trim() {
            "" => me.email.clone(),
            trimmed => trimmed.to_owned(),
        }
    });

    rsx! {
        Header { name, route: route.clone() }
        TimerBar {}
        ZoneNotice {}
        if let Some(message) = error() {
            p { class: "error", role: "alert", "{message}" }
        }
        ReviewBanner {}
        div { class: "page",
            // Every page but the journal is a wasm module of its own
            // (`component(lazy)`, split by scripts/build-web), fetched when
            // first shown: the page suspends until its code has arrived.
            SuspenseBoundary { fallback: |_| rsx! { p { class: "muted loading", role: "status", "Loading…" } },
                match route {
                    Route::Journal => rsx! { pages::Journal {} },
                    Route::Entry(id) => rsx! { pages::EntryPage { id } },
                    Route::Dashboard => rsx! { pages::Dashboard {} },
                    Route::Reports => rsx! { pages::Reports {} },
                    Route::Report(id) => rsx! { pages::Report { key: "{id}", id } },
                    Route::Projects => rsx! { pages::Projects {} },
                    Route::Tags => rsx! { pages::Tags {} },
                    Route::Data => rsx! { pages::Data {} },
                    Route::Settings => rsx! { pages::Settings {} },
                    Route::Connections => rsx! { pages::Connections {} },
                    Route::NotFound(path) => pages::not_found(&path),
                }
            }
        }
        UndoToast {}
    }
}
