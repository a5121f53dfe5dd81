use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{Profile, error_message};
use crate::format::{ACTIVITY_TYPES, enum_name, enum_value, label};
use crate::state::use_session;

/// The days of the week, Monday first (GraphQL names).
const WEEKDAYS: [&str; 7] = [
    "MONDAY",
    "TUESDAY",
    "WEDNESDAY",
    "THURSDAY",
    "FRIDAY",
    "SATURDAY",
    "SUNDAY",
];

/// The days in the order of the person's week.
fn week_order(week_start: &str) -> Vec<&'static str> {
    let first = if week_start == "SUNDAY" { 6 } else { 0 };
    (0..7).map(|i| WEEKDAYS[(first + i) % 7]).collect()
}

/// Quick-add default type, week start, report language, emails, suggestions,
/// the missed-day nudge and workdays.
#[component]
pub fn PreferencesForm() -> Element {
    let session = use_session();
    let profile: Profile = use_context();
    let mut version: Signal<u32> = use_context();
    let prefs = profile.read().as_ref().map(|p| p.preferences.clone());
    let mut activity = use_signal(|| {
        prefs
            .as_ref()
            .map(|p| enum_name(&p.default_activity_type))
            .unwrap_or_else(|| "CODE".into())
    });
    let mut week_start = use_signal(|| {
        prefs
            .as_ref()
            .map(|p| enum_name(&p.week_start))
            .unwrap_or_else(|| "MONDAY".into())
    });
    let mut language = use_signal(|| {
        prefs
            .as_ref()
            .map(|p| p.report_language.clone())
            .unwrap_or_else(|| "en".into())
    });
    let mut report_ready = use_signal(|| prefs.as_ref().is_some_and(|p| p.email_report_ready));
    let mut weekly = use_signal(|| prefs.as_ref().is_some_and(|p| p.email_weekly_summary));
    let mut auto_enrich = use_signal(|| prefs.as_ref().is_none_or(|p| p.auto_enrich));
    let mut nudge = use_signal(|| prefs.as_ref().is_some_and(|p| p.missed_day_nudge));
    let mut workdays = use_signal(|| {
        prefs
            .as_ref()
            .map(|p| p.workdays.iter().map(enum_name).collect::<Vec<_>>())
            .unwrap_or_else(|| WEEKDAYS[..5].iter().map(|d| d.to_string()).collect())
    });
    let mut message = use_signal(|| None::<String>);
    let mut error = use_signal(|| None::<String>);

    let save = move |event: FormEvent| {
        event.prevent_default();
        spawn(async move {
            let input = ops::update_preferences::PreferencesInput {
                default_activity_type: enum_value(&activity()),
                week_start: enum_value(&week_start()),
                report_language: Some(language().trim().to_owned()),
                email_report_ready: Some(report_ready()),
                email_weekly_summary: Some(weekly()),
                auto_enrich: Some(auto_enrich()),
                missed_day_nudge: Some(nudge()),
                workdays: Some(workdays().iter().filter_map(|d| enum_value(d)).collect()),
            };
            match api::authed_unit::<ops::UpdatePreferences>(
                session,
                ops::update_preferences::Variables { input },
            )
            .await
            {
                Ok(_) => {
                    error.set(None);
                    message.set(Some("Preferences saved.".into()));
                    version += 1;
                }
                Err(e) => error.set(Some(session.message_for(&e))),
            }
        });
    };

    rsx! {
        form { id: "preferences", class: "card", onsubmit: save,
            h2 { "Preferences" }
            {error_message(error())}
            if let Some(m) = message() { p { class: "ok", role: "status", "{m}" } }
            div { class: "quick-row",
                div { class: "field",
                    label { r#for: "pref-type", "Default type" }
                    select { id: "pref-type", onchange: move |e| activity.set(e.value()),
                        for name in ACTIVITY_TYPES {
                            option { value: name, selected: name == activity(), {label(name)} }
                        }
                    }
                }
                div { class: "field",
                    label { r#for: "pref-week", "Week starts on" }
                    select { id: "pref-week", onchange: move |e| week_start.set(e.value()),
                        option { value: "MONDAY", selected: week_start() == "MONDAY", "Monday" }
                        option { value: "SUNDAY", selected: week_start() == "SUNDAY", "Sunday" }
                    }
                }
                div { class: "field",
                    label { r#for: "pref-language", "Report language" }
                    input { id: "pref-language", class: "short", value: "{language}", oninput: move |e| language.set(e.value()) }
                }
            }
            div { class: "check",
                input { id: "pref-report-ready", r#type: "checkbox", checked: report_ready(), onchange: move |e| report_ready.set(e.checked()) }
                label { r#for: "pref-report-ready", "Email me when a report I requested is ready" }
            }
            div { class: "check",
                input { id: "pref-weekly", r#type: "checkbox", checked: weekly(), onchange: move |e| weekly.set(e.checked()) }
                label { r#for: "pref-weekly", "Send me a weekly report every Monday" }
            }
            div { class: "check",
                input { id: "pref-auto-enrich", r#type: "checkbox", checked: auto_enrich(), onchange: move |e| auto_enrich.set(e.checked()) }
                label { r#for: "pref-auto-enrich", "Suggest types, projects, tags and ratings for new entries (local model)" }
            }
            div { class: "check",
                input { id: "pref-nudge", r#type: "checkbox", checked: nudge(), onchange: move |e| nudge.set(e.checked()) }
                label { r#for: "pref-nudge", "On a workday morning, if nothing is confirmed for my previous workday and drafts are waiting, email me once and show a banner" }
            }
            fieldset { id: "pref-workdays", class: "workdays",
                legend { "My workdays" }
                for day in week_order(&week_start()) {
                    div { class: "check",
                        input { id: "workday-{day.to_ascii_lowercase()}", r#type: "checkbox",
                            checked: workdays().iter().any(|d| d == day),
                            onchange: move |e| {
                                let on = e.checked();
                                workdays.with_mut(|list| {
                                    list.retain(|d| d != day);
                                    if on {
                                        list.push(day.to_owned());
                                    }
                                });
                            }
                        }
                        label { r#for: "workday-{day.to_ascii_lowercase()}", {label(day)} }
                    }
                }
            }
            button { id: "preferences-save", r#type: "submit", "Save preferences" }
        }
    }
}
