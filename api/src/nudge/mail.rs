//! The nudge mail: what is waiting, by source, and where to review it.

use chrono::NaiveDate;
use englog_worker::mail::{MailError, Mailer};

use super::waiting::Waiting;
use crate::config::Settings;

/// The SPA's journal, filtered to drafts (the web app's `REVIEW_DRAFTS`).
pub const REVIEW_PATH: &str = "/#/?draft=true";

/// Where people open EngLog (`nudge.public_url`, else `oauth.public_url`,
/// else `mcp.public_url`), without a trailing slash.
pub fn public_url(settings: &Settings) -> Option<String> {
    [
        &settings.nudge.public_url,
        &settings.oauth.public_url,
        &settings.mcp.public_url,
    ]
    .into_iter()
    .flatten()
    .map(|url| url.trim().trim_end_matches('/').to_owned())
    .find(|url| !url.is_empty())
}

pub fn subject(waiting: &Waiting) -> String {
    let noun = if waiting.total == 1 {
        "draft"
    } else {
        "drafts"
    };
    format!("{} {noun} waiting for review in EngLog", waiting.total)
}

/// The plain-text body (CRLF, as SMTP wants).
pub fn body(waiting: &Waiting, missed: NaiveDate, public_url: Option<&str>) -> String {
    let mut text = format!(
        "Good morning,\r\n\r\nNothing is confirmed in your journal for {}, and {}:\r\n\r\n",
        missed.format("%A %-d %B"),
        waiting.message()
    );
    for s in &waiting.by_source {
        text.push_str(&format!("  - {}: {}\r\n", s.label, s.count));
    }
    match public_url {
        Some(url) => text.push_str(&format!("\r\nReview them: {url}{REVIEW_PATH}\r\n")),
        None => text.push_str("\r\nReview them in EngLog's journal, with \"Drafts only\".\r\n"),
    }
    text.push_str(
        "\r\nYou get this mail because the missed-day nudge is on in your \
         EngLog settings; turn it off there.\r\n",
    );
    text
}

pub async fn send(
    mailer: &Mailer,
    settings: &Settings,
    to: &str,
    waiting: &Waiting,
    missed: NaiveDate,
) -> Result<(), MailError> {
    let url = public_url(settings);
    mailer
        .send_text(to, &subject(waiting), body(waiting, missed, url.as_deref()))
        .await
}
