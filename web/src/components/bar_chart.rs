use dioxus::prelude::*;

use crate::format::fixed;

/// One bar: a label, a value in hours, and the journal filtered to the
/// entries behind it (when the journal can filter that way).
#[derive(Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub hours: f64,
    pub percentage: f64,
    pub href: Option<String>,
}

/// Horizontal bars as HTML rows (label, bar, "2.5 h · 25 %"), scaled to the
/// largest value. Text stays at the page's font size at any width, and each
/// row opens the journal filtered to its entries.
#[component]
pub fn BarChart(id: &'static str, title: &'static str, bars: Vec<Bar>) -> Element {
    let max = bars.iter().map(|b| b.hours).fold(0.0, f64::max).max(0.01);
    rsx! {
        figure { id, class: "chart card",
            figcaption { "{title}" }
            if bars.is_empty() {
                p { class: "empty", "No time logged in this period." }
            } else {
                ol { class: "bars",
                    for bar in bars {
                        li { key: "{bar.label}",
                            if let Some(href) = &bar.href {
                                a { class: "bar-row", href: "{href}", {bar_parts(&bar, max)} }
                            } else {
                                div { class: "bar-row", {bar_parts(&bar, max)} }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn bar_parts(bar: &Bar, max: f64) -> Element {
    rsx! {
        span { class: "bar-label", "{bar.label}" }
        // An SVG rect's width is an attribute, not an inline style, which the
        // server's Content-Security-Policy (`style-src 'self'`) forbids.
        svg { class: "bar-track", "viewBox": "0 0 100 10", "preserveAspectRatio": "none", "aria-hidden": "true",
            rect { class: "bar-fill", "height": "10", "width": "{fixed((bar.hours / max * 100.0).max(0.5), 1)}" }
        }
        span { class: "bar-value", "{fixed(bar.hours, 1)} h · {fixed(bar.percentage, 0)} %" }
    }
}
