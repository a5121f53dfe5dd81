use dioxus::prelude::*;

use crate::api::ops::analytics::AnalyticsAnalyticsTrends as Week;
use crate::format::fixed;

// The plot in SVG user units: hours on the left axis, the focus score on the
// right one, week starts along the bottom. The margins hold the tick labels.
const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 150.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = WIDTH - 40.0;
const TOP: f64 = 10.0;
const BASE: f64 = 124.0;

/// The top of the hours axis: the busiest week rounded up to whole hours
/// (at least one), so the ticks read as round numbers.
fn axis_top(weeks: &[Week]) -> f64 {
    weeks.iter().map(|w| w.hours).fold(1.0, f64::max).ceil()
}

/// The height in the plot of `share` (0–1) of the axis.
fn y_of(share: f64) -> f64 {
    BASE - share * (BASE - TOP)
}

/// Hours per week (columns) with the focus score as a line, on two labelled
/// axes: hours (h) on the left, focus (%) on the right.
#[component]
pub fn TrendChart(weeks: Vec<Week>) -> Element {
    let top = axis_top(&weeks);
    let step = (RIGHT - LEFT) / weeks.len().max(1) as f64;
    let points = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = LEFT + step * (i as f64 + 0.5);
            format!("{},{}", fixed(x, 1), fixed(y_of(w.focus_score / 100.0), 1))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let view_box = format!("0 0 {} {}", fixed(WIDTH, 0), fixed(HEIGHT, 0));
    let first = weeks
        .first()
        .map(|w| w.week_start.clone())
        .unwrap_or_default();
    let last = weeks
        .last()
        .map(|w| w.week_start.clone())
        .unwrap_or_default();
    // Half-hour steps stay readable when the busiest week is short.
    let places = if top % 2.0 == 0.0 { 0 } else { 1 };
    rsx! {
        figure { id: "chart-trends", class: "chart card",
            figcaption { "Hours per week (bars, left axis) and focus score (line, right axis), last 12 weeks" }
            svg { "viewBox": view_box, role: "img", "aria-label": "Weekly trend", class: "trend",
                for share in [0.0, 0.5, 1.0] {
                    line { class: if share == 0.0 { "axis" } else { "grid" },
                        "x1": "{fixed(LEFT, 0)}", "x2": "{fixed(RIGHT, 0)}",
                        "y1": "{fixed(y_of(share), 1)}", "y2": "{fixed(y_of(share), 1)}" }
                    text { class: "tick hours-tick", "x": "{fixed(LEFT - 4.0, 0)}", "y": "{fixed(y_of(share) + 4.0, 1)}", "text-anchor": "end",
                        "{fixed(top * share, places)} h" }
                    // Anchored at the right edge, so "100 %" is never cut.
                    text { class: "tick focus-tick", "x": "{fixed(WIDTH - 1.0, 0)}", "y": "{fixed(y_of(share) + 4.0, 1)}", "text-anchor": "end",
                        "{fixed(share * 100.0, 0)} %" }
                }
                for (i, week) in weeks.iter().enumerate() {
                    rect { key: "{week.week_start}", class: "bar",
                        "x": "{fixed(LEFT + step * i as f64 + step * 0.15, 1)}",
                        "y": "{fixed(y_of(week.hours / top), 1)}",
                        "width": "{fixed(step * 0.7, 1)}",
                        "height": "{fixed(week.hours / top * (BASE - TOP), 1)}",
                        title { "Week of {week.week_start}: {fixed(week.hours, 1)} h, focus {fixed(week.focus_score, 0)} %" }
                    }
                }
                polyline { class: "focus", "points": points, "fill": "none" }
                text { class: "tick", "x": "{fixed(LEFT, 0)}", "y": "{fixed(HEIGHT - 6.0, 0)}", "{first}" }
                text { class: "tick", "x": "{fixed(RIGHT, 0)}", "y": "{fixed(HEIGHT - 6.0, 0)}", "text-anchor": "end", "{last}" }
            }
        }
    }
}
