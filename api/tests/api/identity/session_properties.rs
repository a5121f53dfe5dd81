//! Done-when 2: random sequences of login, refresh, replay, logout, logout
//! everywhere and password change, checked against a model of which
//! sessions should be live. Invariants after every step: at most one live
//! refresh token per family, and every access token is accepted exactly
//! when the model says its session is live; at the end, no token of a
//! replayed (or otherwise ended) family is accepted.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use serde_json::json;

use super::{ME, REFRESH, database};
use crate::helpers::{Backend, PASSWORD, TestApp, error_code, session_of, spawn_app_with};

const PASSWORDS: [&str; 2] = [PASSWORD, "second passphrase!"];

#[derive(Debug, Clone)]
enum Op {
    Login,
    Refresh(usize),
    Replay(usize),
    Logout(usize),
    LogoutEverywhere,
    ChangePassword,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        2 => Just(Op::Login),
        4 => (0..8usize).prop_map(Op::Refresh),
        2 => (0..8usize).prop_map(Op::Replay),
        1 => (0..8usize).prop_map(Op::Logout),
        1 => Just(Op::LogoutEverywhere),
        1 => Just(Op::ChangePassword),
    ]
}

/// One sign-in as the model sees it.
struct Tracked {
    access: String,
    refresh: String,
    /// Tokens this session already rotated away.
    spent: Vec<String>,
    live: bool,
}

struct Model {
    email: String,
    password: usize,
    sessions: Vec<Tracked>,
}

impl Model {
    fn pick(&mut self, i: usize) -> Option<&mut Tracked> {
        let n = self.sessions.len();
        (n > 0).then(|| &mut self.sessions[i % n])
    }

    fn live_access(&self) -> Option<String> {
        self.sessions
            .iter()
            .find(|s| s.live)
            .map(|s| s.access.clone())
    }

    fn end_all(&mut self) {
        self.sessions.iter_mut().for_each(|s| s.live = false);
    }
}

fn fail(message: String) -> TestCaseError {
    TestCaseError::fail(message)
}

fn tracked(session: crate::helpers::Session) -> Tracked {
    Tracked {
        access: session.access,
        refresh: session.refresh,
        spent: Vec::new(),
        live: true,
    }
}

async fn step(app: &TestApp, model: &mut Model, op: &Op) -> Result<(), TestCaseError> {
    match op {
        Op::Login => {
            let body = app.login(&model.email, PASSWORDS[model.password]).await;
            model.sessions.push(tracked(session_of(&body, "login")));
        }
        Op::Refresh(i) => {
            let Some(s) = model.pick(*i) else {
                return Ok(());
            };
            let body = app.graphql(REFRESH, json!({ "t": s.refresh }), None).await;
            if s.live {
                let next = session_of(&body, "refreshToken");
                s.spent
                    .push(std::mem::replace(&mut s.refresh, next.refresh));
                s.access = next.access;
            } else if error_code(&body) != "UNAUTHENTICATED" {
                return Err(fail(format!("an ended session refreshed: {body}")));
            }
        }
        Op::Replay(i) => {
            let Some(s) = model.pick(*i) else {
                return Ok(());
            };
            let Some(old) = s.spent.last().cloned() else {
                return Ok(());
            };
            let body = app.graphql(REFRESH, json!({ "t": old }), None).await;
            if error_code(&body) != "UNAUTHENTICATED" {
                return Err(fail(format!("a replayed token was accepted: {body}")));
            }
            s.live = false;
        }
        Op::Logout(i) => {
            let Some(s) = model.pick(*i) else {
                return Ok(());
            };
            let body = app
                .graphql(
                    "mutation($t: String!) { logout(refreshToken: $t) }",
                    json!({ "t": s.refresh }),
                    None,
                )
                .await;
            if body["data"]["logout"] != true {
                return Err(fail(format!("logout failed: {body}")));
            }
            s.live = false;
        }
        Op::LogoutEverywhere => {
            let Some(access) = model.live_access() else {
                return Ok(());
            };
            app.ok("mutation { logoutEverywhere }", json!({}), &access)
                .await;
            model.end_all();
        }
        Op::ChangePassword => {
            let Some(access) = model.live_access() else {
                return Ok(());
            };
            let next = 1 - model.password;
            let body = app
                .graphql(
                    "mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { accessToken refreshToken user { id } } }",
                    json!({ "c": PASSWORDS[model.password], "n": PASSWORDS[next] }),
                    Some(&access),
                )
                .await;
            let session = session_of(&body, "changePassword");
            model.password = next;
            model.end_all();
            model.sessions.push(tracked(session));
        }
    }
    Ok(())
}

