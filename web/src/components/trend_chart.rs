use dioxus::prelude::*;

use crate::api::ops::analytics::AnalyticsAnalyticsTrends as Week;
use crate::format::fixed;

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 140.0;
const BASE: f64 = 120.0;

/// Hours per ISO week (columns) with the focus score as a line (0–100 %).
#[component]
pub fn TrendChart(weeks: Vec<Week>) -> Element {
    let max = weeks.iter().map(|w| w.hours).fold(0.0, f64::max).max(1.0);
    let step = WIDTH / weeks.len().max(1) as f64;
    let focus_points: Vec<String> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = step * (i as f64 + 0.5);
            let y = BASE - w.focus_score / 100.0 * (BASE - 10.0);
            format!("{},{}", fixed(x, 1), fixed(y, 1))
        })
        .collect();
    let points = focus_points.join(" ");
    let view_box = format!("0 0 {} {}", fixed(WIDTH, 1), fixed(HEIGHT, 1));
    let first = weeks
        .first()
        .map(|w| w.week_start.clone())
        .unwrap_or_default();
    let last = weeks
        .last()
        .map(|w| w.week_start.clone())
        .unwrap_or_default();
    rsx! {
        figure { id: "chart-trends", class: "chart card",
            figcaption { "Hours per week (bars) and focus score (line), last 12 weeks" }
            svg { "viewBox": view_box, role: "img", "aria-label": "Weekly trend", class: "trend",
                line { class: "axis", "x1": "0", "x2": "{fixed(WIDTH, 1)}", "y1": "{fixed(BASE, 1)}", "y2": "{fixed(BASE, 1)}" }
                for (i, week) in weeks.iter().enumerate() {
                    rect { key: "{week.week_start}", class: "bar",
                        "x": "{fixed(step * i as f64 + step * 0.15, 1)}",
                        "y": "{fixed(BASE - week.hours / max * (BASE - 10.0), 1)}",
                        "width": "{fixed(step * 0.7, 1)}",
                        "height": "{fixed(week.hours / max * (BASE - 10.0), 1)}",
                        title { "Week of {week.week_start}: {fixed(week.hours, 1)} h, focus {fixed(week.focus_score, 0)} %" }
                    }
                }
                polyline { class: "focus", "points": points, "fill": "none" }
                text { class: "label", "x": "0", "y": "{fixed(HEIGHT - 4.0, 1)}", "{first}" }
                text { class: "label", "x": "{fixed(WIDTH, 1)}", "y": "{fixed(HEIGHT - 4.0, 1)}", "text-anchor": "end", "{last}" }
            }
        }
    }
}
