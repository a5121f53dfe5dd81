//! Calendars by URL: an ICS feed (the secret address Google, Outlook and
//! Nextcloud publish) or a CalDAV calendar collection, read whole at each
//! sync and turned into `meeting` drafts by the ICS import's rules
//! (docs/CONNECTORS.md, "Calendars").

pub mod access;
pub mod fetch;
pub mod meetings;
pub mod multistatus;

use chrono::{DateTime, Duration, Utc};

use crate::connectors::settings::ConnectorSettings;
use crate::connectors::source::SourceError;
use access::CalendarAccess;

/// Re-read this far before the last sync: meetings are often moved or
/// cancelled after the fact (the same day, the next morning).
pub const OVERLAP: Duration = Duration::days(2);

/// The window a sync reads: from two days before the cursor (the first
/// sync: `first_since`) to now. Nothing after now: a meeting that has not
/// happened is not work done yet.
pub fn window(
    cursor: Option<&str>,
    first_since: DateTime<Utc>,
    now: DateTime<Utc>,
) -> (DateTime<Utc>, DateTime<Utc>) {
    let since = cursor
        .and_then(|c| DateTime::parse_from_rfc3339(c).ok())
        .map_or(first_since, |c| {
            (c.with_timezone(&Utc) - OVERLAP).max(first_since)
        });
    (since.min(now), now)
}

/// Reads the calendar's iCalendar text.
pub async fn read(
    access: &CalendarAccess,
    settings: &ConnectorSettings,
) -> Result<String, SourceError> {
    fetch::CalendarHttp::new(access.clone(), settings)?
        .read()
        .await
}
