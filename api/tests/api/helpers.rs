//! `spawn_app()`: a real server on port 0 over a fresh database of its own,
//! dropped when the `TestApp` drops, plus typed GraphQL helpers.

use englog_api::config::{Secret, Settings};
use englog_api::startup::Application;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::Once;
use tokio::sync::oneshot;
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Postgres,
    Sqlite,
}

/// Admin URL of the test PostgreSQL server (the test command exports it).
pub fn postgres_admin_url() -> String {
    std::env::var("ENGLOG_TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn web_dir() -> PathBuf {
    std::env::var("ENGLOG_TEST_WEB_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|_| repo_root().join("web/dist"))
}

fn init_tracing() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            // Kept for the whole test process.
            std::mem::forget(englog_api::telemetry::init_with(
                Default::default(),
                "info,englog_api=debug",
                &test_settings(),
            ));
        }
    });
}

/// A database that exists for one test.
pub enum TestDatabase {
    Postgres { admin_url: String, name: String },
    Sqlite { dir: tempfile::TempDir },
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> Self {
        match backend {
            Backend::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("englog_test_{}", Uuid::new_v4().simple());
                let admin = sea_orm::Database::connect(&admin_url)
                    .await
                    .expect("connect to the test PostgreSQL server (is it running?)");
                sea_orm::ConnectionTrait::execute_unprepared(
                    &admin,
                    &format!("CREATE DATABASE {name}"),
                )
                .await
                .expect("create test database");
                admin.close().await.ok();
                TestDatabase::Postgres { admin_url, name }
            }
            Backend::Sqlite => TestDatabase::Sqlite {
                dir: tempfile::tempdir().expect("temp dir"),
            },
        }
    }

    /// Settings pointing at this database.
    pub fn apply(&self, settings: &mut Settings) {
        match self {
            TestDatabase::Postgres { admin_url, name } => {
                let mut url = reqwest::Url::parse(admin_url).expect("admin URL");
                url.set_path(name);
                settings.database_url = Some(Secret::new(url.to_string()));
                settings.database_max_connections = 5;
            }
            TestDatabase::Sqlite { dir } => {
                // No URL: the embedded default, exactly as users run it.
                settings.database_url = None;
                settings.data_dir = dir.path().to_path_buf();
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let TestDatabase::Postgres { admin_url, name } = self {
            let (admin_url, db_name) = (admin_url.clone(), name.clone());
            // Drop runs inside the test's runtime; a separate thread with its
            // own runtime can block until the database is gone.
            let dropped = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    let admin = sea_orm::Database::connect(&admin_url).await?;
                    sea_orm::ConnectionTrait::execute_unprepared(
                        &admin,
                        &format!("DROP DATABASE IF EXISTS {db_name} WITH (FORCE)"),
                    )
                    .await?;
                    admin.close().await
                })
            })
            .join();
            if !matches!(dropped, Ok(Ok(()))) {
                eprintln!("warning: could not drop test database {name}: {dropped:?}");
            }
        }
    }
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub settings: Settings,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    // Last: dropped after the server stops.
    pub database: Option<TestDatabase>,
}

/// A session as a test sees it.
#[derive(Debug, Clone)]
pub struct Session {
    pub access: String,
    pub refresh: String,
    pub user_id: String,
}

