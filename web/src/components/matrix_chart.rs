use dioxus::prelude::*;

use crate::api::ops::analytics::AnalyticsAnalyticsEffortImpactMatrix as Cell;
use crate::format::{enum_name, fixed, label};

const RATINGS: [&str; 3] = ["HIGH", "MEDIUM", "LOW"];
const IMPACTS: [&str; 4] = ["PERSONAL", "TEAM", "PRODUCT", "COMPANY"];
const CELL_W: f64 = 62.0;
const CELL_H: f64 = 40.0;
const LEFT: f64 = 60.0;

/// Effort × impact: hours at each value rating (rows) and impact level
/// (columns); darker cells hold more time.
#[component]
pub fn MatrixChart(cells: Vec<Cell>) -> Element {
    let max = cells.iter().map(|c| c.hours).fold(0.0, f64::max).max(0.01);
    let hours_at = |rating: &str, impact: &str| {
        cells
            .iter()
            .find(|c| enum_name(&c.value_rating) == rating && enum_name(&c.impact_level) == impact)
            .map(|c| c.hours)
            .unwrap_or(0.0)
    };
    let width = LEFT + CELL_W * 4.0;
    let height = 20.0 + CELL_H * 3.0;
    let view_box = format!("0 0 {} {}", fixed(width, 1), fixed(height, 1));
    rsx! {
        figure { id: "chart-matrix", class: "chart card",
            figcaption { "Value (rows) × impact (columns), hours" }
            svg { "viewBox": view_box, role: "img", "aria-label": "Effort and impact matrix", class: "matrix",
                for (c, impact) in IMPACTS.iter().enumerate() {
                    text { class: "label", "x": "{fixed(LEFT + CELL_W * (c as f64 + 0.5), 1)}", "y": "14", "text-anchor": "middle",
                        {label(impact)} }
                }
                for (r, rating) in RATINGS.iter().enumerate() {
                    text { class: "label", "x": "0", "y": "{fixed(20.0 + CELL_H * (r as f64 + 0.6), 1)}", {label(rating)} }
                    for (c, impact) in IMPACTS.iter().enumerate() {
                        {
                            let hours = hours_at(rating, impact);
                            let opacity = 0.08 + 0.92 * hours / max;
                            rsx! {
                                rect { class: "cell", "x": "{fixed(LEFT + CELL_W * c as f64 + 1.0, 1)}", "y": "{fixed(20.0 + CELL_H * r as f64 + 1.0, 1)}",
                                    "width": "{fixed(CELL_W - 2.0, 1)}", "height": "{fixed(CELL_H - 2.0, 1)}", "rx": "4",
                                    "fill-opacity": "{fixed(opacity, 2)}" }
                                text { class: "cell-value", "x": "{fixed(LEFT + CELL_W * (c as f64 + 0.5), 1)}",
                                    "y": "{fixed(20.0 + CELL_H * (r as f64 + 0.6), 1)}", "text-anchor": "middle",
                                    "{fixed(hours, 1)}" }
                            }
                        }
                    }
                }
            }
        }
    }
}
