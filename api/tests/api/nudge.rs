//! The missed-day nudge: on a workday morning at 08:00 in the person's
//! time zone (clock injected), when nothing is confirmed for the previous
//! workday and drafts are waiting, one mail reaches a real SMTP server
//! (aiosmtpd); never before 08:00, never on a day off, never twice a day
//! (even from two API instances at once), never when opted out.

use chrono::{DateTime, Utc};
use englog_api::nudge::schedule::{Pass, run_due};
use englog_api::state::AppState;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::json;

use crate::helpers::{Backend, Session, TestApp, spawn_app_with};
use crate::schedule::{SmtpServer, wait_for_mail};

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

async fn person(app: &TestApp, email: &str, timezone: &str, nudge: bool) -> Session {
    let me = app.register(email).await;
    app.ok(
        "mutation($tz: String!, $on: Boolean!) { updateProfile(input: { timezone: $tz }) { timezone } updatePreferences(input: { missedDayNudge: $on }) { preferences { missedDayNudge workdays } } }",
        json!({ "tz": timezone, "on": nudge }),
        &me.access,
    )
    .await;
    me
}

/// `n` drafts from `source` (as a connector or import writes them) at
/// `start`.
async fn drafts(
    app: &TestApp,
    state: &AppState,
    me: &Session,
    source: &str,
    n: usize,
    start: &str,
) {
    for i in 0..n {
        let end = (utc(start) + chrono::Duration::minutes(30)).to_rfc3339();
        let entry = app
            .create_entry(
                &me.access,
                json!({ "title": format!("{source} item {i}"), "startTime": start, "endTime": end, "isDraft": true }),
            )
            .await;
        let id = uuid::Uuid::parse_str(entry["id"].as_str().expect("id")).expect("uuid");
        entity::log_entry::Entity::update_many()
            .col_expr(entity::log_entry::Column::Source, Expr::value(source))
            .filter(entity::log_entry::Column::Id.eq(id))
            .exec(&state.db)
            .await
            .expect("set source");
    }
}

