use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::format::{enum_name, enum_value};
use crate::state::use_session;

use ops::configure_connector::{ConfigureConnectorInput, ConnectorKind, ProjectRuleInput};

/// The kinds offered, with how the form words their fields: (kind, name,
/// URL label, URL placeholder, secret label). `CALENDAR` may be newer than
/// this build's schema: the generated enum carries unknown names
/// (`Other`), so it is sent as typed and the server says if it is unknown.
const KINDS: [(&str, &str, &str, &str, &str); 3] = [
    (
        "GITHUB",
        "GitHub",
        "API base URL",
        "https://api.github.com",
        "Personal access token",
    ),
    (
        "GITLAB",
        "GitLab",
        "API base URL",
        "https://gitlab.com/api/v4",
        "Personal access token",
    ),
    (
        "CALENDAR",
        "Calendar",
        "Calendar URL (ICS feed or CalDAV)",
        "https://calendar.example.org/…/basic.ics",
        "Password (if the calendar needs one)",
    ),
];

/// A connector kind's display name.
pub fn kind_name(kind: &str) -> &str {
    KINDS
        .iter()
        .find(|k| k.0 == kind)
        .map(|k| k.1)
        .unwrap_or(kind)
}

/// What the form starts from when it edits a connector.
#[derive(Clone, PartialEq)]
pub struct Editing {
    pub kind: String,
    pub base_url: String,
    pub interval_minutes: i64,
    /// `repository = Project`, one a line.
    pub rules: String,
}

fn parse_rules(text: &str) -> Result<Vec<ProjectRuleInput>, String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| match line.split_once('=') {
            Some((repo, project)) if !repo.trim().is_empty() && !project.trim().is_empty() => {
                Ok(ProjectRuleInput {
                    repository: repo.trim().to_owned(),
                    project: project.trim().to_owned(),
                })
            }
            _ => Err(format!("“{line}”: write a rule as “repository = Project”.")),
        })
        .collect()
}

/// Adds a connector, or changes one (same kind and URL); the token is
/// write-only: left empty, the stored one is kept.
#[component]
pub fn ConnectorForm(
    editing: Option<Editing>,
    on_saved: EventHandler<()>,
    on_cancel: EventHandler<()>,
) -> Element {
    let session = use_session();
    let start = editing.clone();
    let is_edit = start.is_some();
    let mut kind = use_signal(|| {
        start
            .as_ref()
            .map(|e| e.kind.clone())
            .unwrap_or_else(|| "GITHUB".into())
    });
    let mut base_url = use_signal(|| {
        start
            .as_ref()
            .map(|e| e.base_url.clone())
            .unwrap_or_default()
    });
    let mut username = use_signal(String::new);
    let mut token = use_signal(String::new);
    let mut interval = use_signal(|| {
        start
            .as_ref()
            .map(|e| e.interval_minutes.to_string())
            .unwrap_or_default()
    });
    let mut rules = use_signal(|| start.as_ref().map(|e| e.rules.clone()).unwrap_or_default());
    let mut error = use_signal(|| None::<String>);
    let mut saving = use_signal(|| false);

    let (_, _, url_label, url_placeholder, secret_label) = KINDS
        .iter()
        .copied()
        .find(|k| k.0 == kind())
        .unwrap_or(KINDS[0]);
    let calendar = kind() == "CALENDAR";

    let save = move |event: FormEvent| {
        event.prevent_default();
        let rules = match parse_rules(&rules()) {
            Ok(r) => r,
            Err(message) => {
                error.set(Some(message));
                return;
            }
        };
        let interval_minutes = match interval().trim() {
            "" => None,
            text => match text.parse::<i64>() {
                Ok(n) if n > 0 => Some(n),
                _ => {
                    error.set(Some("The interval is a whole number of minutes.".into()));
                    return;
                }
            },
        };
        let Some(kind_value) = enum_value::<ConnectorKind>(&kind()) else {
            return;
        };
        let text = |s: String| (!s.trim().is_empty()).then(|| s.trim().to_owned());
        let input = ConfigureConnectorInput {
            kind: kind_value,
            base_url: text(base_url()),
            token: text(token()),
            // CalDAV only; an empty field keeps the stored user name.
            username: text(username()),
            interval_minutes,
            project_rules: Some(rules),
        };
        saving.set(true);
        spawn(async move {
            let result = api::authed_unit::<ops::ConfigureConnector>(
                session,
                ops::configure_connector::Variables { input },
            )
            .await;
            saving.set(false);
            match result {
                Ok(()) => {
                    token.set(String::new());
                    error.set(None);
                    on_saved.call(());
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };

    rsx! {
        form { id: "connector-form", class: "card connector-form", onsubmit: save,
            h2 { if is_edit { "Change connector" } else { "Add a connector" } }
            {error_message(error())}
            div { class: "field",
                label { r#for: "connector-kind", "Source" }
                select { id: "connector-kind", disabled: is_edit, onchange: move |e| kind.set(e.value()),
                    for (name, display, ..) in KINDS {
                        option { value: name, selected: name == kind(), "{display}" }
                    }
                }
            }
            div { class: "field",
                label { r#for: "connector-url", "{url_label}" }
                input { id: "connector-url", r#type: "url", placeholder: url_placeholder, readonly: is_edit,
                    required: calendar, value: "{base_url}", oninput: move |e| base_url.set(e.value()) }
                if !calendar {
                    span { class: "muted", "Leave empty for the public service." }
                }
            }
            if calendar {
                div { class: "field",
                    label { r#for: "connector-username", "Username (if the calendar needs one)" }
                    input { id: "connector-username", autocomplete: "off", value: "{username}", oninput: move |e| username.set(e.value()) }
                }
            }
            div { class: "field",
                label { r#for: "connector-token", "{secret_label}" }
                input { id: "connector-token", r#type: "password", autocomplete: "off",
                    placeholder: if is_edit { "Leave empty to keep the stored one" } else { "" },
                    value: "{token}", oninput: move |e| token.set(e.value()) }
                span { class: "muted", "Stored encrypted and never shown again." }
            }
            div { class: "field",
                label { r#for: "connector-interval", "Sync every (minutes)" }
                input { id: "connector-interval", r#type: "number", min: "1", inputmode: "numeric", class: "short",
                    placeholder: "30", value: "{interval}", oninput: move |e| interval.set(e.value()) }
            }
            div { class: "field",
                label { r#for: "connector-rules",
                    if calendar { "Project for this calendar (“calendar = Project”)" } else { "Project rules (“owner/repository = Project”, one a line)" }
                }
                textarea { id: "connector-rules", rows: "3", value: "{rules}", oninput: move |e| rules.set(e.value()) }
            }
            div { class: "actions",
                button { id: "connector-save", r#type: "submit", disabled: saving(),
                    if saving() { "Saving…" } else if is_edit { "Save" } else { "Add connector" }
                }
                button { r#type: "button", class: "secondary", onclick: move |_| on_cancel.call(()), "Cancel" }
            }
        }
    }
}

/// The form's starting point for an existing connector.
pub fn editing_of(c: &ops::connectors::ConnectorsConnectors) -> Editing {
    Editing {
        kind: enum_name(&c.kind),
        base_url: c.base_url.clone(),
        interval_minutes: c.interval_minutes,
        rules: c
            .project_rules
            .iter()
            .map(|r| format!("{} = {}", r.repository, r.project))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}
