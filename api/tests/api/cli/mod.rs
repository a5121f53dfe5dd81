//! The terminal client: the real `englog` binary run as a person or a
//! script would, against a server started by the test, each test with a
//! config directory of its own.

mod capture;
mod entries;
mod login;
mod reports;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use tokio::io::AsyncWriteExt;
use tokio::process::Command;

use crate::helpers::{Session, TestApp};
use crate::mcp::api_token;

/// One person's `englog` on one machine: a config home of its own.
pub(crate) struct Englog {
    home: tempfile::TempDir,
}

/// What a run of the binary did.
pub(crate) struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout as JSON (for `--json` runs), failing with both streams.
    pub fn json(&self) -> Value {
        assert_eq!(self.code, 0, "{self}");
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {self}"))
    }

    pub fn ok(&self) -> &str {
        assert_eq!(self.code, 0, "{self}");
        &self.stdout
    }
}

impl std::fmt::Display for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit {}\n--- stdout\n{}\n--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

impl Englog {
    pub fn new() -> Self {
        Self {
            home: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }

    pub fn config_file(&self) -> PathBuf {
        self.home().join("englog").join("client.toml")
    }

    /// Runs `englog args…` with `stdin` (not a terminal) and waits.
    pub async fn run(&self, args: &[&str], stdin: &str) -> Run {
        self.run_with(args, stdin, &[]).await
    }

    pub async fn run_with(&self, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Run {
        let mut command = Command::new(env!("CARGO_BIN_EXE_englog"));
        command
            .args(args)
            .env("XDG_CONFIG_HOME", self.home())
            .env("HOME", self.home())
            .env_remove("ENGLOG_SERVER")
            .env_remove("ENGLOG_TOKEN")
            .envs(env.iter().copied())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = command.spawn().expect("englog starts");
        if let Some(mut input) = child.stdin.take() {
            input
                .write_all(stdin.as_bytes())
                .await
                .expect("stdin written");
        }
        let Output {
            status,
            stdout,
            stderr,
        } = tokio::time::timeout(std::time::Duration::from_secs(90), child.wait_with_output())
            .await
            .expect("englog finishes within 90 s")
            .expect("englog runs");
        Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        }
    }
}

/// A registered person whose `englog` is logged in with a read-write API
/// token.
pub(crate) async fn logged_in(app: &TestApp, email: &str) -> (Englog, Session) {
    let me = app.register(email).await;
    let token = api_token(app, &me.access, "READ_WRITE").await;
    let englog = Englog::new();
    englog
        .run(
            &["login", "--server", &app.address, "--token-stdin"],
            &token,
        )
        .await
        .ok();
    (englog, me)
}

/// Revokes every API token of the person.
pub(crate) async fn revoke_tokens(app: &TestApp, session: &str) {
    let tokens = app.ok("{ apiTokens { id } }", json!({}), session).await;
    for t in tokens["apiTokens"].as_array().expect("tokens") {
        app.ok(
            "mutation($id: UUID!) { revokeApiToken(id: $id) }",
            json!({ "id": t["id"] }),
            session,
        )
        .await;
    }
}