/// A message as a person reads it: lettre sends long lines
/// quoted-printable (soft breaks `=\r\n`, bytes as `=XX`).
fn readable(raw: &str) -> String {
    let joined = raw.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn mail_to(smtp: &SmtpServer, email: &str) -> String {
    readable(&wait_for_mail(smtp, &[&format!("To: {email}")]).await)
}

fn mails_to(smtp: &SmtpServer, email: &str) -> Vec<String> {
    smtp.messages()
        .into_iter()
        .filter(|m| m.contains(&format!("To: {email}")))
        .collect()
}

async fn pass(state: &AppState, now: &str) -> Pass {
    run_due(state, utc(now)).await.expect("nudge pass")
}

async fn a_missed_workday_is_mailed_once_at_eight_local_time(backend: Backend) {
    let smtp = SmtpServer::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = spawn_app_with(backend, move |s| {
        s.reports.smtp_url = Some(smtp_url);
        s.nudge.public_url = Some("https://englog.example.org/".into());
    })
    .await;
    let state = crate::helpers::background_state(&app, None).await;

    // Friday 2026-12-04: Ana (Tokyo) left 5 GitHub drafts and 2 calendar
    // drafts and confirmed nothing; Ben (New York) the same with GitHub.
    let ana = person(&app, "ana@example.com", "Asia/Tokyo", true).await;
    drafts(&app, &state, &ana, "github", 5, "2026-12-04T01:00:00Z").await;
    drafts(&app, &state, &ana, "ics", 2, "2026-12-04T05:00:00Z").await;
    let ben = person(&app, "ben@example.com", "America/New_York", true).await;
    drafts(&app, &state, &ben, "github", 1, "2026-12-04T15:00:00Z").await;
    // Cleo confirmed an entry on Friday: nothing was missed (her drafts
    // wait, but Friday is logged).
    let cleo = person(&app, "cleo@example.com", "Asia/Tokyo", true).await;
    drafts(&app, &state, &cleo, "gitlab", 3, "2026-12-04T02:00:00Z").await;
    app.create_entry(
        &cleo.access,
        json!({ "startTime": "2026-12-04T03:00:00Z", "endTime": "2026-12-04T04:00:00Z" }),
    )
    .await;
    // Dan has nothing waiting; Eve has drafts but never opted in.
    person(&app, "dan@example.com", "Asia/Tokyo", true).await;
    let eve = person(&app, "eve@example.com", "Asia/Tokyo", false).await;
    drafts(&app, &state, &eve, "github", 4, "2026-12-04T01:00:00Z").await;

    // Saturday 08:00 in Tokyo: not a workday.
    assert_eq!(pass(&state, "2026-12-04T23:00:00Z").await.sent, 0);
    // Monday 07:59:59 in Tokyo: too early.
    assert_eq!(pass(&state, "2026-12-06T22:59:59Z").await.sent, 0);
    // Monday 08:00 in Tokyo (Sunday 18:00 in New York): Ana only.
    assert_eq!(pass(&state, "2026-12-06T23:00:00Z").await.sent, 1);
    let mail = mail_to(&smtp, "ana@example.com").await;
    for needle in [
        "Subject: 7 drafts waiting for review in EngLog",
        "7 drafts from GitHub and your calendar are waiting for review",
        "Friday 4 December",
        "GitHub: 5",
        "your calendar: 2",
        "https://englog.example.org/#/?draft=true",
    ] {
        assert!(mail.contains(needle), "{needle:?} in {mail}");
    }
    // Later that morning, and after a restart (a new connection, the claim
    // is in the database): not again.
    assert_eq!(pass(&state, "2026-12-06T23:05:00Z").await.sent, 0);
    let restarted = crate::helpers::background_state(&app, None).await;
    assert_eq!(pass(&restarted, "2026-12-07T01:00:00Z").await.sent, 0);

    // Monday 08:00 in New York: Ben.
    assert_eq!(pass(&state, "2026-12-07T12:59:00Z").await.sent, 0);
    assert_eq!(pass(&state, "2026-12-07T13:00:00Z").await.sent, 1);
    let mail = mail_to(&smtp, "ben@example.com").await;
    assert!(
        mail.contains("1 draft from GitHub is waiting for review"),
        "{mail}"
    );

    // Tuesday 08:00 in Tokyo, two API instances at the same moment: Ana
    // (Monday is empty too) and Cleo (Monday is empty) get one mail each.
    let other = crate::helpers::background_state(&app, None).await;
    let (a, b) = tokio::join!(
        run_due(&state, utc("2026-12-07T23:00:00Z")),
        run_due(&other, utc("2026-12-07T23:00:00Z")),
    );
    let (a, b) = (a.expect("pass"), b.expect("pass"));
    assert_eq!(a.sent + b.sent, 2, "{a:?} {b:?}");
    let mail = mail_to(&smtp, "cleo@example.com").await;
    assert!(mail.contains("Monday 7 December"), "{mail}");

    // Ana opts out: Wednesday morning mails Cleo (her Tuesday is empty as
    // well), not Ana.
    app.ok(
        "mutation { updatePreferences(input: { missedDayNudge: false }) { id } }",
        json!({}),
        &ana.access,
    )
    .await;
    assert_eq!(pass(&state, "2026-12-08T23:00:00Z").await.sent, 1);

    assert_eq!(
        mails_to(&smtp, "ana@example.com").len(),
        2,
        "Monday, Tuesday"
    );
    assert_eq!(mails_to(&smtp, "ben@example.com").len(), 1);
    assert_eq!(
        mails_to(&smtp, "cleo@example.com").len(),
        2,
        "Tuesday and Wednesday, not Monday (Friday was logged)"
    );
    assert!(
        mails_to(&smtp, "dan@example.com").is_empty(),
        "nothing waiting"
    );
    assert!(
        mails_to(&smtp, "eve@example.com").is_empty(),
        "never opted in"
    );
}

#[tokio::test]
async fn nudge_mail_once_at_eight_local_time_on_postgres() {
    a_missed_workday_is_mailed_once_at_eight_local_time(Backend::Postgres).await
}

#[tokio::test]
async fn nudge_mail_once_at_eight_local_time_on_sqlite() {
    a_missed_workday_is_mailed_once_at_eight_local_time(Backend::Sqlite).await
}

#[tokio::test]
async fn nudge_workdays_follow_the_person_and_a_day_off_is_never_nudged() {
    let smtp = SmtpServer::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = spawn_app_with(Backend::Postgres, move |s| {
        s.reports.smtp_url = Some(smtp_url);
    })
    .await;
    let state = crate::helpers::background_state(&app, None).await;
    // Works Sunday to Thursday, weeks starting on Sunday.
    let me = app.register("sun@example.com").await;
    let data = app
        .ok(
            "mutation { updateProfile(input: { timezone: \"UTC\" }) { id } updatePreferences(input: { missedDayNudge: true, weekStart: SUNDAY, workdays: [MONDAY, THURSDAY, SUNDAY, TUESDAY, WEDNESDAY, MONDAY] }) { preferences { workdays } } }",
            json!({}),
            &me.access,
        )
        .await;
    assert_eq!(
        data["updatePreferences"]["preferences"]["workdays"],
        json!(["SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY"]),
        "in the order of the person's week, once each"
    );
    // Drafts on Thursday 2026-12-03, nothing confirmed.
    drafts(&app, &state, &me, "git", 2, "2026-12-03T10:00:00Z").await;
    // Friday and Saturday are days off; Sunday checks Thursday.
    assert_eq!(pass(&state, "2026-12-04T08:00:00Z").await.sent, 0);
    assert_eq!(pass(&state, "2026-12-05T08:00:00Z").await.sent, 0);
    // Past the morning window (08:00 + 4 h): skipped, not sent late.
    assert_eq!(pass(&state, "2026-12-06T12:00:00Z").await.sent, 0);
    assert_eq!(pass(&state, "2026-12-06T11:59:00Z").await.sent, 1);
    let mail = mail_to(&smtp, "sun@example.com").await;
    assert!(mail.contains("Thursday 3 December"), "{mail}");
    assert!(
        mail.contains("2 drafts from your git repositories are waiting for review"),
        "{mail}"
    );
    assert!(
        mail.contains("Drafts only"),
        "no public URL configured: the mail names the page: {mail}"
    );
    assert_eq!(mails_to(&smtp, "sun@example.com").len(), 1);
}

#[tokio::test]
async fn the_banner_field_follows_the_same_rule_as_the_mail() {
    let app = spawn_app_with(Backend::Postgres, |_| {}).await;
    let me = app.register("banner@example.com").await;
    let nudge = || async {
        app.ok(
            "{ reviewNudge { total message day missedDay bySource { source label count } } }",
            json!({}),
            &me.access,
        )
        .await["reviewNudge"]
            .clone()
    };
    let today = Utc::now().date_naive();
    let yesterday = today - chrono::Duration::days(1);
    let at = |hour: u32| {
        yesterday
            .and_hms_opt(hour, 0, 0)
            .expect("time")
            .and_utc()
            .to_rfc3339()
    };
    app.create_entry(
        &me.access,
        json!({ "startTime": at(10), "endTime": at(11), "isDraft": true }),
    )
    .await;
    assert_eq!(nudge().await, json!(null), "off by default");

    app.ok(
        "mutation { updateProfile(input: { timezone: \"UTC\" }) { id } updatePreferences(input: { missedDayNudge: true, workdays: [MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY] }) { id } }",
        json!({}),
        &me.access,
    )
    .await;
    assert_eq!(
        nudge().await,
        json!({
            "total": 1,
            "message": "1 draft from other sources is waiting for review",
            "day": today.to_string(),
            "missedDay": yesterday.to_string(),
            "bySource": [{ "source": "other", "label": "other sources", "count": 1 }],
        })
    );

    // Something confirmed yesterday: nothing was missed.
    app.create_entry(
        &me.access,
        json!({ "startTime": at(12), "endTime": at(13) }),
    )
    .await;
    assert_eq!(nudge().await, json!(null));
}
