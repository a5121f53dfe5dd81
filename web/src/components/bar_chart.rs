use dioxus::prelude::*;

use crate::format::fixed;

/// One bar: a label and a value in hours.
#[derive(Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub hours: f64,
    pub percentage: f64,
}

const ROW: f64 = 26.0;
const WIDTH: f64 = 320.0;
const LABEL: f64 = 110.0;

/// Horizontal bars in SVG, scaled to the largest value; it scales with its
/// container (viewBox), so it fits a phone.
#[component]
pub fn BarChart(id: &'static str, title: &'static str, bars: Vec<Bar>) -> Element {
    let max = bars.iter().map(|b| b.hours).fold(0.0, f64::max).max(0.01);
    let height = ROW * bars.len().max(1) as f64;
    let view_box = format!("0 0 {} {}", fixed(WIDTH, 1), fixed(height, 1));
    let track = WIDTH - LABEL - 60.0;
    rsx! {
        figure { id, class: "chart card",
            figcaption { "{title}" }
            if bars.is_empty() {
                p { class: "empty", "No time logged in this period." }
            } else {
                svg { "viewBox": view_box, role: "img", "aria-label": title, class: "bars",
                    for (i, bar) in bars.iter().enumerate() {
                        g { key: "{bar.label}", "transform": "translate(0 {fixed(i as f64 * ROW, 1)})",
                            text { class: "label", "x": "0", "y": "17", {truncate(&bar.label)} }
                            rect { class: "bar", "x": "{fixed(LABEL, 1)}", "y": "5", "rx": "3", "height": "16",
                                "width": "{fixed((bar.hours / max * track).max(1.0), 1)}" }
                            text { class: "value", "x": "{fixed(LABEL + (bar.hours / max * track).max(1.0) + 4.0, 1)}", "y": "17",
                                "{fixed(bar.hours, 1)} h" }
                        }
                    }
                }
            }
        }
    }
}

fn truncate(label: &str) -> String {
    if label.chars().count() > 16 {
        label.chars().take(15).collect::<String>() + "…"
    } else {
        label.to_owned()
    }
}
