//! Calendars by URL: an ICS feed (the secret address Google, Outlook and
//! Nextcloud publish) or a CalDAV calendar collection, read whole at each
//! sync and turned into `meeting` drafts by the ICS import's rules
//! (docs/CONNECTORS.md, "Calendars").

pub mod access;
pub mod fetch;
pub mod meetings;
pub mod multistatus;

use chrono::{DateTime, Duration, Utc};
use entity::{connector, user};
use sea_orm::EntityTrait;

use crate::connectors::service::StoredSettings;
use crate::connectors::settings::ConnectorSettings;
use crate::connectors::source::SourceError;
use crate::connectors::sync::namespace;
use crate::error::{AppError, AppResult};
use crate::state::AppState;
use access::CalendarAccess;
use meetings::Meetings;

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

/// How this connector's meetings become drafts: the person's zone and
/// addresses (the account's e-mail, and a CalDAV user name that is one),
/// the project rules, the import's row limit.
pub async fn meetings_of(
    state: &AppState,
    row: &connector::Model,
    access: &CalendarAccess,
) -> AppResult<Meetings> {
    let person = user::Entity::find_by_id(row.user_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let mut me = vec![person.email.to_lowercase()];
    if let Some(user) = access.username.as_ref().filter(|u| u.contains('@')) {
        me.push(user.to_lowercase());
    }
    Ok(Meetings {
        namespace: namespace(&row.kind, &row.base_url),
        tz: person.timezone.parse().unwrap_or(chrono_tz::UTC),
        me,
        projects: StoredSettings::from_json(&row.settings).projects,
        max_rows: state.settings.imports.max_rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        s.parse().expect("timestamp")
    }

    #[test]
    fn the_window_reaches_two_days_before_the_cursor_but_never_past_the_first_sync() {
        let now = utc("2026-12-04T12:00:00Z");
        let first = utc("2026-11-20T12:00:00Z");
        assert_eq!(window(None, first, now), (first, now));
        assert_eq!(
            window(Some("2026-12-04T11:30:00+00:00"), first, now),
            (utc("2026-12-02T11:30:00Z"), now)
        );
        // A cursor older than the first-sync reach, or unreadable.
        assert_eq!(
            window(Some("2026-10-01T00:00:00Z"), first, now),
            (first, now)
        );
        assert_eq!(window(Some("yesterday"), first, now), (first, now));
    }
}
