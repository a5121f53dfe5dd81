use dioxus::prelude::*;

use crate::api::{self, Entry};
use crate::components::{EntryItem, ErrorMessage, Header};
use crate::state::use_session;

const PAGE_SIZE: i64 = 20;

/// Signed-in page: the person's entries, newest first, a page at a time.
#[component]
pub fn Journal() -> Element {
    let session = use_session();
    let mut entries = use_signal(Vec::<Entry>::new);
    let mut next = use_signal(|| None::<String>);
    let mut loading = use_signal(|| true);
    let mut error = use_signal(|| None::<String>);

    let me = use_resource(move || async move {
        api::me(session.access_token())
            .await
            .map_err(|e| session.message_for(&e))
    });
    let (name, me_error) = match &*me.read() {
        Some(Ok(user)) => (Some(user.display_name()), None),
        Some(Err(message)) => (None, Some(message.clone())),
        None => (None, None),
    };

    // Fetches the page after `after` and appends it.
    let load = move |after: Option<String>| async move {
        loading.set(true);
        error.set(None);
        let token = session.access_token();
        match api::log_entries(token, PAGE_SIZE, after).await {
            Ok(page) => {
                entries.write().extend(page.entries);
                next.set(page.next);
            }
            Err(e) => error.set(Some(session.message_for(&e))),
        }
        loading.set(false);
    };
    use_future(move || load(None));

    let empty = !loading() && error().is_none() && entries.read().is_empty();

    rsx! {
        Header { name }
        section { class: "journal",
            h1 { "Journal" }
            ErrorMessage { message: error().or(me_error) }
            ul { id: "entries", class: "entries",
                for entry in entries.read().iter().cloned() {
                    EntryItem { key: "{entry.id}", entry }
                }
            }
            if empty {
                p { id: "empty", class: "empty", "No entries yet. What did you work on today?" }
            }
            if loading() {
                p { class: "loading", "Loading…" }
            } else if next.read().is_some() {
                button { id: "load-more", r#type: "button",
                    onclick: move |_| { spawn(load(next())); },
                    "Load more"
                }
            }
        }
    }
}
