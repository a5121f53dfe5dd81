use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::error_message;
use crate::dates::{Day, use_sunday_first, use_zone};
use crate::format::{enum_name, enum_value, label};
use crate::route::{Route, navigate};
use crate::state::use_session;

const TYPES: [&str; 7] = [
    "WEEKLY",
    "DAILY",
    "SPRINT",
    "MONTHLY",
    "QUARTERLY",
    "ANNUAL",
    "CUSTOM",
];

/// The usual period of a report type, ending today in the profile's zone;
/// a weekly report covers this week so far, from the profile's week start.
fn default_period(report_type: &str, today: Day, sunday_first: bool) -> (String, String) {
    let from = match report_type {
        "DAILY" => today,
        "WEEKLY" => today.week_start(sunday_first),
        "SPRINT" => today.plus(-13),
        "MONTHLY" => today.plus(-29),
        "QUARTERLY" => today.plus(-89),
        "ANNUAL" => today.plus(-364),
        _ => today.plus(-6),
    };
    (from.to_string(), today.to_string())
}

/// Request a report of any type and list the earlier ones.
#[component(lazy)]
pub fn Reports() -> Element {
    let session = use_session();
    let mut report_type = use_signal(|| "WEEKLY".to_owned());
    let (today, sunday_first) = (use_zone().today(), use_sunday_first());
    let mut from = use_signal(move || default_period("WEEKLY", today, sunday_first).0);
    let mut to = use_signal(move || default_period("WEEKLY", today, sunday_first).1);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let list = use_resource(move || async move {
        api::authed::<ops::Insights>(session, ops::insights::Variables)
            .await
            .map(|d| d.insights.nodes)
            .map_err(|e| session.message_for(&e))
    });

    let submit = move |event: FormEvent| {
        event.prevent_default();
        if busy() {
            return;
        }
        let Some(kind) = enum_value(&report_type()) else {
            return;
        };
        busy.set(true);
        error.set(None);
        spawn(async move {
            let input = ops::request_insight::RequestInsightInput {
                report_type: kind,
                period_start: from(),
                period_end: to(),
                focus_areas: Vec::new(),
                project_ids: Vec::new(),
                // One click, one request: nothing here resends it.
                client_request_id: None,
            };
            let variables = ops::request_insight::Variables { input };
            match api::authed::<ops::RequestInsight>(session, variables).await {
                Ok(data) => navigate(&Route::Report(data.request_insight.id)),
                Err(e) => {
                    error.set(Some(session.message_for(&e)));
                    busy.set(false);
                }
            }
        });
    };

    rsx! {
        section { class: "reports",
            h1 { "Reports" }
            form { id: "request-report", class: "card", onsubmit: submit,
                {error_message(error())}
                div { class: "quick-row",
                    div { class: "field",
                        label { r#for: "report-type", "Report" }
                        select { id: "report-type",
                            onchange: move |e| {
                                let kind = e.value();
                                let (f, t) = default_period(&kind, today, sunday_first);
                                from.set(f);
                                to.set(t);
                                report_type.set(kind);
                            },
                            for kind in TYPES {
                                option { value: kind, selected: kind == report_type(), {label(kind)} }
                            }
                        }
                    }
                    div { class: "field",
                        label { r#for: "report-from", "From" }
                        input { id: "report-from", r#type: "date", value: "{from}", onchange: move |e| from.set(e.value()) }
                    }
                    div { class: "field",
                        label { r#for: "report-to", "To" }
                        input { id: "report-to", r#type: "date", value: "{to}", onchange: move |e| to.set(e.value()) }
                    }
                }
                button { id: "request", r#type: "submit", disabled: busy(),
                    if busy() { "Requesting…" } else { "Write the report" }
                }
            }
            h2 { "Earlier reports" }
            match &*list.read() {
                None => rsx! { p { class: "loading", role: "status", "Loading…" } },
                Some(Err(message)) => error_message(Some(message.clone())),
                Some(Ok(reports)) if reports.is_empty() => rsx! {
                    p { class: "empty", "No reports yet. Request one above." }
                },
                Some(Ok(reports)) => rsx! {
                    ul { id: "reports", class: "list",
                        for r in reports.iter() {
                            li { key: "{r.id}",
                                a { href: Route::Report(r.id.clone()).href(),
                                    {label(&enum_name(&r.report_type))}
                                    " report, {r.period_start} – {r.period_end}"
                                }
                                span { class: "status", " · {label(&enum_name(&r.status))}" }
                            }
                        }
                    }
                },
            }
        }
    }
}
