use dioxus::prelude::*;

use crate::api::ops::analytics::AnalyticsAnalyticsEffortImpactMatrix as Cell;
use crate::format::{count, enum_name, fixed, label};

const RATINGS: [&str; 3] = ["HIGH", "MEDIUM", "LOW"];
const IMPACTS: [&str; 4] = ["PERSONAL", "TEAM", "PRODUCT", "COMPANY"];

/// Shade 0 (empty) to 4 (the busiest cell). The stylesheet pairs each
/// shade with a text colour of at least 4.5:1 contrast in both themes.
fn shade(hours: f64, max: f64) -> u32 {
    if hours <= 0.0 {
        0
    } else {
        (hours / max * 4.0).ceil().clamp(1.0, 4.0) as u32
    }
}

/// Effort × impact: hours at each value rating (rows) and impact level
/// (columns) as a table; darker cells hold more time, and each cell opens
/// the journal filtered to its entries (`journal` is the period's filter,
/// `from=…&to=…`).
#[component]
pub fn MatrixChart(cells: Vec<Cell>, journal: String) -> Element {
    let max = cells.iter().map(|c| c.hours).fold(0.0, f64::max).max(0.01);
    let at = |rating: &str, impact: &str| {
        cells
            .iter()
            .find(|c| enum_name(&c.value_rating) == rating && enum_name(&c.impact_level) == impact)
            .map_or((0.0, 0), |c| (c.hours, c.entry_count))
    };
    rsx! {
        figure { id: "chart-matrix", class: "chart card",
            figcaption { "Value (rows) × impact (columns), hours" }
            table { class: "matrix",
                thead {
                    tr {
                        td {}
                        for impact in IMPACTS {
                            th { scope: "col", {label(impact)} }
                        }
                    }
                }
                tbody {
                    for rating in RATINGS {
                        tr {
                            th { scope: "row", {label(rating)} }
                            for impact in IMPACTS {
                                {
                                    let (hours, entries) = at(rating, impact);
                                    let described = format!("{} value, {} impact: {} h in {}",
                                        label(rating), label(impact).to_lowercase(), fixed(hours, 1),
                                        count(entries, "entry", "entries"));
                                    rsx! {
                                        td { class: "shade-{shade(hours, max)}",
                                            a { href: "#/?{journal}&value={rating}&impact={impact}",
                                                aria_label: "{described}", title: "{described}",
                                                "{fixed(hours, 1)}" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
