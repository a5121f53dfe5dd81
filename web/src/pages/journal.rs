use std::collections::BTreeSet;

use dioxus::prelude::*;

use crate::api::{self, Entry, ops};
use crate::components::{
    EntryFilters, Profile, QuickAdd, QuickDefaults, WeekView, active_filters, day_list,
    error_message,
};
use crate::dates::{Day, use_sunday_first, use_zone};
use crate::day_groups;
use crate::dom;
use crate::filters::Filters;
use crate::format::{count, enum_name};
use crate::route::{self, RouteQuery};
use crate::state::Session;
use crate::state::use_session;
use crate::undo::use_deletions;

const PAGE_SIZE: i64 = 20;

/// The journal: quick add, filters (also read from and written to the
/// address bar), the entries newest first grouped by day in the profile's
/// zone with infinite scroll (keyset cursor), or a week of seven columns;
/// inline edit, bulk delete with undo.
#[component]
pub fn Journal() -> Element {
    let session = use_session();
    let deletions = use_deletions();
    let profile: Profile = use_context();
    let zone = use_zone();
    let sunday_first = use_sunday_first();
    let RouteQuery(query) = use_context();
    let mut filters = use_signal(|| Filters::from_query(&query.peek()));
    let mut entries = use_signal(Vec::<Entry>::new);
    let mut next = use_signal(|| None::<String>);
    let mut loading = use_signal(|| true);
    let mut loaded_once = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let mut selected = use_signal(BTreeSet::<String>::new);
    let mut confirming = use_signal(|| false);
    let mut week = use_signal(|| false);
    let anchor = use_signal(|| Day(0));
    // Each (re)load has a number; answers of an older one are dropped.
    let mut generation = use_signal(|| 0u32);

    let projects = use_resource(move || async move {
        api::authed::<ops::Projects>(session, ops::projects::Variables)
            .await
            .map(|d| d.projects)
    });
    let projects_loaded = projects.read().is_some();
    let projects = projects
        .read()
        .clone()
        .and_then(Result::ok)
        .unwrap_or_default();

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
        let zone = crate::dates::Zone(
            profile
                .peek()
                .as_ref()
                .map(|me| me.timezone.clone())
                .unwrap_or_default(),
        );
        let variables = ops::log_entries::Variables {
            first: Some(PAGE_SIZE),
            after: after.clone(),
            filter: Some(filters.peek().to_input(&zone)),
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
    // A link (the dashboard's, the back button) brings other filters.
    use_effect(move || {
        let mut linked = Filters::from_query(&query());
        linked.search = filters.peek().search.clone();
        if linked != *filters.peek() {
            filters.set(linked);
        }
    });
    // The address bar says what the journal shows, so it can be shared.
    use_effect(move || route::replace_query(&filters.read().to_query()));
    // Reload from the top when the filters change or a deletion is undone,
    // and when the profile's zone arrives if a date range depends on it.
    use_effect(move || {
        let f = filters.read();
        if !f.from.is_empty() || !f.to.is_empty() {
            let _ = profile.read();
        }
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
    // The drafts among the selection: what "Confirm" confirms.
    let selected_drafts = move || -> Vec<String> {
        let chosen = selected.read();
        entries
            .read()
            .iter()
            .filter(|e| e.draft && chosen.contains(&e.id))
            .map(|e| e.id.clone())
            .collect()
    };
    let chosen_drafts = selected_drafts().len();
    // Grouping needs the profile's zone: nothing is grouped in the wrong one.
    let profile_ready = profile.read().is_some();
    let weeks = day_groups::group(&visible, &zone, sunday_first);
    let today = zone.today();

    rsx! {
        section { class: "journal",
            div { class: "page-head",
                h1 { "Journal" }
                div { class: "view-switch", role: "group", aria_label: "View",
                    button { id: "view-list", r#type: "button", class: if week() { "secondary" } else { "" },
                        aria_pressed: !week(), onclick: move |_| week.set(false), "Days" }
                    button { id: "view-week", r#type: "button", class: if week() { "" } else { "secondary" },
                        aria_pressed: week(),
                        onclick: {
                            let mut anchor = anchor;
                            move |_| { anchor.set(today); week.set(true); }
                        },
                        "Week" }
                }
            }
            if loaded_once() {
                QuickAdd { key: "{loaded_once}", defaults, projects: projects.clone(),
                    on_saved: move |_| { spawn(load(None)); } }
            }
            EntryFilters { filters, projects: projects.clone() }
            {active_filters(filters, &projects, projects_loaded)}
            {error_message(error())}
            if week() && profile_ready {
                WeekView { anchor, filters: filters() }
            } else if !week() {
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
                        if chosen_drafts > 0 {
                            button { id: "confirm-selected", r#type: "button", disabled: confirming(),
                                onclick: move |_| {
                                    let ids = selected_drafts();
                                    confirming.set(true);
                                    spawn(async move {
                                        match confirm_drafts(session, ids).await {
                                            Ok(()) => selected.set(BTreeSet::new()),
                                            Err(e) => error.set(Some(session.message_for(&e))),
                                        }
                                        confirming.set(false);
                                        load(None).await;
                                    });
                                },
                                "Confirm {count(chosen_drafts as i64, \"draft\", \"drafts\")}"
                            }
                        }
                        button { r#type: "button", class: "secondary", onclick: move |_| selected.set(BTreeSet::new()), "Clear" }
                    }
                }
                if profile_ready {
                    {day_list(weeks, (today, sunday_first, next.read().is_some()), selected, &projects,
                        EventHandler::new(move |_| { spawn(load(None)); }))}
                }
                if empty {
                    p { id: "empty", class: "empty",
                        if filtered { "No entries match these filters." } else { "No entries yet. What did you work on today?" }
                    }
                }
                if loading() || !profile_ready {
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
}

/// Confirms drafts, 100 per request (the API's bulk limit).
async fn confirm_drafts(session: Session, ids: Vec<String>) -> Result<(), api::ApiError> {
    for chunk in ids.chunks(100) {
        let variables = ops::confirm_drafts::Variables {
            ids: chunk.to_vec(),
        };
        api::authed_unit::<ops::ConfirmDrafts>(session, variables).await?;
    }
    Ok(())
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
