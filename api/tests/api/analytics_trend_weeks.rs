//! The dashboard's trend weeks read with its period: the journal of
//! `analytics.rs` (its table), asked for a period that holds the weeks.

use serde_json::json;

use crate::analytics::{seed, three_trend_weeks_to_march_30};
use crate::helpers::TestApp;
use crate::on_both_backends;
use crate::statement_count::execute_counting_statements;

const WEEKS_VIEW: &str = r#"
query($period: PeriodInput!, $weeks: Int) {
  analytics(period: $period) {
    totals { minutes hours entryCount activeDays days }
    byTag { tag minutes }
    byDay { date minutes }
    draftsWaiting { entryCount minutes hours }
    trends(weeks: $weeks) { weekStart isoYear isoWeek hours codePercentage meetingPercentage focusScore }
  }
}"#;

/// Trend weeks within the period come from the entries the dashboard read,
/// one statement fewer. For them it reads on to the Sunday after the
/// period's last day, and what it reads there counts in the trends only:
/// E8 (Tue 31st) is in week 14's trend and in no total, and a draft that
/// Tuesday waits in no period. Same weeks, same numbers as when they are
/// read on their own (`every_metric_matches_the_hand_computed_journal`).
async fn trend_weeks_within_the_period_are_read_with_it(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    seed(&app, &me.access).await;
    // Mon 23:30 – Tue 01:00 Paris (30 minutes in the period), and Tuesday.
    for (start, end) in [
        ("2026-03-30T21:30:00Z", "2026-03-30T23:00:00Z"),
        ("2026-03-31T10:00:00Z", "2026-03-31T11:00:00Z"),
    ] {
        let draft =
            json!({ "title": "Imported", "startTime": start, "endTime": end, "isDraft": true });
        app.create_entry(&me.access, draft).await;
    }

    let vars = json!({ "period": { "from": "2026-03-16", "to": "2026-03-30" }, "weeks": 3 });
    let request = async_graphql::Request::new(WEEKS_VIEW)
        .variables(async_graphql::Variables::from_json(vars));
    let (response, seen) = execute_counting_statements(&app, &me.user_id, request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    // Time zone, entries, tags, project names: no fifth for the weeks.
    assert_eq!(seen.len(), 4, "{seen:#?}");
    let a = response.data.into_json().expect("json")["analytics"].clone();

    assert_eq!(a["trends"], three_trend_weeks_to_march_30());
    // E1–E7, with E7's 20 minutes on the 26th now inside: 480 + 20.
    assert_eq!(
        a["totals"],
        json!({ "minutes": 500, "hours": 8.33, "entryCount": 7, "activeDays": 5, "days": 15 })
    );
    assert_eq!(
        a["byDay"],
        json!([
            { "date": "2026-03-26", "minutes": 20 },
            { "date": "2026-03-27", "minutes": 195 },
            { "date": "2026-03-28", "minutes": 90 },
            { "date": "2026-03-29", "minutes": 120 },
            { "date": "2026-03-30", "minutes": 75 },
        ])
    );
    assert_eq!(
        a["byTag"],
        json!([
            { "tag": "backend", "minutes": 285 },
            { "tag": "devops", "minutes": 120 },
            { "tag": "junior-dev", "minutes": 30 },
            { "tag": "cross-team", "minutes": 15 },
        ])
    );
    assert_eq!(
        a["draftsWaiting"],
        json!({ "entryCount": 1, "minutes": 30, "hours": 0.5 })
    );
}

on_both_backends!(trend_weeks_within_the_period_are_read_with_it);
