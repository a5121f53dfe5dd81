//! The real `englog` binary in its own process, on the embedded default
//! (a SQLite file in a temporary directory): a crash shows as an exited
//! child, not as a failed test binary.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::processes::free_port;

pub struct ServerProcess {
    child: Child,
    pub address: String,
    _data: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts `englog serve` (the binary given by `ENGLOG_HOSTILE_BINARY`,
    /// e.g. a release build, else the one cargo built for these tests) and
    /// waits until `/live` answers.
    pub async fn start(extra_env: &[(&str, &str)]) -> Self {
        let data = tempfile::tempdir().expect("temporary data directory");
        let port = free_port();
        let binary = std::env::var("ENGLOG_HOSTILE_BINARY")
            .unwrap_or_else(|_| env!("CARGO_BIN_EXE_englog").to_owned());
        let mut command = Command::new(binary);
        command
            .arg("serve")
            .env("ENGLOG_LISTEN", format!("127.0.0.1:{port}"))
            .env("ENGLOG_DATA_DIR", data.path())
            .env("ENGLOG_WEB_DIR", data.path())
            // Nothing to reach: reports are not what this server is for.
            .env("ENGLOG_REPORTS__OLLAMA_URL", "http://127.0.0.1:9")
            .env("ENGLOG_REPORTS__SCHEDULER", "false")
            .env("ENGLOG_REPORTS__ENRICHMENT", "false")
            .env("RUST_LOG", "error")
            .stdout(Stdio::null())
            .stderr(if std::env::var_os("TEST_LOG").is_some() {
                Stdio::inherit()
            } else {
                Stdio::null()
            });
        for (key, value) in extra_env {
            command.env(key, value);
        }
        let child = command.spawn().expect("start englog");
        let server = Self {
            child,
            address: format!("http://127.0.0.1:{port}"),
            _data: data,
        };
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(response) = client.get(server.url("/live")).send().await
                && response.status().is_success()
            {
                return server;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("englog did not answer /live within 15 s");
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn port(&self) -> u16 {
        self.address
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .expect("port in address")
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Whether the process is still running (it has not crashed or exited).
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// The process' peak resident memory so far (`VmHWM`), in bytes.
    pub fn peak_memory(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid()))
            .expect("read /proc/<pid>/status");
        status
            .lines()
            .find_map(|line| line.strip_prefix("VmHWM:"))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<u64>()
                    .ok()
            })
            .map(|kib| kib * 1024)
            .expect("VmHWM in /proc/<pid>/status")
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
