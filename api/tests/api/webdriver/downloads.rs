//! Files the page saves (a blob link with `download`): Chromium is told to
//! save them without asking into a directory the test reads.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::json;

use super::{Browser, POLL};

impl Browser {
    /// Lets the page save files, into `dir` (a Chrome DevTools command;
    /// headless Chromium refuses downloads otherwise).
    pub async fn allow_downloads(&self, dir: &Path) {
        let params = json!({
            "behavior": "allow",
            "downloadPath": dir.to_str().expect("a UTF-8 download directory"),
        });
        self.devtools("Browser.setDownloadBehavior", params).await;
    }
}

/// Waits until `dir/name` is completely saved (Chromium writes to a
/// `.crdownload` file first) and returns its bytes.
pub async fn wait_for_download(dir: &Path, name: &str, timeout: Duration) -> Vec<u8> {
    let path: PathBuf = dir.join(name);
    let partial = dir.join(format!("{name}.crdownload"));
    let deadline = Instant::now() + timeout;
    loop {
        if path.exists() && !partial.exists() {
            return std::fs::read(&path).unwrap_or_else(|e| panic!("cannot read {path:?}: {e}"));
        }
        assert!(
            Instant::now() < deadline,
            "{name} was not downloaded within {timeout:?}"
        );
        tokio::time::sleep(POLL).await;
    }
}
