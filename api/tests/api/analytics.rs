//! The dashboard: every metric of a small journal, computed by hand below,
//! in Europe/Paris across the spring-forward night of 2026-03-29 and with
//! entries crossing midnight and the period's first midnight.
//!
//! The user (Paris: UTC+1, then UTC+2 from 2026-03-29 01:00 UTC) logs:
//!
//! | id | type      | project | tags              | value  | impact   | UTC             | Paris local                  | minutes by local day/hour                 |
//! |----|-----------|---------|-------------------|--------|----------|-----------------|------------------------------|-------------------------------------------|
//! | E1 | code      | API     | backend           | high   | product  | 27th 08:00–10:00 | Fri 27 09:00–11:00          | 27th h9 60, h10 60                        |
//! | E2 | meeting   | –       | cross-team        | low    | team     | 27th 07:30–07:45 | Fri 27 08:30–08:45          | 27th h8 15                                |
//! | E3 | ops       | Web     | backend, devops   | medium | company  | 27th 22:30–00:30 | Fri 23:30 – Sat 01:30       | 27th h23 30; 28th h0 60, h1 30            |
//! | E4 | debug     | Web     | –                 | high   | company  | 29th 00:30–02:30 | Sun 01:30 CET – 04:30 CEST  | 29th h1 30, h3 60, h4 30 (no 02:00 hour)  |
//! | E5 | review    | API     | backend           | medium | team     | 30th 07:00–07:45 | Mon 30 09:00–09:45          | 30th h9 45                                |
//! | E6 | mentoring | –       | junior-dev        | high   | team     | 30th 12:00–12:30 | Mon 30 14:00–14:30          | 30th h14 30                               |
//! | E7 | docs      | –       | –                 | low    | personal | 26th 22:40–23:30 | Thu 23:40 – Fri 00:30       | 26th h23 20 (outside); 27th h0 30         |
//! | E8 | code      | –       | –                 | medium | personal | 31st 08:00–09:00 | Tue 31 10:00–11:00          | outside the period (trends only)          |
//!
//! Period 2026-03-27..=2026-03-30: 480 minutes (E1 120, E2 15, E3 120, E4 120,
//! E5 45, E6 30, E7 30 of its 50), 7 entries, 4 active days of 4.

use serde_json::{Value, json};

use crate::helpers::{TestApp, error_code, error_field};
use crate::on_both_backends;
use crate::statement_count::execute_counting_statements;

const DASHBOARD: &str = r#"
query($period: PeriodInput!, $projectId: UUID, $weeks: Int) {
  analytics(period: $period, projectId: $projectId) {
    from to timezone
    totals { minutes hours entryCount activeDays days }
    byActivityType { activityType minutes hours percentage entryCount }
    byProject { projectId projectName minutes hours percentage entryCount }
    byTag { tag minutes percentage entryCount }
    byValueRating { valueRating minutes percentage entryCount }
    byImpactLevel { impactLevel minutes percentage entryCount }
    byHour { hour minutes percentage }
    byWeekday { weekday minutes percentage }
    byDay { date minutes hours percentage }
    byWeek { isoYear isoWeek weekStart minutes hours percentage }
    byMonth { year month minutes percentage }
    productivity {
      averageDailyHours peakHour mostProductiveDay focusScore focusTimePercentage
      collaborationRatio highValuePercentage companyImpactRatio valueImpactScore
    }
    effortImpactMatrix { valueRating impactLevel minutes hours percentage entryCount entryIds }
    trends(weeks: $weeks) { weekStart isoYear isoWeek hours codePercentage meetingPercentage focusScore }
  }
}"#;

const PERIOD: (&str, &str) = ("2026-03-27", "2026-03-30");

pub(crate) struct Journal {
    ids: Vec<String>,
    api: String,
    web: String,
}