pub fn test_settings() -> Settings {
    let mut settings = Settings {
        listen: "127.0.0.1:0".parse().expect("addr"),
        web_dir: web_dir(),
        jwt_secret: Secret::new("englog-test-signing-key-0123456789abcdef"),
        ..Settings::default()
    };
    let r = &mut settings.reports;
    // Each test's Redis keys live under their own prefix (deleted on drop).
    r.redis_prefix = format!("englog_test_{}", Uuid::new_v4().simple());
    // Nothing listens on port 9: tests that need a model start a fake one.
    r.ollama_url = "http://127.0.0.1:9".into();
    r.relay_interval_ms = 100;
    r.backoff_base_ms = 100;
    r.max_attempts = 2;
    r.reclaim_after_secs = 2;
    // Enrichment calls the model on every entry written; the tests that
    // want it (enrichment.rs) turn it on, the rest keep their scripted
    // replies for reports.
    r.enrichment = false;
    // Rate-limit counters in Redis under the test's prefix too: shared
    // counters let one test's sign-ups exhaust another's limit.
    settings.rate_limits.key_prefix = format!("{}:ratelimit:", settings.reports.redis_prefix);
    // Connector credentials need a key outside the embedded default; the
    // connector tests run syncs themselves, not on the scheduler's clock.
    settings.connectors.credentials_key =
        Secret::new("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
    settings.connectors.scheduler = false;
    // The nudge tests call its pass with a chosen clock.
    settings.nudge.scheduler = false;
    settings
}

pub fn redis_url() -> String {
    std::env::var("ENGLOG_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into())
}

/// Deletes every Redis key under `prefix` (synchronously: runs in Drop).
pub fn delete_redis_prefix(url: &str, prefix: &str) {
    if let Ok(client) = redis::Client::open(url)
        && let Ok(mut conn) = client.get_connection()
    {
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(format!("{prefix}:*"))
            .query(&mut conn)
            .unwrap_or_default();
        if !keys.is_empty() {
            let _: Result<(), _> = redis::cmd("DEL").arg(keys).query(&mut conn);
        }
    }
}

/// A server on PostgreSQL.
pub async fn spawn_app() -> TestApp {
    spawn_app_on(Backend::Postgres).await
}

pub async fn spawn_app_on(backend: Backend) -> TestApp {
    spawn_app_with(backend, |_| {}).await
}

pub async fn spawn_app_with(backend: Backend, customise: impl FnOnce(&mut Settings)) -> TestApp {
    let database = TestDatabase::create(backend).await;
    let mut settings = test_settings();
    database.apply(&mut settings);
    customise(&mut settings);
    start(settings, Some(database)).await
}

/// Starts a server with exactly these settings (e.g. to restart on the same
/// data directory).
pub async fn start(settings: Settings, database: Option<TestDatabase>) -> TestApp {
    init_tracing();
    let app = Application::build(settings.clone())
        .await
        .expect("application starts");
    let port = app.port();
    let (tx, rx) = oneshot::channel::<()>();
    let server = tokio::spawn(async move {
        app.run_until_stopped(async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
    });
    TestApp {
        address: format!("http://127.0.0.1:{port}"),

        client: reqwest::Client::new(),
        settings,
        shutdown: Some(tx),
        server: Some(server),
        database,
    }
}

impl TestApp {
    /// Stops the server and waits for it, keeping the database.
    pub async fn stop(mut self) -> (Settings, Option<TestDatabase>) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.await.expect("server task");
        }
        (self.settings.clone(), self.database.take())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    /// The port the server listens on (for the WebSocket client).
    pub fn port(&self) -> u16 {
        self.address
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("a port in the server's address")
    }

    /// Runs `sql` on the server's database over a connection of its own,
    /// behind the server's back (tests that break or spoil what it reads).
    pub async fn execute_sql(&self, sql: &str) {
        let admin = sea_orm::Database::connect(self.settings.effective_database_url())
            .await
            .expect("a connection of the test's own");
        sea_orm::ConnectionTrait::execute_unprepared(&admin, sql)
            .await
            .unwrap_or_else(|error| panic!("{sql}: {error}"));
        admin.close().await.ok();
    }

    /// Posts one GraphQL operation and returns the whole JSON response.
    pub async fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> Value {
        let mut request = self
            .client
            .post(self.url("/graphql"))
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("request sent");
        response.json().await.expect("JSON response")
    }

    /// Like [`graphql`] but the operation must succeed; returns `data`.
    pub async fn ok(&self, query: &str, variables: Value, token: &str) -> Value {
        let body = self.graphql(query, variables, Some(token)).await;
        assert!(body.get("errors").is_none(), "unexpected errors: {body}");
        body["data"].clone()
    }

    /// Registers `email` with a fixed password and returns the session.
    pub async fn register(&self, email: &str) -> Session {
        let body = self
            .graphql(
                REGISTER,
                json!({ "input": {
                    "email": email, "password": PASSWORD,
                    "firstName": "Ada", "lastName": "Lovelace", "timezone": "Europe/Paris"
                }}),
                None,
            )
            .await;
        session_of(&body, "register")
    }

    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.graphql(
            LOGIN,
            json!({ "input": { "email": email, "password": password } }),
            None,
        )
        .await
    }

    pub async fn create_project(&self, token: &str, name: &str) -> String {
        let data = self
            .ok(
                "mutation($input: CreateProjectInput!) { createProject(input: $input) { id } }",
                json!({ "input": { "name": name } }),
                token,
            )
            .await;
        data["createProject"]["id"].as_str().expect("id").to_owned()
    }

    /// Creates an entry from a partial input (title, type and times default).
    pub async fn create_entry(&self, token: &str, input: Value) -> Value {
        let mut full = json!({
            "title": "Wrote code",
            "activityType": "CODE",
            "startTime": "2026-03-02T09:00:00Z",
            "endTime": "2026-03-02T10:30:00Z",
        });
        if let (Some(full), Some(extra)) = (full.as_object_mut(), input.as_object()) {
            for (k, v) in extra {
                full.insert(k.clone(), v.clone());
            }
        }
        self.ok(CREATE_ENTRY, json!({ "input": full }), token).await["createLogEntry"].clone()
    }

    /// Titles of the entries a list query returns, in order.
    pub async fn entry_titles(&self, token: &str, filter: Value) -> Vec<String> {
        let data = self
            .ok(
                "query($f: LogEntryFilter) { logEntries(first: 100, filter: $f) { edges { node { title } } } }",
                json!({ "f": filter }),
                token,
            )
            .await;
        data["logEntries"]["edges"]
            .as_array()
            .expect("edges")
            .iter()
            .map(|e| e["node"]["title"].as_str().expect("title").to_owned())
            .collect()
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            server.abort();
        }
        if let Some(url) = &self.settings.redis_url {
            delete_redis_prefix(url.expose(), &self.settings.reports.redis_prefix);
        }
    }
}

