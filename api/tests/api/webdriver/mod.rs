//! A minimal W3C WebDriver client for the browser tests: it starts Debian's
//! `chromedriver` on a free loopback port, opens one headless Chromium
//! session with a fresh profile, and offers the few commands the tests need.
//!
//! Nothing sleeps to wait for readiness: every wait polls with a deadline.
//! Element commands retry while the element is missing, stale or not yet
//! interactable, because the SPA renders asynchronously.
//!
//! Environment: `CHROMEDRIVER` (default `/usr/bin/chromedriver`) and
//! `CHROMIUM` (default `/usr/bin/chromium`).
//!
//! One file per job: `session` (launch, commands, the end of the session),
//! `elements` (finding, waiting for, reading and using elements), `page`
//! (navigation, window size, scripts, keys, the console), `devtools`
//! (Chrome DevTools commands), `screenshots` (full-page PNGs), `windows`
//! (tabs), `downloads`, `process` (the chromedriver process) and `answers`
//! (what the server answers besides values).

// A small client: not every test uses every command.
#![allow(dead_code)]

use std::process::Child;
use std::time::Duration;

mod answers;
mod devtools;
mod downloads;
mod elements;
mod page;
mod process;
mod screenshots;
mod session;
mod windows;
pub use answers::{LogEntry, WebDriverError};
pub use downloads::wait_for_download;

/// How long element commands and `wait_*` helpers wait by default.
pub const WAIT: Duration = Duration::from_secs(15);
const POLL: Duration = Duration::from_millis(50);
const DRIVER_START: Duration = Duration::from_secs(20);

/// A headless Chromium driven through chromedriver. Dropping it ends the
/// session (closing Chromium) and kills chromedriver, also when a test fails.
pub struct Browser {
    http: reqwest::Client,
    port: u16,
    session: String,
    driver: Child,
    _profile: tempfile::TempDir,
}
