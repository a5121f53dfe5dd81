use dioxus::prelude::*;

use crate::api::{self, Entry, ops};
use crate::components::error_message;
use crate::dates::{self, Day, Zone, use_sunday_first, use_zone};
use crate::filters::Filters;
use crate::format::{self, count};
use crate::route::Route;
use crate::state::use_session;

/// The API's largest page; a week rarely holds more, and more pages follow.
const PAGE: i64 = 100;

/// Seven columns, one per day, of the week holding `anchor` (its first day
/// as the profile says), with previous/next week, a date to jump to and
/// "this week"; the journal's filters apply except the date range.
#[component]
pub fn WeekView(anchor: Signal<Day>, filters: Filters) -> Element {
    let session = use_session();
    let zone = use_zone();
    let sunday_first = use_sunday_first();
    let mut anchor = anchor;
    let start = anchor().week_start(sunday_first);
    let today = zone.today();
    let week = use_resource(use_reactive!(|start, zone, filters| async move {
        (start, load_week(session, start, &zone, &filters).await)
    }));

    let days: Vec<Day> = (0..7).map(|i| start.plus(i)).collect();
    // The answer for another week (the one before a click) is not shown.
    let entries = week.read().clone();
    let (list, error) = match entries {
        Some((loaded, Ok(list))) if loaded == start => (Some(list), None),
        Some((loaded, Err(message))) if loaded == start => (None, Some(message)),
        _ => (None, None),
    };
    let total: i64 = list.iter().flatten().map(|e| e.duration_minutes).sum();
    let n = list.as_ref().map_or(0, Vec::len) as i64;

    rsx! {
        section { id: "week-view", class: "week-view", aria_label: "Week view",
            div { class: "week-nav",
                button { id: "week-prev", r#type: "button", class: "secondary", aria_label: "Previous week",
                    onclick: move |_| anchor.set(start.plus(-7)), "← Previous" }
                h2 { id: "week-title", "{start.short()} – {start.plus(6).long()}" }
                button { id: "week-next", r#type: "button", class: "secondary", aria_label: "Next week",
                    onclick: move |_| anchor.set(start.plus(7)), "Next →" }
                div { class: "field inline",
                    label { r#for: "week-date", "Week of" }
                    input { id: "week-date", r#type: "date", value: "{anchor}",
                        onchange: move |e| if let Ok(day) = Day::parse(&e.value()) { anchor.set(day) } }
                }
                if start != today.week_start(sunday_first) {
                    button { id: "week-today", r#type: "button", class: "secondary",
                        onclick: move |_| anchor.set(today), "This week" }
                }
            }
            {error_message(error)}
            p { id: "week-total", class: "week-total",
                if list.is_some() { "{format::hours(total)} · {count(n, \"entry\", \"entries\")}" } else { "Loading…" }
            }
            div { class: "week-grid",
                for day in days {
                    {week_day(day, today, &zone, list.iter().flatten().filter(|e| zone.day_of(&e.start_time) == Some(day)))}
                }
            }
        }
    }
}

fn week_day<'a>(
    day: Day,
    today: Day,
    zone: &Zone,
    entries: impl Iterator<Item = &'a Entry>,
) -> Element {
    let entries: Vec<&Entry> = entries.collect();
    let minutes: i64 = entries.iter().map(|e| e.duration_minutes).sum();
    let is_today = day == today;
    rsx! {
        section { key: "{day}", class: if is_today { "week-day today" } else { "week-day" }, "data-day": "{day}",
            aria_label: "{day.weekday_name()} {day.long()}",
            h3 { class: "day-header",
                span { class: "day-name", "{&day.weekday_name()[..3]}" }
                span { class: "day-date", "{day.short()}" }
                if is_today { span { class: "today-badge", "Today" } }
                span { class: "day-total", {format::hours(minutes)} }
            }
            if entries.is_empty() {
                p { class: "muted", "—" }
            }
            ul { class: "week-entries",
                for e in entries {
                    li { key: "{e.id}", class: "week-entry",
                        span { class: "muted", "{zone.time(&e.start_time)}" }
                        " "
                        a { href: Route::Entry(e.id.clone()).href(), "{e.title}" }
                        span { class: "muted", " · {format::duration(e.duration_minutes)}" }
                    }
                }
            }
        }
    }
}

/// Every entry starting in the seven days from `start`, oldest first.
async fn load_week(
    session: crate::state::Session,
    start: Day,
    zone: &Zone,
    filters: &Filters,
) -> Result<Vec<Entry>, String> {
    let (from, to) = (zone.midnight(start), zone.midnight(start.plus(7)));
    let mut out = Vec::new();
    let mut after = None;
    loop {
        let mut filter = filters.to_input(zone);
        filter.from = Some(dates::iso(from));
        filter.to = Some(dates::iso(to));
        let variables = ops::log_entries::Variables {
            first: Some(PAGE),
            after,
            filter: Some(filter),
        };
        let data = api::authed::<ops::LogEntries>(session, variables)
            .await
            .map_err(|e| session.message_for(&e))?;
        let page = data.log_entries;
        out.extend(page.edges.into_iter().map(|e| Entry::from(e.node)));
        match page.page_info.end_cursor {
            Some(cursor) if page.page_info.has_next_page => after = Some(cursor),
            _ => break,
        }
    }
    out.reverse();
    Ok(out)
}
