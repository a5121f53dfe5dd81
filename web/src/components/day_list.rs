use std::collections::BTreeSet;

use dioxus::prelude::*;

use crate::api::Entry;
use crate::api::ops::projects::ProjectsProjects as Project;
use crate::components::EntryRow;
use crate::dates::Day;
use crate::day_groups::{DayGroup, WeekGroup};
use crate::format::{self, count};

/// The journal's entries by week and by day: a header per week (its total)
/// and per day (weekday, date, total hours, count); today is marked.
/// `partial`: more entries may follow, so the last totals are "so far".
/// A function, not a component: the journal owns all of its state.
pub fn day_list(
    weeks: Vec<WeekGroup>,
    (today, sunday_first, partial): (Day, bool, bool),
    selected: Signal<BTreeSet<String>>,
    projects: &[Project],
    on_saved: EventHandler<()>,
) -> Element {
    let this_week = today.week_start(sunday_first);
    let last_week = weeks.len().saturating_sub(1);
    rsx! {
        div { id: "entries", class: "entries-by-day",
            for (w, week) in weeks.into_iter().enumerate() {
                section { key: "{week.start}", class: "week", aria_label: "{week_name(week.start, this_week)}",
                    h2 { class: "week-header",
                        span { class: "week-name", {week_name(week.start, this_week)} }
                        span { class: "week-total",
                            {format::hours(week.minutes)}
                            " · {count(week.count as i64, \"entry\", \"entries\")}"
                            if partial && w == last_week { " so far" }
                        }
                        {select_drafts(week.days.iter().flat_map(|d| d.entries.iter()), selected, "week-select-drafts")}
                    }
                    for (d, group) in week.days.iter().cloned().enumerate() {
                        {day_section(group, today, partial && w == last_week && d + 1 == week.days.len(),
                            selected, projects, on_saved)}
                    }
                }
            }
        }
    }
}

fn day_section(
    group: DayGroup,
    today: Day,
    partial: bool,
    mut selected: Signal<BTreeSet<String>>,
    projects: &[Project],
    on_saved: EventHandler<()>,
) -> Element {
    let is_today = group.day == today;
    let heading = format!("day-{}", group.day);
    rsx! {
        section { key: "{group.day}", class: if is_today { "day today" } else { "day" }, "data-day": "{group.day}",
            aria_labelledby: "{heading}",
            h3 { id: "{heading}", class: "day-header",
                span { class: "day-name", "{group.day.weekday_name()}" }
                span { class: "day-date", "{group.day.long()}" }
                if is_today { span { class: "today-badge", "Today" } }
                span { class: "day-total",
                    {format::hours(group.minutes)}
                    if partial { " so far" }
                }
                span { class: "day-count", {count(group.entries.len() as i64, "entry", "entries")} }
                {select_drafts(group.entries.iter(), selected, "day-select-drafts")}
            }
            ul { class: "entries",
                for entry in group.entries {
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
                        projects: projects.to_vec(),
                        on_saved: move |_| on_saved.call(()),
                        entry,
                    }
                }
            }
        }
    }
}

/// "Select 3 drafts": adds a day's or a week's unconfirmed drafts to the
/// selection, which the journal's bar then confirms (or deletes) at once.
/// Nothing when there are none.
fn select_drafts<'a>(
    entries: impl Iterator<Item = &'a Entry>,
    mut selected: Signal<BTreeSet<String>>,
    class: &'static str,
) -> Element {
    let drafts: Vec<String> = entries.filter(|e| e.draft).map(|e| e.id.clone()).collect();
    if drafts.is_empty() {
        return rsx! {};
    }
    let label = format!("Select {}", count(drafts.len() as i64, "draft", "drafts"));
    rsx! {
        button { r#type: "button", class: "secondary small {class}",
            onclick: move |_| selected.with_mut(|s| s.extend(drafts.iter().cloned())),
            "{label}"
        }
    }
}

/// "This week" or "Week of 30 Nov 2026".
fn week_name(start: Day, this_week: Day) -> String {
    if start == this_week {
        "This week".into()
    } else {
        format!("Week of {}", start.long())
    }
}
