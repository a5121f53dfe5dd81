use std::cell::RefCell;
use std::rc::Rc;

use dioxus::prelude::*;

use crate::api::{self, ops};
use crate::components::{ReportDetails, ReportDetailsDisclosure, ReportWarnings, error_message};
use crate::download::download;
use crate::format::{enum_name, label};
use crate::live::{LiveEvent, LiveSocket, follow_insight};
use crate::markdown::{Cite, Markdown};
use crate::route::Route;
use crate::state::use_session;

fn finished(status: &str) -> bool {
    matches!(status, "SUCCEEDED" | "FAILED" | "CANCELLED")
}

/// One report: written live while it runs (`insightUpdates` over the
/// WebSocket), then rendered with citations linking to the entries.
#[component(lazy)]
pub fn Report(id: String) -> Element {
    let session = use_session();
    let mut status = use_signal(String::new);
    let mut title = use_signal(String::new);
    let mut content = use_signal(String::new);
    let mut citations = use_signal(Vec::<Cite>::new);
    let mut failure = use_signal(|| None::<String>);
    let mut warnings = use_signal(Vec::<String>::new);
    let mut details = use_signal(ReportDetails::default);
    let mut error = use_signal(|| None::<String>);
    let mut export_error = use_signal(|| None::<String>);
    let socket: Rc<RefCell<Option<LiveSocket>>> = use_hook(Rc::default);

    let report_id = id.clone();
    let slot = socket.clone();
    use_future(move || {
        let (id, slot) = (report_id.clone(), slot.clone());
        async move {
            let variables = ops::insight::Variables { id: id.clone() };
            let insight = match api::authed::<ops::Insight>(session, variables).await {
                Ok(data) => data.insight,
                Err(e) => {
                    error.set(Some(session.message_for(&e)));
                    return;
                }
            };
            title.set(format!(
                "{} report, {} – {}",
                label(&enum_name(&insight.report_type)),
                insight.period_start,
                insight.period_end
            ));
            let state = enum_name(&insight.status);
            details.set(ReportDetails::from(&insight));
            warnings.set(insight.warnings.clone());
            content.set(insight.content.unwrap_or_default());
            citations.set(
                insight
                    .citations
                    .into_iter()
                    .map(|c| Cite {
                        statement: c.statement,
                        entry_ids: c.entry_ids,
                    })
                    .collect(),
            );
            failure.set(insight.error);
            status.set(state.clone());
            if finished(&state) {
                return;
            }
            let token = match session.fresh_access_token().await {
                Ok(token) => token,
                Err(e) => {
                    error.set(Some(session.message_for(&e)));
                    return;
                }
            };
            let on_event = move |event: LiveEvent| match event {
                LiveEvent::Update {
                    status: s,
                    delta,
                    error: e,
                    content: c,
                    citations: cites,
                    warnings: w,
                    details: d,
                } => {
                    // A new attempt (after a failed call or a refused
                    // answer) writes the report from the start.
                    let restarted = s == "RUNNING" && status.peek().as_str() != "RUNNING";
                    if let Some(c) = c {
                        content.set(c);
                    } else if restarted {
                        content.set(delta.unwrap_or_default());
                    } else if let Some(delta) = delta {
                        content.write().push_str(&delta);
                    }
                    if let Some(w) = w {
                        warnings.set(w);
                    }
                    if let Some(d) = d {
                        details.set(d);
                    }
                    if let Some(cites) = cites {
                        citations.set(cites);
                    }
                    // The reason of a retry is dropped once writing resumes.
                    if e.is_some() || s == "RUNNING" || s == "SUCCEEDED" {
                        failure.set(e);
                    }
                    status.set(s);
                }
                LiveEvent::Failed(message) => error.set(Some(message)),
                LiveEvent::Closed => {}
            };
            match follow_insight(token, id, on_event) {
                Ok(live) => *slot.borrow_mut() = Some(live),
                Err(message) => error.set(Some(message)),
            }
        }
    });
    // Leaving the page closes the socket.
    use_drop(move || drop(socket.borrow_mut().take()));

    let export = move |format: &'static str| {
        let id = id.clone();
        move |_| {
            let id = id.clone();
            spawn(async move {
                let path = format!("/export/reports/{id}.{format}");
                let name = format!("englog-report-{id}.{format}");
                export_error.set(download(session, &path, &name).await.err());
            });
        }
    };

    let state = status();
    let running = !state.is_empty() && !finished(&state);
    rsx! {
        section { class: "report",
            a { href: Route::Reports.href(), "← Reports" }
            h1 { "{title}" }
            {error_message(error())}
            if !state.is_empty() {
                p { id: "report-status", class: "status", role: "status", "aria-live": "polite",
                    {label(&state)}
                    if running { " — writing…" }
                }
            }
            if let Some(reason) = failure() {
                p { id: "report-reason", class: "error", role: "alert", "{reason}" }
            }
            ReportWarnings { warnings: warnings() }
            if state.is_empty() && error().is_none() {
                p { class: "loading", role: "status", "Loading…" }
            }
            // A failed or cancelled report without text shows no empty card.
            if running || !content.read().is_empty() {
                article { id: "report-content", class: "card",
                    if content.read().is_empty() && running {
                        p { class: "empty", "Waiting for the first words…" }
                    }
                    Markdown { text: content(), citations: citations() }
                }
            }
            if state == "SUCCEEDED" {
                div { class: "actions",
                    button { id: "export-md", r#type: "button", class: "secondary", onclick: export("md"), "Download Markdown" }
                    button { id: "export-pdf", r#type: "button", class: "secondary", onclick: export("pdf"), "Download PDF" }
                }
                {error_message(export_error())}
            }
            if finished(&state) {
                ReportDetailsDisclosure { details: details() }
            }
        }
    }
}
