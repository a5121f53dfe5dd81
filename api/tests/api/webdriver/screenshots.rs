//! Screenshots of the window, as WebDriver takes them.

use std::path::Path;

use base64::Engine as _;
use reqwest::Method;

use super::Browser;

impl Browser {
    /// Saves a PNG screenshot of the window, creating parent directories.
    pub async fn screenshot(&self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        let encoded = self
            .session_command(Method::GET, "/screenshot", None)
            .await
            .unwrap_or_else(|e| panic!("cannot take a screenshot: {e}"));
        let png = base64::engine::general_purpose::STANDARD
            .decode(encoded.as_str().expect("a base64 screenshot"))
            .expect("a valid base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot directory");
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }
}
