use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::state::use_session;

/// Comma-separated tags, with suggestions from the API for the tag being
/// typed (most used first); a suggestion completes it.
#[component]
pub fn TagInput(id: &'static str, mut value: Signal<String>) -> Element {
    let session = use_session();
    let mut suggestions = use_signal(Vec::<String>::new);
    let suggestions_id = format!("{id}-suggestions");

    let oninput = move |event: FormEvent| {
        let text = event.value();
        value.set(text.clone());
        let prefix = current_tag(&text).to_owned();
        if prefix.is_empty() {
            suggestions.set(Vec::new());
            return;
        }
        spawn(async move {
            let variables = ops::tag_suggestions::Variables {
                prefix: prefix.clone(),
            };
            if let Ok(data) = api::authed::<ops::TagSuggestions>(session, variables).await {
                // Only if the person is still typing that tag.
                if current_tag(&value.peek()) == prefix {
                    let names = data.tag_suggestions.into_iter().map(|t| t.name);
                    suggestions.set(names.filter(|n| *n != prefix).collect());
                }
            }
        });
    };

    rsx! {
        div { class: "field",
            label { r#for: id, "Tags" }
            input { id, placeholder: "comma, separated", autocomplete: "off",
                value: "{value}", oninput }
            if !suggestions.read().is_empty() {
                div { id: suggestions_id, class: "suggestions", role: "listbox", aria_label: "Tag suggestions",
                    for name in suggestions() {
                        button { key: "{name}", r#type: "button", class: "chip", role: "option",
                            onclick: move |_| {
                                let done = complete_tag(&value.peek(), &name);
                                value.set(done);
                                suggestions.set(Vec::new());
                            },
                            "{name}"
                        }
                    }
                }
            }
        }
    }
}

/// The tag being typed: the text after the last comma.
fn current_tag(text: &str) -> &str {
    text.rsplit(',').next().unwrap_or("").trim()
}

fn complete_tag(text: &str, name: &str) -> String {
    let kept = match text.rfind(',') {
        Some(i) => format!("{}, ", text[..i].trim_end()),
        None => String::new(),
    };
    format!("{kept}{name}, ")
}
