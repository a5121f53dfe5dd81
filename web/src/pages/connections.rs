use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::connector_card::busy;
use crate::components::connector_form::{Editing, editing_of};
use crate::components::{ConnectorCard, ConnectorForm, error_message};
use crate::dom;
use crate::route::Route;
use crate::state::use_session;

/// Polls while a sync is asked for or running, every second for at most
/// this many polls after the last "sync now" (a sync waiting on another of
/// the person's syncs starts at the scheduler's next pass).
const POLLS_AFTER_SYNC: u32 = 180;

/// Which form is open.
#[derive(Clone, PartialEq)]
enum Form {
    Closed,
    Add,
    Edit(Editing),
}

/// Settings → Connections: the person's connectors and their syncs.
#[component(lazy)]
pub fn Connections() -> Element {
    let session = use_session();
    let mut connectors =
        use_signal(|| None::<Result<Vec<ops::connectors::ConnectorsConnectors>, String>>);
    let mut form = use_signal(|| Form::Closed);
    let mut polls_left = use_signal(|| 0u32);

    let load = move || async move {
        let result = api::authed::<ops::Connectors>(session, ops::connectors::Variables)
            .await
            .map(|d| d.connectors)
            .map_err(|e| session.message_for(&e));
        connectors.set(Some(result));
    };
    use_hook(move || {
        spawn(load());
    });
    // Follows running syncs until they end.
    use_future(move || async move {
        loop {
            dom::sleep(1_000).await;
            let running = connectors.peek().as_ref().is_some_and(|r| {
                r.as_ref().is_ok_and(|list| {
                    list.iter().any(|c| {
                        c.status == ops::connectors::ConnectorStatus::SYNCING
                            || (busy(c) && *polls_left.peek() > 0)
                    })
                })
            });
            if running {
                let left = *polls_left.peek();
                polls_left.set(left.saturating_sub(1));
                load().await;
            }
        }
    });

    let current = connectors.read().clone();
    rsx! {
        section { class: "connections",
            div { class: "page-head",
                h1 { "Connections" }
                a { href: Route::Settings.href(), "Back to settings" }
            }
            p { class: "muted",
                "Connected sources bring your work in as drafts to review: nothing is confirmed without you."
            }
            match form() {
                Form::Closed => rsx! {
                    button { id: "add-connector", r#type: "button", onclick: move |_| form.set(Form::Add), "Add a connector" }
                },
                Form::Add => rsx! {
                    ConnectorForm { editing: None,
                        on_saved: move |_| { form.set(Form::Closed); spawn(load()); },
                        on_cancel: move |_| form.set(Form::Closed) }
                },
                Form::Edit(editing) => rsx! {
                    ConnectorForm { key: "{editing.kind}-{editing.base_url}", editing: Some(editing),
                        on_saved: move |_| { form.set(Form::Closed); spawn(load()); },
                        on_cancel: move |_| form.set(Form::Closed) }
                },
            }
            match current {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(list)) if list.is_empty() => rsx! {
                    p { id: "no-connectors", class: "empty", "No connectors yet: add GitHub, GitLab or a calendar." }
                },
                Some(Ok(list)) => rsx! {
                    ul { id: "connectors", class: "list",
                        for c in list {
                            ConnectorCard {
                                key: "{c.id}",
                                on_changed: move |_| { spawn(load()); },
                                on_sync: move |_| { polls_left.set(POLLS_AFTER_SYNC); spawn(load()); },
                                on_edit: {
                                    let editing = editing_of(&c);
                                    move |_| form.set(Form::Edit(editing.clone()))
                                },
                                connector: c,
                            }
                        }
                    }
                },
            }
        }
    }
}