/// At most one refresh token per family is neither rotated nor revoked.
async fn at_most_one_live_token_per_family(db: &DatabaseConnection) -> Result<(), TestCaseError> {
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT COUNT(*) AS n FROM refresh_tokens \
             WHERE rotated_at IS NULL AND revoked_at IS NULL \
             GROUP BY family_id HAVING COUNT(*) > 1"
                .to_owned(),
        ))
        .await
        .map_err(|e| fail(format!("query: {e}")))?;
    if rows.is_empty() {
        Ok(())
    } else {
        Err(fail(format!(
            "{} families with several live tokens",
            rows.len()
        )))
    }
}

async fn access_matches_model(app: &TestApp, model: &Model) -> Result<(), TestCaseError> {
    for (n, s) in model.sessions.iter().enumerate() {
        let body = app.graphql(ME, json!({}), Some(&s.access)).await;
        let accepted = body.get("errors").is_none();
        if accepted != s.live {
            return Err(fail(format!(
                "session {n}: live in the model = {}, accepted = {accepted}: {body}",
                s.live
            )));
        }
    }
    Ok(())
}

async fn ended_sessions_accept_nothing(app: &TestApp, model: &Model) -> Result<(), TestCaseError> {
    for s in model.sessions.iter().filter(|s| !s.live) {
        for token in s.spent.iter().chain(std::iter::once(&s.refresh)) {
            let body = app.graphql(REFRESH, json!({ "t": token }), None).await;
            if error_code(&body) != "UNAUTHENTICATED" {
                return Err(fail(format!("an ended family refreshed: {body}")));
            }
        }
    }
    Ok(())
}

async fn run_case(
    app: &TestApp,
    db: &DatabaseConnection,
    case: usize,
    ops: &[Op],
) -> Result<(), TestCaseError> {
    let email = format!("prop{case}-{}@example.com", uuid::Uuid::new_v4().simple());
    let mut model = Model {
        sessions: vec![tracked(app.register(&email).await)],
        email,
        password: 0,
    };
    for op in ops {
        step(app, &mut model, op).await?;
        at_most_one_live_token_per_family(db).await?;
        access_matches_model(app, &model).await?;
    }
    ended_sessions_accept_nothing(app, &model).await?;
    at_most_one_live_token_per_family(db).await
}

/// A plain test driving its own runtime: proptest's runner is synchronous.
#[test]
fn random_session_histories_keep_the_family_invariants() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let app = runtime.block_on(spawn_app_with(Backend::Sqlite, |settings| {
        // Hundreds of sign-ins from one address: limits are tested elsewhere.
        settings.rate_limits.enabled = false;
    }));
    let db = runtime.block_on(database(&app));
    let mut runner = TestRunner::new(Config {
        cases: 24,
        failure_persistence: None,
        ..Config::default()
    });
    let case = std::sync::atomic::AtomicUsize::new(0);
    let result = runner.run(&proptest::collection::vec(op(), 1..10), |ops| {
        let n = case.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        runtime.block_on(run_case(&app, &db, n, &ops))
    });
    runtime.block_on(async move {
        drop(app);
    });
    if let Err(err) = result {
        panic!("{err}");
    }
}
