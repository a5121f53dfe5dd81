//! Debian's real `prometheus` (installed by scripts/test), started by a
//! test with its own scrape configuration and storage, killed on drop.

use serde_json::Value;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::processes::{ChildGuard, free_port};

pub struct Prometheus {
    _child: ChildGuard,
    _dir: tempfile::TempDir,
    pub url: String,
}

impl Prometheus {
    /// Scrapes each `(job, host:port)` target's `/metrics` every second.
    pub async fn start(targets: &[(&str, String)]) -> Self {
        let dir = tempfile::tempdir().expect("temporary directory");
        let jobs: String = targets
            .iter()
            .map(|(job, target)| {
                format!(
                    "  - job_name: {job}\n    static_configs:\n      - targets: [\"{target}\"]\n"
                )
            })
            .collect();
        let config = format!(
            "global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs:\n{jobs}"
        );
        let config_path = dir.path().join("prometheus.yml");
        std::fs::write(&config_path, config).expect("write prometheus.yml");
        let port = free_port();
        let child = Command::new("prometheus")
            .arg(format!("--config.file={}", config_path.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.path().join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            })
            .spawn()
            .expect("start prometheus (Debian package `prometheus`; scripts/test installs it)");
        let prometheus = Self {
            _child: ChildGuard(child),
            _dir: dir,
            url: format!("http://127.0.0.1:{port}"),
        };
        let client = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(response) = client
                .get(format!("{}/-/ready", prometheus.url))
                .send()
                .await
                && response.status().is_success()
            {
                return prometheus;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("prometheus did not become ready");
    }

    /// The value of an instant query with one result, `None` if it has none.
    pub async fn value(&self, query: &str) -> Option<f64> {
        let body: Value = reqwest::Client::new()
            .get(format!("{}/api/v1/query", self.url))
            .query(&[("query", query)])
            .send()
            .await
            .ok()?
            .json()
            .await
            .ok()?;
        let result = body["data"]["result"].as_array()?;
        let value = result.first()?["value"][1].as_str()?;
        value.parse().ok()
    }

    /// Waits until `query` has a value satisfying `check` (scrapes come every
    /// second), and returns it.
    pub async fn wait_for(&self, query: &str, check: impl Fn(f64) -> bool) -> f64 {
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = None;
        while Instant::now() < deadline {
            last = self.value(query).await;
            if let Some(value) = last.filter(|v| check(*v)) {
                return value;
            }
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        panic!("`{query}` never had the expected value (last: {last:?})");
    }
}

/// `promtool check metrics` on an exposition text: exit 0 and no lint.
pub fn promtool_check_metrics(body: &str, what: &str) {
    use std::io::Write;
    let mut child = Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("promtool (Debian package `prometheus`)");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(body.as_bytes())
        .expect("write metrics to promtool");
    let output = child.wait_with_output().expect("promtool finished");
    assert!(
        output.status.success(),
        "promtool check metrics on {what}:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
