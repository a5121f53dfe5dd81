//! What a calendar connector needs to read its calendar, all of it sealed
//! in the vault: the address (an ICS feed's address *is* its credential)
//! and the optional CalDAV user name and password. The database row keeps
//! only a redacted form of the address (`https://host/…`) and a hash that
//! tells two calendars of one person apart.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::connectors::vault::{Vault, VaultError};
use crate::error::{AppError, AppResult};

const URL_MAX: usize = 2000;
const USERNAME_MAX: usize = 200;
const PASSWORD_MAX: usize = 500;

#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct CalendarAccess {
    pub url: String,
    pub username: Option<String>,
    pub password: Option<String>,
}

/// Never prints the address or the password.
impl std::fmt::Debug for CalendarAccess {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CalendarAccess([redacted])")
    }
}

impl CalendarAccess {
    pub fn seal(&self, vault: &Vault, connector_id: Uuid) -> Result<String, VaultError> {
        let clear = serde_json::to_string(self).map_err(|_| VaultError::CannotOpen)?;
        vault.seal(connector_id, &clear)
    }

    pub fn open(vault: &Vault, connector_id: Uuid, sealed: &str) -> Result<Self, VaultError> {
        let clear = vault.open(connector_id, sealed)?;
        serde_json::from_str(&clear).map_err(|_| VaultError::CannotOpen)
    }

    /// What the connector row keeps instead of the address:
    /// `https://host/…#<hash>`. The hash (of the address) is the calendar's
    /// identity: configuring the same address again changes that connector.
    pub fn stored_base_url(&self) -> String {
        format!("{}#{}", redact(&self.url), self.identity())
    }

    /// 16 hex digits of SHA-256 of the address: stable, and no way back
    /// to the secret address.
    pub fn identity(&self) -> String {
        let digest = Sha256::digest(self.url.as_bytes());
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}

/// `https://host[:port]/…`: enough for the person to recognise the
/// calendar, nothing of its secret path.
pub fn redact(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(u) => {
            let host = u.host_str().unwrap_or("");
            let port = u.port().map(|p| format!(":{p}")).unwrap_or_default();
            format!("{}://{host}{port}/…", u.scheme())
        }
        Err(_) => "…".to_owned(),
    }
}

/// The stored base URL as people see it (the hash left out).
pub fn shown_base_url(stored: &str) -> &str {
    stored.split_once('#').map_or(stored, |(shown, _)| shown)
}

/// An http(s) address with a host; a query is kept (some servers put the
/// export switch there), a fragment dropped; no user or password in it.
pub fn clean_url(raw: &str) -> AppResult<String> {
    let invalid = |why: &str| AppError::field("baseUrl", why.to_owned());
    let raw = raw.trim();
    if raw.len() > URL_MAX {
        return Err(invalid("must be at most 2000 characters"));
    }
    let mut url = reqwest::Url::parse(raw).map_err(|_| {
        invalid("must be the calendar's http(s) address (for webcal://, use https://)")
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(invalid(
            "must be the calendar's http(s) address (for webcal://, use https://)",
        ));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "must not hold a user name or password; use the username and token fields",
        ));
    }
    url.set_fragment(None);
    Ok(url.into())
}

pub fn check_username(raw: &str) -> AppResult<Option<String>> {
    let name = raw.trim();
    if name.is_empty() {
        return Ok(None);
    }
    if name.len() > USERNAME_MAX || name.contains(':') || name.chars().any(char::is_control) {
        return Err(AppError::field(
            "username",
            format!("must be at most {USERNAME_MAX} characters, without `:`"),
        ));
    }
    Ok(Some(name.to_owned()))
}

/// Passwords may hold spaces; only control characters are refused.
pub fn check_password(raw: &str) -> AppResult<String> {
    if raw.is_empty() || raw.len() > PASSWORD_MAX || raw.chars().any(char::is_control) {
        return Err(AppError::field(
            "token",
            format!("the password must be 1 to {PASSWORD_MAX} characters"),
        ));
    }
    Ok(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_is_shown_redacted_and_never_printed() {
        let access = CalendarAccess {
            url: "https://calendar.google.com/calendar/ical/ada%40example.com/private-0123abcd/basic.ics"
                .into(),
            username: None,
            password: Some("pw".into()),
        };
        let stored = access.stored_base_url();
        assert!(stored.starts_with("https://calendar.google.com/…#"));
        assert!(!stored.contains("private-0123abcd"));
        assert_eq!(shown_base_url(&stored), "https://calendar.google.com/…");
        assert!(!format!("{access:?}").contains("private"));
        assert_eq!(
            redact("http://127.0.0.1:5232/ada/work/"),
            "http://127.0.0.1:5232/…"
        );
    }

    #[test]
    fn only_http_addresses_without_credentials_are_taken() {
        assert!(clean_url("webcal://example.com/a.ics").is_err());
        assert!(clean_url("https://ada:pw@example.com/a.ics").is_err());
        assert!(clean_url("ftp://example.com/a.ics").is_err());
        assert_eq!(
            clean_url(" https://cloud.example.com/dav/cal/?export#x ").unwrap(),
            "https://cloud.example.com/dav/cal/?export"
        );
        assert!(check_username("a:b").is_err());
        assert_eq!(check_username("  ").unwrap(), None);
    }
}
