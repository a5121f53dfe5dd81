//! Beside a report: the quality gate's warnings (shown openly, they are
//! about the text the person reads) and how the report was made (model,
//! tokens, prompt layer…) folded away in a "Details" disclosure: useful
//! when a report looks odd, noise otherwise, and never in the exports.

use dioxus::prelude::*;

use crate::api::ops::{insight, insight_updates};

/// How a report was made, from either the query or the subscription.
#[derive(Clone, PartialEq, Default)]
pub struct ReportDetails {
    pub model: Option<String>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
    pub prompt_layer: Option<String>,
    pub answer_token_cap: Option<i64>,
    pub done_reason: Option<String>,
    pub quality_retry: Option<bool>,
    pub invented_citations: Option<i64>,
    pub generation_ms: Option<i64>,
}

impl ReportDetails {
    fn rows(&self) -> Vec<(&'static str, String)> {
        let mut rows = Vec::new();
        let mut push = |label: &'static str, value: Option<String>| {
            if let Some(v) = value {
                rows.push((label, v));
            }
        };
        push("Model", self.model.clone());
        push("Prompt tokens", self.prompt_tokens.map(|n| n.to_string()));
        push(
            "Answer tokens",
            self.completion_tokens.map(|n| n.to_string()),
        );
        push(
            "Answer token cap",
            self.answer_token_cap.map(|n| n.to_string()),
        );
        push(
            "Stopped because",
            self.done_reason.as_deref().map(stop_label),
        );
        push("Prompt layer", self.prompt_layer.clone());
        push(
            "Written twice (quality check)",
            self.quality_retry
                .map(|r| if r { "yes" } else { "no" }.to_owned()),
        );
        push(
            "Invented citations removed",
            self.invented_citations.map(|n| n.to_string()),
        );
        push(
            "Generation time",
            self.generation_ms
                .map(|ms| format!("{:.1} s", ms as f64 / 1000.0)),
        );
        rows
    }
}

fn stop_label(reason: &str) -> String {
    match reason {
        "stop" => "the model finished".into(),
        "length" => "the length limit was reached".into(),
        other => other.to_owned(),
    }
}

/// The query and the subscription select the same fields, into types
/// graphql_client generates apart.
macro_rules! details_from {
    ($generated:ty) => {
        impl From<&$generated> for ReportDetails {
            fn from(i: &$generated) -> Self {
                let d = i.diagnostics.as_ref();
                Self {
                    model: i.model.clone(),
                    prompt_tokens: i.prompt_tokens,
                    completion_tokens: i.completion_tokens,
                    prompt_layer: d.and_then(|d| d.prompt_layer.clone()),
                    answer_token_cap: d.and_then(|d| d.answer_token_cap),
                    done_reason: d.and_then(|d| d.done_reason.clone()),
                    quality_retry: d.and_then(|d| d.quality_retry),
                    invented_citations: d.and_then(|d| d.invented_citations),
                    generation_ms: d.and_then(|d| d.generation_ms),
                }
            }
        }
    };
}

details_from!(insight::InsightInsight);
details_from!(insight_updates::InsightUpdatesInsightUpdatesInsight);

/// The gate's reservations about a report it let through.
#[component]
pub fn ReportWarnings(warnings: Vec<String>) -> Element {
    if warnings.is_empty() {
        return rsx! {};
    }
    rsx! {
        div { id: "report-warnings", class: "warning", role: "note",
            strong { "Check this report before you share it:" }
            ul {
                for w in warnings {
                    li { "{w}" }
                }
            }
        }
    }
}

/// "Details": how the report was made.
#[component]
pub fn ReportDetailsDisclosure(details: ReportDetails) -> Element {
    let rows = details.rows();
    if rows.is_empty() {
        return rsx! {};
    }
    rsx! {
        details { id: "report-details", class: "details",
            summary { "Details" }
            dl {
                for (label, value) in rows {
                    dt { "{label}" }
                    dd { "{value}" }
                }
            }
        }
    }
}
