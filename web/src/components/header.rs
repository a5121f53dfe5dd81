use dioxus::prelude::*;

use crate::route::Route;
use crate::state::use_session;

const LINKS: [(Route, &str, &str); 7] = [
    (Route::Journal, "nav-journal", "Journal"),
    (Route::Dashboard, "nav-dashboard", "Dashboard"),
    (Route::Reports, "nav-reports", "Reports"),
    (Route::Projects, "nav-projects", "Projects"),
    (Route::Tags, "nav-tags", "Tags"),
    (Route::Data, "nav-data", "Import & export"),
    (Route::Settings, "nav-settings", "Settings"),
];

/// The signed-in bar: navigation, who is signed in and a way out.
#[component]
pub fn Header(name: Option<String>, route: Route) -> Element {
    let session = use_session();
    let section = match &route {
        Route::Entry(_) => Route::Journal,
        Route::Connections => Route::Settings,
        Route::Report(_) => Route::Reports,
        other => other.clone(),
    };
    rsx! {
        header { class: "top",
            div { class: "top-row",
                a { class: "brand", href: "#/", "EngLog" }
                span { id: "user-name", class: "user", {name.unwrap_or_default()} }
                button { id: "sign-out", r#type: "button", class: "secondary",
                    onclick: move |_| session.sign_out(),
                    "Sign out"
                }
            }
            nav { class: "nav", aria_label: "Main",
                for (target, id, label) in LINKS {
                    a {
                        id,
                        href: target.href(),
                        aria_current: if target == section { "page" } else { "false" },
                        "{label}"
                    }
                }
            }
        }
    }
}
