use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::connector_form::kind_name;
use crate::dates::{Zone, use_zone};
use crate::format::{count, enum_name, label};
use crate::state::use_session;

use ops::connectors::{ConnectorStatus, ConnectorsConnectors};

/// A sync is asked for or running.
pub fn busy(c: &ConnectorsConnectors) -> bool {
    c.status == ConnectorStatus::SYNCING || c.sync_pending
}

/// An instant in the profile's zone, or "never".
fn when(zone: &Zone, at: &Option<String>) -> String {
    at.as_deref()
        .map(|at| zone.datetime(at))
        .unwrap_or_else(|| "never".into())
}

/// One connector: where it stands, and test, sync now, change, remove.
#[component]
pub fn ConnectorCard(
    connector: ConnectorsConnectors,
    on_changed: EventHandler<()>,
    on_sync: EventHandler<()>,
    on_edit: EventHandler<()>,
) -> Element {
    let session = use_session();
    let zone = use_zone();
    let c = connector;
    let id = c.id.clone();
    let kind = enum_name(&c.kind);
    let name = kind_name(&kind).to_owned();
    let status = enum_name(&c.status);
    let mut tested = use_signal(|| None::<Result<String, String>>);
    let mut error = use_signal(|| None::<String>);
    let mut confirming = use_signal(|| false);
    let mut testing = use_signal(|| false);

    let test = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            testing.set(true);
            spawn(async move {
                let result = api::authed::<ops::TestConnector>(
                    session,
                    ops::test_connector::Variables { id },
                )
                .await;
                testing.set(false);
                match result {
                    // A calendar also says what it read ("read 6 events; …").
                    Ok(d) if d.test_connector.ok => {
                        tested.set(Some(Ok(match d.test_connector.message {
                            Some(read) => format!(
                                "Connected as {}: {read}.",
                                d.test_connector.account.unwrap_or_default()
                            ),
                            None => format!(
                                "Connected as {}.",
                                d.test_connector.account.unwrap_or_default()
                            ),
                        })))
                    }
                    Ok(d) => tested.set(Some(Err(d
                        .test_connector
                        .message
                        .unwrap_or_else(|| "The connection failed.".into())))),
                    Err(e) => error.set(Some(session.message_for(&e))),
                }
            });
        }
    };
    let sync = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn(async move {
                match api::authed_unit::<ops::SyncConnector>(
                    session,
                    ops::sync_connector::Variables { id },
                )
                .await
                {
                    Ok(()) => {
                        error.set(None);
                        on_sync.call(());
                    }
                    Err(e) => error.set(Some(session.message_for(&e))),
                }
            });
        }
    };
    let remove = {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn(async move {
                match api::authed_unit::<ops::RemoveConnector>(
                    session,
                    ops::remove_connector::Variables { id },
                )
                .await
                {
                    Ok(()) => on_changed.call(()),
                    Err(e) => error.set(Some(session.message_for(&e))),
                }
            });
        }
    };
    let status_text = if c.status == ConnectorStatus::SYNCING {
        "Syncing…".to_owned()
    } else if c.sync_pending {
        "Sync starting…".to_owned()
    } else {
        label(&status)
    };
    let result = &c.last_result;

    rsx! {
        li { class: "connector connector-{kind.to_ascii_lowercase()}", id: "connector-{c.id}",
            div { class: "row",
                span { class: "name", "{name}" }
                span { class: "status-badge {status.to_ascii_lowercase()}", role: "status", "{status_text}" }
            }
            dl {
                dt { "URL" }
                dd { "{c.base_url}" }
                dt { "Account" }
                dd { {c.account.clone().unwrap_or_else(|| "not checked yet".into())} }
                dt { "Last sync" }
                dd { {when(&zone, &c.last_sync_at)} }
                dt { "Last success" }
                dd { {when(&zone, &c.last_success_at)} }
                dt { "Next sync" }
                dd { {zone.datetime(&c.next_sync_at)} }
                dt { "Last result" }
                dd { class: "last-result",
                    {format!(
                        "{} created, {} updated, {} removed",
                        count(result.created, "draft", "drafts"),
                        result.updated,
                        result.removed
                    )}
                }
                dt { "Every" }
                dd { "{c.interval_minutes} min" }
                if !c.project_rules.is_empty() {
                    dt { "Projects" }
                    dd {
                        {c.project_rules.iter().map(|r| format!("{} → {}", r.repository, r.project)).collect::<Vec<_>>().join(", ")}
                    }
                }
            }
            if let Some(last_error) = c.last_error.clone() {
                p { class: "error connector-error", role: "alert",
                    strong { "Last sync failed: " }
                    "{last_error}"
                    if c.consecutive_failures > 1 { " ({c.consecutive_failures} times in a row; retried with backoff)" }
                }
            }
            match tested() {
                Some(Ok(text)) => rsx! { p { class: "ok test-result", role: "status", "{text}" } },
                Some(Err(text)) => rsx! { p { class: "error test-result", role: "alert", "{text}" } },
                None => rsx! {},
            }
            if let Some(message) = error() {
                p { class: "error", role: "alert", "{message}" }
            }
            div { class: "actions",
                button { r#type: "button", class: "secondary test", disabled: testing(),
                    aria_label: "Test the {name} connection", onclick: test,
                    if testing() { "Testing…" } else { "Test connection" }
                }
                button { r#type: "button", class: "sync", disabled: c.status == ConnectorStatus::SYNCING,
                    aria_label: "Sync {name} now", onclick: sync, "Sync now" }
                button { r#type: "button", class: "secondary edit",
                    aria_label: "Change the {name} connector", onclick: move |_| on_edit.call(()), "Change" }
                button { r#type: "button", class: "secondary remove",
                    aria_label: "Remove the {name} connector", onclick: move |_| confirming.set(true), "Remove" }
            }
            if confirming() {
                div { class: "confirm", role: "alertdialog", aria_label: "Confirm removal",
                    p { "Remove the {name} connector? Its token is deleted; drafts it brought in stay in your journal." }
                    div { class: "actions",
                        button { r#type: "button", class: "danger confirm-remove", onclick: remove, "Remove connector" }
                        button { r#type: "button", class: "secondary", onclick: move |_| confirming.set(false), "Keep it" }
                    }
                }
            }
        }
    }
}
