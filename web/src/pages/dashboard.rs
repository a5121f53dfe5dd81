use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{Bar, BarChart, MatrixChart, TrendChart, error_message};
use crate::dates::{Day, use_sunday_first, use_zone};
use crate::format::{count, enum_name, fixed, label};
use crate::state::use_session;

const PERIODS: [(&str, &str); 7] = [
    ("today", "Today"),
    ("week", "This week"),
    ("7d", "Last 7 days"),
    ("month", "This month"),
    ("30d", "Last 30 days"),
    ("year", "This year"),
    ("custom", "Custom range"),
];

/// The period of a preset, in days of the profile's zone ending `today`
/// ("this week" from the profile's week start); `custom` takes the two
/// date fields as typed (the server refuses an impossible or backwards
/// range, naming the field).
fn period(
    choice: &str,
    custom: &(String, String),
    today: Day,
    sunday_first: bool,
) -> ops::analytics::PeriodInput {
    let (year, month, _) = today.ymd();
    let from = match choice {
        "custom" => {
            return ops::analytics::PeriodInput {
                from: custom.0.clone(),
                to: custom.1.clone(),
            };
        }
        "today" => today,
        "7d" => today.plus(-6),
        "30d" => today.plus(-29),
        "week" => today.week_start(sunday_first),
        "month" => Day::from_ymd(year, month, 1),
        _ => Day::from_ymd(year, 1, 1),
    };
    ops::analytics::PeriodInput {
        from: from.to_string(),
        to: today.to_string(),
    }
}

/// "3 drafts (2.5 h) in this period wait for review …".
fn drafts_line(a: &ops::analytics::AnalyticsAnalytics) -> String {
    format!(
        "{} ({} h) in this period wait for review and are not counted until confirmed. ",
        count(a.drafts_waiting.entry_count, "draft", "drafts"),
        fixed(a.drafts_waiting.hours, 1)
    )
}

/// The journal's filter for the entries the numbers count: the period's
/// days (`to` inclusive), confirmed entries only.
fn journal_filter(a: &ops::analytics::AnalyticsAnalytics) -> String {
    format!("from={}&to={}&draft=false", a.from, a.to)
}

/// "2.5 h in 2 entries over 2 active days (2026-10-01 – 2026-10-30)".
fn totals(a: &ops::analytics::AnalyticsAnalytics) -> String {
    format!(
        "{} h in {} over {} ({} – {})",
        fixed(a.totals.hours, 1),
        count(a.totals.entry_count, "entry", "entries"),
        count(a.totals.active_days, "active day", "active days"),
        a.from,
        a.to
    )
}

/// Where the time went: totals, by type, by project, weekly trend and the
/// effort × impact matrix, for a chosen period.
#[component(lazy)]
pub fn Dashboard() -> Element {
    let session = use_session();
    let mut choice = use_signal(|| "30d".to_owned());
    // Days are the profile's: "today" where the person says they live,
    // not where this browser is.
    let zone = use_zone();
    let sunday_first = use_sunday_first();
    let today = zone.today();
    let mut custom = use_signal(move || (today.plus(-29).to_string(), today.to_string()));
    let analytics = use_resource(use_reactive!(|(today, sunday_first)| async move {
        let variables = ops::analytics::Variables {
            period: period(&choice(), &custom(), today, sunday_first),
        };
        api::authed::<ops::Analytics>(session, variables)
            .await
            .map(|d| d.analytics)
            .map_err(|e| session.message_for(&e))
    }));

    rsx! {
        section { class: "dashboard",
            div { class: "page-head",
                h1 { "Dashboard" }
                div { class: "field inline",
                    label { r#for: "period", "Period" }
                    select { id: "period", onchange: move |e| choice.set(e.value()),
                        for (value, text) in PERIODS {
                            option { value, selected: value == choice(), "{text}" }
                        }
                    }
                }
                if choice() == "custom" {
                    div { class: "field inline",
                        label { r#for: "period-from", "From" }
                        input { id: "period-from", r#type: "date", value: "{custom().0}",
                            onchange: move |e| custom.with_mut(|c| c.0 = e.value()) }
                        label { r#for: "period-to", "To" }
                        input { id: "period-to", r#type: "date", value: "{custom().1}",
                            onchange: move |e| custom.with_mut(|c| c.1 = e.value()) }
                    }
                }
            }
            match &*analytics.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(a)) => rsx! {
                    p { id: "totals", class: "totals", {totals(a)} }
                    if a.drafts_waiting.entry_count > 0 {
                        p { id: "drafts-waiting", class: "notice",
                            {drafts_line(a)}
                            a { href: "#/?from={a.from}&to={a.to}&draft=true", "Review them" }
                        }
                    }
                    div { class: "charts",
                        BarChart { id: "chart-types", title: "Time by activity type",
                            bars: a.by_activity_type.iter().map(|s| Bar {
                                label: label(&enum_name(&s.activity_type)), hours: s.hours, percentage: s.percentage,
                                href: Some(format!("#/?{}&type={}", journal_filter(a), enum_name(&s.activity_type))),
                            }).collect::<Vec<_>>() }
                        BarChart { id: "chart-projects", title: "Time by project",
                            bars: a.by_project.iter().map(|s| Bar {
                                label: s.project_name.clone().unwrap_or_else(|| "No project".into()),
                                hours: s.hours, percentage: s.percentage,
                                // The journal has no "without a project" filter.
                                href: s.project_id.as_ref().map(|id| format!("#/?{}&project={id}", journal_filter(a))),
                            }).collect::<Vec<_>>() }
                        TrendChart { weeks: a.trends.clone() }
                        MatrixChart { cells: a.effort_impact_matrix.clone(), journal: journal_filter(a) }
                    }
                },
            }
        }
    }
}
