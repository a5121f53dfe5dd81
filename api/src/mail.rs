//! The SMTP relay the API sends its own mail through (account notices,
//! missed-day nudges): the same `reports.smtp_url` and sender as report
//! mail.

use englog_worker::mail::Mailer;

use crate::config::Settings;

/// The configured mailer; `None` without `reports.smtp_url` (no mail) or
/// with settings it cannot use (logged).
pub fn mailer(settings: &Settings) -> Option<Mailer> {
    let r = &settings.reports;
    let url = r.smtp_url.as_deref()?;
    match Mailer::new(url, &r.mail_from) {
        Ok(m) => Some(m),
        Err(err) => {
            tracing::warn!(error = %err, "no mail: bad mail settings");
            None
        }
    }
}