pub const PASSWORD: &str = "correct horse battery";

pub const REGISTER: &str = "mutation($input: RegisterInput!) { register(input: $input) { accessToken refreshToken user { id email } } }";
pub const LOGIN: &str = "mutation($input: LoginInput!) { login(input: $input) { accessToken refreshToken user { id email } } }";
pub const CREATE_ENTRY: &str = "mutation($input: CreateLogEntryInput!) { createLogEntry(input: $input) { id title description activityType projectId project { id name } tags startTime endTime durationMinutes valueRating impactLevel } }";

pub fn session_of(body: &Value, field: &str) -> Session {
    assert!(body.get("errors").is_none(), "unexpected errors: {body}");
    let data = &body["data"][field];
    Session {
        access: data["accessToken"]
            .as_str()
            .expect("accessToken")
            .to_owned(),
        refresh: data["refreshToken"]
            .as_str()
            .expect("refreshToken")
            .to_owned(),
        user_id: data["user"]["id"].as_str().expect("user id").to_owned(),
    }
}

/// The `extensions.code` of the first error.
pub fn error_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error with a code, got {body}"))
}

/// The `extensions.field` of the first error.
pub fn error_field(body: &Value) -> &str {
    body["errors"][0]["extensions"]["field"]
        .as_str()
        .unwrap_or_else(|| panic!("expected an error naming a field, got {body}"))
}

/// Runs each scenario `async fn(TestApp)` once on PostgreSQL and once on the
/// embedded SQLite default.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => { $(
        mod $name {
            #[tokio::test]
            async fn postgres() {
                super::$name($crate::helpers::spawn_app_on($crate::helpers::Backend::Postgres).await).await
            }
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::helpers::spawn_app_on($crate::helpers::Backend::Sqlite).await).await
            }
        }
    )+ };
}

/// Runs each scenario `async fn(Backend)` once on PostgreSQL and once on
/// SQLite, for scenarios that start their own server with custom settings.
#[macro_export]
macro_rules! on_both_backends_with_settings {
    ($($name:ident),+ $(,)?) => { $(
        mod $name {
            #[tokio::test]
            async fn postgres() {
                super::$name($crate::helpers::Backend::Postgres).await
            }
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::helpers::Backend::Sqlite).await
            }
        }
    )+ };
}

/// This app's settings over `db` (a connection of the test's own, e.g. one
/// that counts statements) with `broker` (a fresh in-process one when
/// `None`), for calling services and background passes directly at a
/// chosen "now".
pub fn state_on(
    app: &TestApp,
    db: sea_orm::DatabaseConnection,
    broker: Option<englog_worker::Broker>,
) -> englog_api::state::AppState {
    englog_api::state::AppState {
        db,
        keys: englog_api::auth::JwtKeys::new(b"unused-in-this-test-unused-unused", 900),
        settings: std::sync::Arc::new(app.settings.clone()),
        broker: broker.unwrap_or_else(|| {
            englog_worker::Broker::Memory(englog_worker::broker::MemoryBroker::new(
                Default::default(),
            ))
        }),
        relay_wakeup: Default::default(),
        limiter: englog_api::auth::rate_limit::RateLimiter::new(
            app.settings.rate_limits.clone(),
            None,
        ),
        sessions: Default::default(),
        warm: Default::default(),
        no_job: Default::default(),
    }
}

/// [`state_on`] over a new connection to the app's database.
pub async fn background_state(
    app: &TestApp,
    broker: Option<englog_worker::Broker>,
) -> englog_api::state::AppState {
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    state_on(app, db, broker)
}
