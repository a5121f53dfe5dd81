//! The weekly report fires at Monday 09:00 in each opted-in user's time
//! zone (clock injected), across DST changes, once; its mail reaches a real
//! SMTP server (aiosmtpd).

use chrono::{DateTime, Utc};
use englog_api::insights::schedule::run_due;
use englog_worker::fake_ollama::{FakeOllama, Reply};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::{Backend, Session, TestApp, spawn_app_with};
use crate::processes::{ChildGuard, free_port};

/// aiosmtpd writing every message into a Maildir.
pub(crate) struct SmtpServer {
    pub(crate) port: u16,
    maildir: tempfile::TempDir,
    _child: ChildGuard,
}

impl SmtpServer {
    pub(crate) fn start() -> Self {
        let site = std::env::var("ENGLOG_TEST_AIOSMTPD_PATH")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/smtp/site")
            });
        assert!(
            site.join("aiosmtpd").exists(),
            "aiosmtpd is not installed in {}: scripts/test installs it",
            site.display()
        );
        let port = free_port();
        let maildir = tempfile::tempdir().expect("maildir");
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir.path().join("mail"))
            .env("PYTHONPATH", &site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3");
        let deadline = Instant::now() + Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(50));
        }
        Self {
            port,
            maildir,
            _child: ChildGuard(child),
        }
    }

    pub(crate) fn messages(&self) -> Vec<String> {
        let dir = self.maildir.path().join("mail/new");
        std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok())
                    .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn opt_in(app: &TestApp, email: &str, timezone: &str) -> Session {
    let me = app.register(email).await;
    app.ok(
        "mutation($tz: String!) { updateProfile(input: { timezone: $tz }) { timezone } updatePreferences(input: { emailWeeklySummary: true }) { preferences { emailWeeklySummary } } }",
        json!({ "tz": timezone }),
        &me.access,
    )
    .await;
    me
}

async fn weekly_starts(app: &TestApp, token: &str) -> Vec<String> {
    let data = app
        .ok(
            "{ insights(first: 50) { edges { node { reportType periodStart } } } }",
            json!({}),
            token,
        )
        .await;
    data["insights"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["node"]["reportType"] == "WEEKLY")
        .map(|e| e["node"]["periodStart"].as_str().unwrap().to_owned())
        .collect()
}

/// The app's own database and settings, for calling the scheduler with a
/// chosen "now" (the background scheduler is off in this test).
async fn scheduler_state(app: &TestApp) -> englog_api::state::AppState {
    crate::helpers::background_state(app, None).await
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().expect("instant")
}

pub(crate) async fn wait_for_mail(smtp: &SmtpServer, needles: &[&str]) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(m) = smtp
            .messages()
            .into_iter()
            .find(|m| needles.iter().all(|n| m.contains(n)))
        {
            return m;
        }
        assert!(
            Instant::now() < deadline,
            "no mail containing {needles:?}: {:?}",
            smtp.messages()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn weekly_reports_fire_at_monday_nine_local_time_in_every_zone_and_are_mailed() {
    let smtp = SmtpServer::start();
    let ollama = FakeOllama::start(vec![Reply::Stream {
        // The week has no entries: an honest short report (the quality
        // gate asks for no citations then).
        chunks: vec![
            "## Week\n".into(),
            "- A quiet week: nothing was logged, so nothing to report yet.\n".into(),
        ],
        gap: Duration::ZERO,
    }])
    .await;
    let (url, smtp_url) = (
        ollama.url.clone(),
        format!("smtp://127.0.0.1:{}", smtp.port),
    );
    // PostgreSQL: the test's own connection pool writes beside the app's.
    let app = spawn_app_with(Backend::Postgres, move |s| {
        s.reports.ollama_url = url;
        s.reports.smtp_url = Some(smtp_url);
        s.reports.scheduler = false;
    })
    .await;
    let state = scheduler_state(&app).await;
    let not_opted = app.register("quiet@example.com").await;

    // (zone, local Monday 09:00 as UTC, previous week's Monday). Paris and
    // New York just changed to summer time; Sydney just left it.
    let cases = [
        (
            "paris@example.com",
            "Europe/Paris",
            "2026-03-30T07:00:00Z",
            "2026-03-23",
        ),
        (
            "ny@example.com",
            "America/New_York",
            "2026-03-09T13:00:00Z",
            "2026-03-02",
        ),
        (
            "sydney@example.com",
            "Australia/Sydney",
            "2026-04-05T23:00:00Z",
            "2026-03-30",
        ),
        (
            "tokyo@example.com",
            "Asia/Tokyo",
            "2026-03-16T00:00:00Z",
            "2026-03-09",
        ),
    ];
    for (email, zone, nine, week) in cases {
        let me = opt_in(&app, email, zone).await;
        let nine = utc(nine);
        run_due(&state, nine - chrono::Duration::seconds(1))
            .await
            .expect("scheduler");
        assert!(
            !weekly_starts(&app, &me.access)
                .await
                .contains(&week.to_owned()),
            "{zone}: not before 09:00"
        );
        run_due(&state, nine).await.expect("scheduler");
        run_due(&state, nine + chrono::Duration::minutes(5))
            .await
            .expect("scheduler");
        let starts = weekly_starts(&app, &me.access).await;
        assert_eq!(
            starts.iter().filter(|s| *s == week).count(),
            1,
            "{zone}: exactly once at 09:00: {starts:?}"
        );
    }
    assert!(
        weekly_starts(&app, &not_opted.access).await.is_empty(),
        "only those who opted in"
    );

    let mail = wait_for_mail(
        &smtp,
        &[
            "To: paris@example.com",
            "weekly report for 2026-03-23 to 2026-03-29",
        ],
    )
    .await;
    assert!(mail.contains("A quiet week"), "{mail}");
    assert!(Path::new(&smtp.maildir.path().join("mail")).exists());

    // Finished jobs are cleaned up after the retention period, not before.
    use sea_orm::{EntityTrait, PaginatorTrait};
    let jobs = || async {
        entity::job::Entity::find()
            .count(&state.db)
            .await
            .expect("count")
    };
    let before = jobs().await;
    assert!(before >= 4, "{before} jobs");
    let now = Utc::now();
    englog_api::insights::schedule::clean_up_jobs(&state, now)
        .await
        .expect("clean-up");
    assert_eq!(jobs().await, before, "recent jobs stay");
    let done =
        englog_api::insights::schedule::clean_up_jobs(&state, now + chrono::Duration::days(31))
            .await
            .expect("clean-up");
    assert!(done >= 1, "finished jobs go after 30 days");
    assert_eq!(jobs().await, before - done);
}
