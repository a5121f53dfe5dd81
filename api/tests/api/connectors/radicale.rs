//! A real CalDAV server for the calendar tests: Radicale 3.9.0 (from PyPI,
//! installed by scripts/test into tools/radicale/site), started per test
//! on a free loopback port with its own storage and one htpasswd user.

use reqwest::{Method, StatusCode};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::processes::{ChildGuard, free_port};

pub const USER: &str = "ada";
pub const PASSWORD: &str = "correct horse";

pub struct Radicale {
    pub base: String,
    _storage: tempfile::TempDir,
    _child: ChildGuard,
    client: reqwest::Client,
}

impl Radicale {
    pub async fn start() -> Self {
        let site = std::env::var("ENGLOG_TEST_RADICALE_PATH")
            .map(PathBuf::from)
            .unwrap_or_else(|_| {
                PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tools/radicale/site")
            });
        assert!(
            site.join("radicale").exists(),
            "Radicale is not installed in {}: scripts/test installs it",
            site.display()
        );
        let storage = tempfile::tempdir().expect("storage dir");
        let users = storage.path().join("users");
        std::fs::write(&users, format!("{USER}:{PASSWORD}\n")).expect("htpasswd");
        let port = free_port();
        let child = Command::new("python3")
            .args(["-m", "radicale", "--server-hosts"])
            .arg(format!("127.0.0.1:{port}"))
            .arg("--storage-filesystem-folder")
            .arg(storage.path().join("collections"))
            .args(["--auth-type", "htpasswd", "--auth-htpasswd-filename"])
            .arg(&users)
            .args(["--auth-htpasswd-encryption", "plain"])
            .env("PYTHONPATH", &site)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3");
        let child = ChildGuard(child);
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "Radicale did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Self {
            base: format!("http://127.0.0.1:{port}"),
            _storage: storage,
            _child: child,
            client: reqwest::Client::new(),
        }
    }

    /// The address of a calendar collection of the user.
    pub fn calendar_url(&self, name: &str) -> String {
        format!("{}/{USER}/{name}/", self.base)
    }

    /// Creates a calendar collection (RFC 4791 MKCALENDAR).
    pub async fn make_calendar(&self, name: &str) {
        let answer = self
            .client
            .request(
                Method::from_bytes(b"MKCALENDAR").expect("method"),
                self.calendar_url(name),
            )
            .basic_auth(USER, Some(PASSWORD))
            .send()
            .await
            .expect("MKCALENDAR");
        assert_eq!(answer.status(), StatusCode::CREATED, "MKCALENDAR");
    }

    /// Writes (creates or replaces) one calendar object with HTTP PUT.
    pub async fn put(&self, calendar: &str, uid: &str, ics: &str) {
        let answer = self
            .client
            .put(format!("{}{uid}.ics", self.calendar_url(calendar)))
            .basic_auth(USER, Some(PASSWORD))
            .header("content-type", "text/calendar; charset=utf-8")
            .body(ics.to_owned())
            .send()
            .await
            .expect("PUT");
        let status = answer.status();
        let text = answer.text().await.unwrap_or_default();
        assert!(status.is_success(), "PUT {uid}: {status} {text}");
    }
}
