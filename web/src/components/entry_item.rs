use dioxus::prelude::*;

use crate::api::Entry;
use crate::format;

/// One line of the journal.
#[component]
pub fn EntryItem(entry: Entry) -> Element {
    let start = format::local_datetime(&entry.start_time);
    let duration = format::duration(entry.duration_minutes);
    rsx! {
        li { class: "entry",
            div { class: "entry-head",
                span { class: "entry-title", "{entry.title}" }
                span { class: "entry-type", "{entry.activity}" }
            }
            div { class: "entry-meta",
                time { datetime: "{entry.start_time}", "{start}" }
                span { " · {duration}" }
                if let Some(project) = &entry.project {
                    span { class: "entry-project", " · {project}" }
                }
            }
            if !entry.tags.is_empty() {
                ul { class: "tags",
                    for tag in entry.tags.iter() {
                        li { key: "{tag}", class: "tag", "{tag}" }
                    }
                }
            }
        }
    }
}
