use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::dates::use_zone;
use crate::format::{enum_name, enum_value, label};
use crate::state::use_session;

/// Personal access tokens: create (the secret is shown once), list, revoke.
#[component]
pub fn ApiTokens() -> Element {
    let session = use_session();
    let zone = use_zone();
    let mut name = use_signal(String::new);
    let mut scope = use_signal(|| "READ".to_owned());
    let mut created = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);
    let mut version = use_signal(|| 0u32);
    let list = use_resource(move || async move {
        let _ = version();
        api::authed::<ops::ApiTokens>(session, ops::api_tokens::Variables)
            .await
            .map(|d| d.api_tokens)
            .map_err(|e| session.message_for(&e))
    });

    let create = move |event: FormEvent| {
        event.prevent_default();
        let text = name().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Name the token after what will use it.".into()));
            return;
        }
        let Some(scope) = enum_value(&scope()) else {
            return;
        };
        spawn(async move {
            let input = ops::create_api_token::CreateApiTokenInput {
                name: text,
                scope,
                expires_at: None,
            };
            match api::authed::<ops::CreateApiToken>(
                session,
                ops::create_api_token::Variables { input },
            )
            .await
            {
                Ok(data) => {
                    created.set(Some(data.create_api_token.token));
                    name.set(String::new());
                    error.set(None);
                    version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };
    let revoke = move |id: String| {
        spawn(async move {
            match api::authed_unit::<ops::RevokeApiToken>(
                session,
                ops::revoke_api_token::Variables { id },
            )
            .await
            {
                Ok(_) => version += 1,
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };

    rsx! {
        section { id: "api-tokens", class: "card",
            h2 { "API tokens" }
            form { class: "inline-form", onsubmit: create,
                label { r#for: "token-name", "Token name" }
                input { id: "token-name", placeholder: "e.g. CLI on laptop", value: "{name}", oninput: move |e| name.set(e.value()) }
                label { r#for: "token-scope", class: "visually-hidden", "Scope" }
                select { id: "token-scope", onchange: move |e| scope.set(e.value()),
                    option { value: "READ", selected: scope() == "READ", "Read only" }
                    option { value: "READ_WRITE", selected: scope() == "READ_WRITE", "Read and write" }
                }
                button { id: "create-token", r#type: "submit", "Create token" }
            }
            {error_message(error())}
            if let Some(token) = created() {
                div { class: "secret", role: "status",
                    p { "Copy this token now; it will not be shown again." }
                    code { id: "new-token", "{token}" }
                    button { r#type: "button", class: "secondary", onclick: move |_| created.set(None), "Done" }
                }
            }
            match &*list.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(tokens)) if tokens.is_empty() => rsx! { p { class: "empty", "No API tokens." } },
                Some(Ok(tokens)) => rsx! {
                    ul { id: "tokens", class: "list",
                        for t in tokens.iter().cloned() {
                            li { key: "{t.id}", class: "row",
                                span { class: "name", "{t.name}" }
                                span { class: "muted",
                                    "{t.prefix}… · {label(&enum_name(&t.scope))} · created {zone.datetime(&t.created_at)}"
                                }
                                button { r#type: "button", class: "secondary", aria_label: "Revoke token {t.name}",
                                    onclick: {
                                        let id = t.id.clone();
                                        move |_| revoke(id.clone())
                                    },
                                    "Revoke"
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
