//! The local authorization server for OAuth tests: oauth2-mock-server (npm,
//! `tools/oauth-mock`), started as a child process on a free port and
//! killed when dropped.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub struct MockProvider {
    child: Child,
    pub issuer: String,
}

/// What the provider's userinfo endpoint answers.
pub struct MockUser<'a> {
    pub subject: &'a str,
    pub email: &'a str,
    pub email_verified: bool,
}

impl MockProvider {
    pub fn start(user: MockUser<'_>) -> Self {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/oauth-mock");
        assert!(
            dir.join("node_modules/oauth2-mock-server").exists(),
            "the OAuth test server is not installed: run `npm ci --prefix tools/oauth-mock` \
             (scripts/test does)"
        );
        let mut child = Command::new("node")
            .arg("server.mjs")
            .current_dir(&dir)
            .env("MOCK_SUB", user.subject)
            .env("MOCK_EMAIL", user.email)
            .env("MOCK_EMAIL_VERIFIED", user.email_verified.to_string())
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start node tools/oauth-mock/server.mjs (is Node.js installed?)");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read the mock server's port");
        let port: u16 = line
            .trim()
            .strip_prefix("listening ")
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("unexpected mock server output: {line:?}"));
        Self {
            child,
            issuer: format!("http://127.0.0.1:{port}"),
        }
    }
}

impl Drop for MockProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
