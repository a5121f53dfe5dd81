use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::format::{enum_name, enum_value, label};

const CATEGORIES: [&str; 6] = [
    "TECHNOLOGY",
    "ACTIVITY_FOCUS",
    "COLLABORATION",
    "PRIORITY",
    "SKILLS",
    "CUSTOM",
];
/// What the colour field shows for a tag without a colour.
const NO_COLOR: &str = "#5b6573";
use crate::state::use_session;

/// The person's tags with how often each is used; create, recategorise,
/// recolour and delete (saying first what deleting does).
#[component(lazy)]
pub fn Tags() -> Element {
    let session = use_session();
    let mut name = use_signal(String::new);
    let mut error = use_signal(|| None::<String>);
    let mut version = use_signal(|| 0u32);
    let list = use_resource(move || async move {
        let _ = version();
        api::authed::<ops::Tags>(session, ops::tags::Variables)
            .await
            .map(|d| d.tags)
            .map_err(|e| session.message_for(&e))
    });

    let create = move |event: FormEvent| {
        event.prevent_default();
        let text = name().trim().to_owned();
        if text.is_empty() {
            error.set(Some("Give the tag a name.".into()));
            return;
        }
        spawn(async move {
            let input = ops::create_tag::CreateTagInput {
                name: text,
                category: None,
                color: None,
            };
            match api::authed_unit::<ops::CreateTag>(session, ops::create_tag::Variables { input })
                .await
            {
                Ok(_) => {
                    name.set(String::new());
                    error.set(None);
                    version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };
    let mut confirming = use_signal(|| None::<String>);
    let change = move |id: String, category: Option<String>, color: Option<String>| {
        spawn(async move {
            let input = ops::update_tag::UpdateTagInput {
                category: category.as_deref().and_then(enum_value),
                color,
                name: None,
            };
            match api::authed_unit::<ops::UpdateTag>(
                session,
                ops::update_tag::Variables { id, input },
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };
    let delete = move |id: String| {
        spawn(async move {
            match api::authed_unit::<ops::DeleteTag>(session, ops::delete_tag::Variables { id })
                .await
            {
                Ok(_) => version += 1,
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };

    rsx! {
        section { class: "tags-page",
            h1 { "Tags" }
            form { id: "new-tag", class: "card inline-form", onsubmit: create,
                label { r#for: "tag-name", "New tag" }
                input { id: "tag-name", placeholder: "e.g. incident", value: "{name}", oninput: move |e| name.set(e.value()) }
                button { id: "create-tag", r#type: "submit", "Create" }
            }
            {error_message(error())}
            match &*list.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(tags)) if tags.is_empty() => rsx! {
                    p { class: "empty", "No tags yet. Tags typed in the quick-add form appear here." }
                },
                Some(Ok(tags)) => rsx! {
                    ul { id: "tags", class: "list",
                        for t in tags.iter().cloned() {
                            li { key: "{t.id}", class: "row tag-row", "data-id": "{t.id}",
                                span { class: "tag", "{t.name}" }
                                span { class: "muted", "used {t.usage_count}×" }
                                if confirming().as_deref() == Some(t.id.as_str()) {
                                    span { class: "confirm", "Delete {t.name}? It is taken off its {t.usage_count} entries; the entries stay." }
                                    button { r#type: "button", class: "danger tag-delete-confirm",
                                        onclick: {
                                            let id = t.id.clone();
                                            move |_| { confirming.set(None); delete(id.clone()) }
                                        },
                                        "Delete tag"
                                    }
                                    button { r#type: "button", class: "secondary", onclick: move |_| confirming.set(None), "Keep it" }
                                } else {
                                    select { class: "tag-category", aria_label: "Category of {t.name}",
                                        onchange: {
                                            let id = t.id.clone();
                                            move |e: FormEvent| change(id.clone(), Some(e.value()), None)
                                        },
                                        for c in CATEGORIES {
                                            option { value: c, selected: enum_name(&t.category) == c, {label(c)} }
                                        }
                                    }
                                    input { class: "tag-color", r#type: "color", aria_label: "Colour of {t.name}",
                                        value: t.color.clone().unwrap_or_else(|| NO_COLOR.into()),
                                        onchange: {
                                            let id = t.id.clone();
                                            move |e: FormEvent| change(id.clone(), None, Some(e.value()))
                                        }
                                    }
                                    button { r#type: "button", class: "secondary tag-delete", aria_label: "Delete tag {t.name}",
                                        onclick: {
                                            let id = t.id.clone();
                                            move |_| confirming.set(Some(id.clone()))
                                        },
                                        "Delete"
                                    }
                                }
                            }
                        }
                    }
                },
            }
        }
    }
}
