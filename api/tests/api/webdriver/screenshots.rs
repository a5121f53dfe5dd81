//! Screenshots of the whole page, not only the part in the window:
//! `Page.captureScreenshot` beyond the viewport with a clip of the
//! document's full size (WebDriver's own screenshot command stops at the
//! window's edge).
//!
//! Capturing beyond the viewport lays the page out in a viewport as tall as
//! the document, which has no vertical scrollbar, so the page is laid out a
//! scrollbar wider than in the window; a clip of the width measured in the
//! window cut the right edge off. So scrollbars are hidden while measuring
//! and capturing, and the size is read by a script in the page (which lays
//! the page out first; `Page.getLayoutMetrics` answered the size from before
//! the scrollbars went).

use std::path::Path;

use base64::Engine as _;
use serde_json::json;

use super::Browser;

impl Browser {
    /// Saves a PNG of the whole document (its full width and height, at one
    /// device pixel per CSS pixel), creating parent directories.
    pub async fn screenshot(&self, path: impl AsRef<Path>) {
        let path = path.as_ref();
        self.devtools("Emulation.setScrollbarsHidden", json!({ "hidden": true }))
            .await;
        let (width, height) = self.document_size().await;
        let shot = self
            .devtools(
                "Page.captureScreenshot",
                json!({
                    "format": "png",
                    "captureBeyondViewport": true,
                    "clip": { "x": 0, "y": 0, "width": width, "height": height, "scale": 1 },
                }),
            )
            .await;
        self.devtools("Emulation.setScrollbarsHidden", json!({ "hidden": false }))
            .await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(shot["data"].as_str().expect("a base64 screenshot"))
            .expect("a valid base64 screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot directory");
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("cannot write {}: {e}", path.display()));
    }

    /// The document's size in CSS pixels, never smaller than the window's.
    async fn document_size(&self) -> (u64, u64) {
        let size = self
            .execute(
                "const page = document.documentElement;
                 return [Math.max(page.scrollWidth, window.innerWidth),
                         Math.max(page.scrollHeight, window.innerHeight)];",
                json!([]),
            )
            .await;
        let side = |i: usize| {
            size[i]
                .as_u64()
                .unwrap_or_else(|| panic!("the page's size in whole pixels, got {size}"))
        };
        (side(0), side(1))
    }
}