pub(crate) async fn seed(app: &TestApp, token: &str) -> Journal {
    let api = app.create_project(token, "API").await;
    let web = app.create_project(token, "Web").await;
    let entries = [
        json!({ "title": "E1", "activityType": "CODE", "projectId": api, "tags": ["backend"], "valueRating": "HIGH", "impactLevel": "PRODUCT", "startTime": "2026-03-27T08:00:00Z", "endTime": "2026-03-27T10:00:00Z" }),
        json!({ "title": "E2", "activityType": "MEETING", "tags": ["cross-team"], "valueRating": "LOW", "impactLevel": "TEAM", "startTime": "2026-03-27T07:30:00Z", "endTime": "2026-03-27T07:45:00Z" }),
        json!({ "title": "E3", "activityType": "OPS", "projectId": web, "tags": ["backend", "devops"], "impactLevel": "COMPANY", "startTime": "2026-03-27T22:30:00Z", "endTime": "2026-03-28T00:30:00Z" }),
        json!({ "title": "E4", "activityType": "DEBUG", "projectId": web, "valueRating": "HIGH", "impactLevel": "COMPANY", "startTime": "2026-03-29T00:30:00Z", "endTime": "2026-03-29T02:30:00Z" }),
        json!({ "title": "E5", "activityType": "REVIEW", "projectId": api, "tags": ["backend"], "impactLevel": "TEAM", "startTime": "2026-03-30T07:00:00Z", "endTime": "2026-03-30T07:45:00Z" }),
        json!({ "title": "E6", "activityType": "MENTORING", "tags": ["junior-dev"], "valueRating": "HIGH", "impactLevel": "TEAM", "startTime": "2026-03-30T12:00:00Z", "endTime": "2026-03-30T12:30:00Z" }),
        json!({ "title": "E7", "activityType": "DOCS", "valueRating": "LOW", "startTime": "2026-03-26T22:40:00Z", "endTime": "2026-03-26T23:30:00Z" }),
        json!({ "title": "E8", "activityType": "CODE", "startTime": "2026-03-31T08:00:00Z", "endTime": "2026-03-31T09:00:00Z" }),
    ];
    let mut ids = Vec::new();
    for entry in entries {
        ids.push(
            app.create_entry(token, entry).await["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    Journal { ids, api, web }
}

async fn dashboard(app: &TestApp, token: &str, project: Option<&str>, weeks: i32) -> Value {
    let vars = json!({
        "period": { "from": PERIOD.0, "to": PERIOD.1 },
        "projectId": project,
        "weeks": weeks,
    });
    app.ok(DASHBOARD, vars, token).await["analytics"].clone()
}

async fn every_metric_matches_the_hand_computed_journal(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    let j = seed(&app, &me.access).await;
    // Another person's work in the same days never shows up.
    let other = app.register("other@example.com").await;
    app.create_entry(
        &other.access,
        json!({ "startTime": "2026-03-28T09:00:00Z", "endTime": "2026-03-28T17:00:00Z" }),
    )
    .await;

    let a = dashboard(&app, &me.access, None, 3).await;
    let id = |n: usize| j.ids[n - 1].clone();

    assert_eq!(a["from"], "2026-03-27");
    assert_eq!(a["to"], "2026-03-30");
    assert_eq!(a["timezone"], "Europe/Paris");
    assert_eq!(
        a["totals"],
        json!({ "minutes": 480, "hours": 8.0, "entryCount": 7, "activeDays": 4, "days": 4 })
    );
    // Most time first; equal minutes keep the declaration order of the enum.
    assert_eq!(
        a["byActivityType"],
        json!([
            { "activityType": "CODE", "minutes": 120, "hours": 2.0, "percentage": 25.0, "entryCount": 1 },
            { "activityType": "DEBUG", "minutes": 120, "hours": 2.0, "percentage": 25.0, "entryCount": 1 },
            { "activityType": "OPS", "minutes": 120, "hours": 2.0, "percentage": 25.0, "entryCount": 1 },
            { "activityType": "REVIEW", "minutes": 45, "hours": 0.75, "percentage": 9.38, "entryCount": 1 },
            { "activityType": "DOCS", "minutes": 30, "hours": 0.5, "percentage": 6.25, "entryCount": 1 },
            { "activityType": "MENTORING", "minutes": 30, "hours": 0.5, "percentage": 6.25, "entryCount": 1 },
            { "activityType": "MEETING", "minutes": 15, "hours": 0.25, "percentage": 3.13, "entryCount": 1 },
        ])
    );
    assert_eq!(
        a["byProject"],
        json!([
            { "projectId": j.web, "projectName": "Web", "minutes": 240, "hours": 4.0, "percentage": 50.0, "entryCount": 2 },
            { "projectId": j.api, "projectName": "API", "minutes": 165, "hours": 2.75, "percentage": 34.38, "entryCount": 2 },
            { "projectId": null, "projectName": null, "minutes": 75, "hours": 1.25, "percentage": 15.63, "entryCount": 3 },
        ])
    );
    assert_eq!(
        a["byTag"],
        json!([
            { "tag": "backend", "minutes": 285, "percentage": 59.38, "entryCount": 3 },
            { "tag": "devops", "minutes": 120, "percentage": 25.0, "entryCount": 1 },
            { "tag": "junior-dev", "minutes": 30, "percentage": 6.25, "entryCount": 1 },
            { "tag": "cross-team", "minutes": 15, "percentage": 3.13, "entryCount": 1 },
        ])
    );
    assert_eq!(
        a["byValueRating"],
        json!([
            { "valueRating": "HIGH", "minutes": 270, "percentage": 56.25, "entryCount": 3 },
            { "valueRating": "MEDIUM", "minutes": 165, "percentage": 34.38, "entryCount": 2 },
            { "valueRating": "LOW", "minutes": 45, "percentage": 9.38, "entryCount": 2 },
        ])
    );
    assert_eq!(
        a["byImpactLevel"],
        json!([
            { "impactLevel": "COMPANY", "minutes": 240, "percentage": 50.0, "entryCount": 2 },
            { "impactLevel": "PRODUCT", "minutes": 120, "percentage": 25.0, "entryCount": 1 },
            { "impactLevel": "TEAM", "minutes": 90, "percentage": 18.75, "entryCount": 3 },
            { "impactLevel": "PERSONAL", "minutes": 30, "percentage": 6.25, "entryCount": 1 },
        ])
    );
    // h0 = E3 60 + E7 30; h1 = E3 30 + E4 30; h9 = E1 60 + E5 45; no h2:
    // 02:00–03:00 did not exist on the 29th.
    assert_eq!(
        a["byHour"],
        json!([
            { "hour": 0, "minutes": 90, "percentage": 18.75 },
            { "hour": 1, "minutes": 60, "percentage": 12.5 },
            { "hour": 3, "minutes": 60, "percentage": 12.5 },
            { "hour": 4, "minutes": 30, "percentage": 6.25 },
            { "hour": 8, "minutes": 15, "percentage": 3.13 },
            { "hour": 9, "minutes": 105, "percentage": 21.88 },
            { "hour": 10, "minutes": 60, "percentage": 12.5 },
            { "hour": 14, "minutes": 30, "percentage": 6.25 },
            { "hour": 23, "minutes": 30, "percentage": 6.25 },
        ])
    );
    // Fri 27 = E1 120 + E2 15 + E3 30 + E7 30; Sat 28 = E3 90; Sun 29 = E4
    // 120 (a 23-hour day); Mon 30 = E5 45 + E6 30.
    assert_eq!(
        a["byDay"],
        json!([
            { "date": "2026-03-27", "minutes": 195, "hours": 3.25, "percentage": 40.63 },
            { "date": "2026-03-28", "minutes": 90, "hours": 1.5, "percentage": 18.75 },
            { "date": "2026-03-29", "minutes": 120, "hours": 2.0, "percentage": 25.0 },
            { "date": "2026-03-30", "minutes": 75, "hours": 1.25, "percentage": 15.63 },
        ])
    );
    assert_eq!(
        a["byWeekday"],
        json!([
            { "weekday": "MONDAY", "minutes": 75, "percentage": 15.63 },
            { "weekday": "FRIDAY", "minutes": 195, "percentage": 40.63 },
            { "weekday": "SATURDAY", "minutes": 90, "percentage": 18.75 },
            { "weekday": "SUNDAY", "minutes": 120, "percentage": 25.0 },
        ])
    );
    assert_eq!(
        a["byWeek"],
        json!([
            { "isoYear": 2026, "isoWeek": 13, "weekStart": "2026-03-23", "minutes": 405, "hours": 6.75, "percentage": 84.38 },
            { "isoYear": 2026, "isoWeek": 14, "weekStart": "2026-03-30", "minutes": 75, "hours": 1.25, "percentage": 15.63 },
        ])
    );
    assert_eq!(
        a["byMonth"],
        json!([{ "year": 2026, "month": 3, "minutes": 480, "percentage": 100.0 }])
    );
    // average = 480 / 60 / 4 days; focus = code+debug+docs 270/480; focus
    // time = blocks ≥ 60 min (E1, E4; E7 lasts 50) 240/480; collaboration =
    // meeting+mentoring+review 90/480; high value 270/480; product+company
    // 360/480; value×impact = (9+2+8+12+4+6+1) / (12 × 7) × 100 = 50.
    assert_eq!(
        a["productivity"],
        json!({
            "averageDailyHours": 2.0, "peakHour": 9, "mostProductiveDay": "FRIDAY",
            "focusScore": 56.25, "focusTimePercentage": 50.0, "collaborationRatio": 18.75,
            "highValuePercentage": 56.25, "companyImpactRatio": 75.0, "valueImpactScore": 50.0,
        })
    );
    let cell = |v: &str, i: &str, minutes: u32, hours: f64, pct: f64, ids: Vec<String>| {
        json!({ "valueRating": v, "impactLevel": i, "minutes": minutes, "hours": hours,
                "percentage": pct, "entryCount": ids.len(), "entryIds": ids })
    };
    assert_eq!(
        a["effortImpactMatrix"],
        json!([
            cell("LOW", "PERSONAL", 30, 0.5, 6.25, vec![id(7)]),
            cell("LOW", "TEAM", 15, 0.25, 3.13, vec![id(2)]),
            cell("LOW", "PRODUCT", 0, 0.0, 0.0, vec![]),
            cell("LOW", "COMPANY", 0, 0.0, 0.0, vec![]),
            cell("MEDIUM", "PERSONAL", 0, 0.0, 0.0, vec![]),
            cell("MEDIUM", "TEAM", 45, 0.75, 9.38, vec![id(5)]),
            cell("MEDIUM", "PRODUCT", 0, 0.0, 0.0, vec![]),
            cell("MEDIUM", "COMPANY", 120, 2.0, 25.0, vec![id(3)]),
            cell("HIGH", "PERSONAL", 0, 0.0, 0.0, vec![]),
            cell("HIGH", "TEAM", 30, 0.5, 6.25, vec![id(6)]),
            cell("HIGH", "PRODUCT", 120, 2.0, 25.0, vec![id(1)]),
            cell("HIGH", "COMPANY", 120, 2.0, 25.0, vec![id(4)]),
        ])
    );
    // The trend weeks start before the period: read on their own.
    assert_eq!(a["trends"], three_trend_weeks_to_march_30());
}

/// Weeks 12–14 of the journal. Week 13 has all of E7 (50, both its days
/// are in it): 120+15+120+120+50 = 425 → code 120/425, meeting 15/425,
/// focus (120+120+50)/425. Week 14 has E5 45 + E6 30 + E8 60 = 135.
pub(crate) fn three_trend_weeks_to_march_30() -> Value {
    json!([
        { "weekStart": "2026-03-16", "isoYear": 2026, "isoWeek": 12, "hours": 0.0, "codePercentage": 0.0, "meetingPercentage": 0.0, "focusScore": 0.0 },
        { "weekStart": "2026-03-23", "isoYear": 2026, "isoWeek": 13, "hours": 7.08, "codePercentage": 28.24, "meetingPercentage": 3.53, "focusScore": 68.24 },
        { "weekStart": "2026-03-30", "isoYear": 2026, "isoWeek": 14, "hours": 2.25, "codePercentage": 44.44, "meetingPercentage": 0.0, "focusScore": 44.44 },
    ])
}

async fn a_project_dashboard_counts_only_that_project(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    let j = seed(&app, &me.access).await;
    let a = dashboard(&app, &me.access, Some(&j.web), 1).await;
    // E3 (30 on Fri, 90 on Sat) and E4 (120 on Sun).
    assert_eq!(
        a["totals"],
        json!({ "minutes": 240, "hours": 4.0, "entryCount": 2, "activeDays": 3, "days": 4 })
    );
    assert_eq!(
        a["productivity"],
        json!({
            "averageDailyHours": 1.33, "peakHour": 0, "mostProductiveDay": "SUNDAY",
            "focusScore": 50.0, "focusTimePercentage": 50.0, "collaborationRatio": 0.0,
            "highValuePercentage": 50.0, "companyImpactRatio": 100.0, "valueImpactScore": 83.33,
        })
    );
    assert_eq!(
        a["trends"],
        json!([{ "weekStart": "2026-03-30", "isoYear": 2026, "isoWeek": 14, "hours": 0.0,
                 "codePercentage": 0.0, "meetingPercentage": 0.0, "focusScore": 0.0 }])
    );
}

async fn another_users_project_yields_an_empty_dashboard_like_the_entry_list(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    seed(&app, &me.access).await;
    let other = app.register("other@example.com").await;
    let theirs = app.create_project(&other.access, "Theirs").await;
    app.create_entry(
        &other.access,
        json!({ "projectId": theirs, "startTime": "2026-03-28T09:00:00Z", "endTime": "2026-03-28T17:00:00Z" }),
    )
    .await;

    let a = dashboard(&app, &me.access, Some(&theirs), 1).await;
    assert_eq!(
        a["totals"],
        json!({ "minutes": 0, "hours": 0.0, "entryCount": 0, "activeDays": 0, "days": 4 })
    );
    assert_eq!(a["byProject"], json!([]));
    assert_eq!(a["productivity"]["peakHour"], Value::Null);
    assert_eq!(a["productivity"]["valueImpactScore"], 0.0);
    assert_eq!(
        app.entry_titles(&me.access, json!({ "projectId": theirs }))
            .await,
        Vec::<String>::new()
    );
}

async fn bad_periods_are_refused_naming_the_field(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    let ask = |from: &str, to: &str, weeks: i32| {
        let vars = json!({ "period": { "from": from, "to": to }, "weeks": weeks });
        let token = me.access.clone();
        let app = &app;
        async move {
            app.graphql(
                "query($period: PeriodInput!, $weeks: Int) { analytics(period: $period) { totals { minutes } trends(weeks: $weeks) { hours } } }",
                vars,
                Some(&token),
            )
            .await
        }
    };
    let backwards = ask("2026-03-30", "2026-03-27", 4).await;
    assert_eq!(error_code(&backwards), "VALIDATION");
    assert_eq!(error_field(&backwards), "period.to");

    let too_long = ask("2024-01-01", "2026-01-01", 4).await;
    assert_eq!(error_code(&too_long), "VALIDATION");
    assert_eq!(error_field(&too_long), "period");

    let no_weeks = ask("2026-03-27", "2026-03-30", 0).await;
    assert_eq!(error_code(&no_weeks), "VALIDATION");
    assert_eq!(error_field(&no_weeks), "weeks");

    // Exactly two years (731 days, with 2024-02-29) is allowed.
    let longest = ask("2024-01-01", "2025-12-31", 104).await;
    assert!(longest.get("errors").is_none(), "{longest}");
    assert_eq!(longest["data"]["analytics"]["totals"]["minutes"], 0);
    assert_eq!(
        longest["data"]["analytics"]["trends"]
            .as_array()
            .map(Vec::len),
        Some(104)
    );

    let anonymous = app
        .graphql(
            "{ analytics(period: { from: \"2026-03-27\", to: \"2026-03-30\" }) { totals { minutes } } }",
            json!({}),
            None,
        )
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

/// The whole dashboard, every field, costs a fixed number of SQL statements
/// whatever the data: the user's time zone, the period's entries, their
/// tags, their projects' names, and the trend weeks' entries (these weeks
/// start before the period; see `analytics_trend_weeks.rs`).
async fn the_dashboard_costs_five_sql_statements(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    seed(&app, &me.access).await;

    let vars = json!({ "period": { "from": PERIOD.0, "to": PERIOD.1 }, "weeks": 12 });
    let request =
        async_graphql::Request::new(DASHBOARD).variables(async_graphql::Variables::from_json(vars));
    let (response, seen) = execute_counting_statements(&app, &me.user_id, request).await;
    assert!(response.errors.is_empty(), "{:?}", response.errors);
    // `--no-capture` shows them: docs/PERFORMANCE.md times the same SQL.
    for sql in &seen {
        println!("{sql}");
    }
    assert_eq!(seen.len(), 5, "{seen:#?}");
}

const CONFIRM: &str = "mutation($ids: [UUID!]!) { confirmDrafts(ids: $ids) }";

const DRAFTS_VIEW: &str = r#"
query($period: PeriodInput!) {
  analytics(period: $period) {
    totals { minutes entryCount }
    draftsWaiting { entryCount minutes hours }
    effortImpactMatrix { valueRating impactLevel entryCount entryIds(first: 1, offset: 1) }
  }
}"#;

fn sorted(ids: &Value) -> Vec<String> {
    let mut ids: Vec<String> = ids
        .as_array()
        .expect("ids")
        .iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect();
    ids.sort();
    ids
}

/// Drafts (imports, connectors) count nowhere until confirmed; the
/// dashboard says how many wait, and confirming moves exactly their
/// minutes into the numbers.
async fn drafts_wait_outside_the_numbers_until_confirmed(app: TestApp) {
    let me = app.register("analyst@example.com").await;
    let j = seed(&app, &me.access).await;
    // D1: Sat 10:00–11:00 Paris, 60 min. D2: Mon 23:30 – Tue 01:00 Paris,
    // 30 of its 90 minutes inside the period.
    let mut drafts = Vec::new();
    for (start, end) in [
        ("2026-03-28T09:00:00Z", "2026-03-28T10:00:00Z"),
        ("2026-03-30T21:30:00Z", "2026-03-30T23:00:00Z"),
    ] {
        let draft = json!({ "title": "Imported", "tags": ["backend"], "valueRating": "HIGH",
            "impactLevel": "COMPANY", "startTime": start, "endTime": end, "isDraft": true });
        drafts.push(
            app.create_entry(&me.access, draft).await["id"]
                .as_str()
                .expect("id")
                .to_owned(),
        );
    }
    let vars = json!({ "period": { "from": PERIOD.0, "to": PERIOD.1 } });
    let high_company = |a: &Value| a["effortImpactMatrix"][11].clone();

    let before = app.ok(DRAFTS_VIEW, vars.clone(), &me.access).await["analytics"].clone();
    assert_eq!(before["totals"], json!({ "minutes": 480, "entryCount": 7 }));
    assert_eq!(
        before["draftsWaiting"],
        json!({ "entryCount": 2, "minutes": 90, "hours": 1.5 })
    );
    assert_eq!(high_company(&before)["impactLevel"], "COMPANY");
    assert_eq!(high_company(&before)["entryCount"], 1);
    assert_eq!(high_company(&before)["entryIds"], json!([]));

    // Someone else's id and a confirmed entry are skipped, not errors.
    let other = app.register("other@example.com").await;
    let theirs = app
        .create_entry(&other.access, json!({ "startTime": "2026-03-28T09:00:00Z", "endTime": "2026-03-28T10:00:00Z", "isDraft": true }))
        .await["id"]
        .clone();
    let ids = json!([drafts[0], drafts[1], j.ids[0], theirs]);
    let confirmed = app.ok(CONFIRM, json!({ "ids": ids }), &me.access).await;
    let mut expected = drafts.clone();
    expected.sort();
    assert_eq!(sorted(&confirmed["confirmDrafts"]), expected);

    let after = app.ok(DRAFTS_VIEW, vars.clone(), &me.access).await["analytics"].clone();
    assert_eq!(after["totals"], json!({ "minutes": 570, "entryCount": 9 }));
    assert_eq!(
        after["draftsWaiting"],
        json!({ "entryCount": 0, "minutes": 0, "hours": 0.0 })
    );
    // The cell holds D1 (28th), E4 (29th) and D2 (30th), oldest first: the
    // page `first: 1, offset: 1` is E4 alone.
    assert_eq!(high_company(&after)["entryCount"], 3);
    assert_eq!(high_company(&after)["entryIds"], json!([j.ids[3]]));

    // Confirming again changes nothing; the other person's draft is still one.
    let again = app.ok(CONFIRM, json!({ "ids": ids }), &me.access).await;
    assert_eq!(again["confirmDrafts"], json!([]));
    let theirs_now = app.ok(DRAFTS_VIEW, vars, &other.access).await["analytics"].clone();
    assert_eq!(theirs_now["draftsWaiting"]["entryCount"], 1);

    let empty = app
        .graphql(CONFIRM, json!({ "ids": [] }), Some(&me.access))
        .await;
    assert_eq!(error_code(&empty), "VALIDATION");
    assert_eq!(error_field(&empty), "ids");
}

on_both_backends!(
    drafts_wait_outside_the_numbers_until_confirmed,
    every_metric_matches_the_hand_computed_journal,
    a_project_dashboard_counts_only_that_project,
    another_users_project_yields_an_empty_dashboard_like_the_entry_list,
    bad_periods_are_refused_naming_the_field,
    the_dashboard_costs_five_sql_statements,
);
