use dioxus::prelude::*;

use crate::components::{ImportForm, error_message};
use crate::download::download;
use crate::state::use_session;

/// Imports into the person's account, and downloads of their data.
#[component(lazy)]
pub fn Data() -> Element {
    let session = use_session();
    let mut error = use_signal(|| None::<String>);
    let mut busy = use_signal(|| false);
    let fetch = move |path: &'static str, name: &'static str| {
        move |_| {
            busy.set(true);
            spawn(async move {
                error.set(download(session, path, name).await.err());
                busy.set(false);
            });
        }
    };
    rsx! {
        section { class: "data",
            h1 { "Import and export" }
            ImportForm {}
            h2 { "Export" }
            {error_message(error())}
            div { class: "card",
                p { "Your entries as a spreadsheet, or everything in your account as JSON." }
                div { class: "actions",
                    button { id: "export-csv", r#type: "button", disabled: busy(),
                        onclick: fetch("/export/entries.csv", "englog-entries.csv"), "Entries (CSV)" }
                    button { id: "export-account", r#type: "button", class: "secondary", disabled: busy(),
                        onclick: fetch("/export/account.json", "englog-account.json"), "Whole account (JSON)" }
                }
            }
        }
    }
}
