use std::collections::BTreeSet;

use dioxus::prelude::*;

use crate::api::{self, Entry, ops};
use crate::components::{
    EntryFilters, EntryRow, ErrorMessage, Filters, Profile, QuickAdd, QuickDefaults,
};
use crate::dom;
use crate::format::enum_name;
use crate::state::use_session;
use crate::undo::use_deletions;

const PAGE_SIZE: i64 = 20;

/// The journal: quick add, filters, the entries newest first with infinite
/// scroll (keyset cursor), inline edit, bulk delete with undo.
/// `#/?draft=true` opens it on the drafts waiting for review.
#[component]
pub fn Journal() -> Element {
    let session = use_session();
    let deletions = use_deletions();
    let profile: Profile = use_context();
    let filters = use_signal(|| Filters {
        drafts_only: crate::route::drafts_asked(),
        ..Filters::default()
    });
    let mut entries = use_signal(Vec::<Entry>::new);
    let mut next = use_signal(|| None::<String>);
    let mut loading = use_signal(|| true);
    let mut loaded_once = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let mut selected = use_signal(BTreeSet::<String>::new);
    // Each (re)load has a number; answers of an older one are dropped.
    let mut generation = use_signal(|| 0u32);

    let projects = use_resource(move || async move {
        api::authed::<ops::Projects>(session, ops::projects::Variables)
            .await
            .map(|d| d.projects)
            .unwrap_or_default()
    });
    let projects = projects.read().clone().unwrap_or_default();

    // Fetches the page after `after` (from the top when `None`).
    let load = move |after: Option<String>| async move {
        // A next page is loaded once: scrolling and clicking both ask.
        if after.is_some() {
            if *next.peek() != after {
                return;
            }
            next.set(None);
        }
        let this = *generation.peek() + u32::from(after.is_none());
        generation.set(this);
        loading.set(true);
        let variables = ops::log_entries::Variables {
            first: Some(PAGE_SIZE),
            after: after.clone(),
            filter: Some(filters.peek().to_input()),
        };
        let result = api::authed::<ops::LogEntries>(session, variables).await;
        if *generation.peek() != this {
            return;
        }
        match result {
            Ok(data) => {
                let page = data.log_entries;
                let fresh = page.edges.into_iter().map(|e| Entry::from(e.node));
                if after.is_none() {
                    entries.set(fresh.collect());
                    selected.set(BTreeSet::new());
                } else {
                    entries.write().extend(fresh);
                }
                next.set(
                    page.page_info
                        .has_next_page
                        .then_some(page.page_info.end_cursor)
                        .flatten(),
                );
                error.set(None);
            }
            Err(e) => error.set(Some(session.message_for(&e))),
        }
        loading.set(false);
        if !*loaded_once.peek() {
            loaded_once.set(true);
            dom::performance_mark("englog-journal-interactive");
        }
    };
    // Reload from the top when the filters change or a deletion is undone.
    use_effect(move || {
        let _ = filters.read();
        let _ = deletions.journal_version.read();
        spawn(load(None));
    });

    let pending: Vec<String> = deletions
        .pending
        .read()
        .as_ref()
        .map(|p| p.ids.clone())
        .unwrap_or_default();
    let visible: Vec<Entry> = entries
        .read()
        .iter()
        .filter(|e| !pending.contains(&e.id))
        .cloned()
        .collect();
    let defaults = quick_defaults(visible.first(), &profile.read());
    let empty = !loading() && error().is_none() && visible.is_empty();
    let filtered = *filters.read() != Filters::default();
    let chosen = selected.read().len();

    rsx! {
        section { class: "journal",
            h1 { "Journal" }
            if loaded_once() {
                QuickAdd { key: "{loaded_once}", defaults, projects: projects.clone(),
                    on_saved: move |_| { spawn(load(None)); } }
            }
            EntryFilters { filters, projects: projects.clone() }
            ErrorMessage { message: error() }
            if chosen > 0 {
                div { class: "bulk-bar", role: "region", aria_label: "Selected entries",
                    span { "{chosen} selected" }
                    button { id: "delete-selected", r#type: "button", class: "danger",
                        onclick: move |_| {
                            let ids: Vec<String> = selected.peek().iter().cloned().collect();
                            selected.set(BTreeSet::new());
                            deletions.schedule(session, ids);
                        },
                        "Delete selected"
                    }
                    button { r#type: "button", class: "secondary", onclick: move |_| selected.set(BTreeSet::new()), "Clear" }
                }
            }
            ul { id: "entries", class: "entries",
                for entry in visible.iter().cloned() {
                    EntryRow {
                        key: "{entry.id}",
                        selected: selected.read().contains(&entry.id),
                        on_select: {
                            let id = entry.id.clone();
                            move |on: bool| {
                                let id = id.clone();
                                selected.with_mut(|s| if on { s.insert(id); } else { s.remove(&id); });
                            }
                        },
                        projects: projects.clone(),
                        on_saved: move |_| { spawn(load(None)); },
                        entry,
                    }
                }
            }
            if empty {
                p { id: "empty", class: "empty",
                    if filtered { "No entries match these filters." } else { "No entries yet. What did you work on today?" }
                }
            }
            if loading() {
                p { class: "loading", role: "status", "Loading…" }
            } else if next.read().is_some() {
                // Scrolling to it loads the next page; clicking works too.
                button { id: "load-more", r#type: "button", class: "secondary",
                    onvisible: move |e| if e.is_intersecting().unwrap_or(false) { spawn(load(next())); },
                    onclick: move |_| { spawn(load(next())); },
                    "Load more"
                }
            }
        }
    }
}

fn quick_defaults(last: Option<&Entry>, profile: &Option<ops::me::MeMe>) -> QuickDefaults {
    match last {
        Some(entry) => QuickDefaults {
            activity: entry.activity.clone(),
            project_id: entry.project_id.clone(),
            minutes: entry.duration_minutes.clamp(5, 24 * 60),
        },
        None => QuickDefaults {
            activity: profile
                .as_ref()
                .map(|p| enum_name(&p.preferences.default_activity_type))
                .unwrap_or_else(|| "CODE".into()),
            project_id: None,
            minutes: 45,
        },
    }
}
