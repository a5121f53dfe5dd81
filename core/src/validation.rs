//! Input rules. Each check returns a [`FieldError`] naming the offending field
//! so the API can answer VALIDATION with a message the person can act on.

use chrono::{DateTime, Utc};

/// A rejected value: which field, and why, in words for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// The size limits of the domain model (brief §4).
pub struct Limits;

impl Limits {
    pub const TITLE_MAX: usize = 200;
    pub const DESCRIPTION_MAX: usize = 2000;
    pub const NAME_MAX: usize = 100;
    pub const PROJECT_NAME_MAX: usize = 200;
    pub const TAG_NAME_MAX: usize = 50;
    pub const TAGS_PER_ENTRY_MAX: usize = 20;
    pub const EMAIL_MAX: usize = 254;
    pub const PASSWORD_MIN: usize = 8;
    /// Long enough for any passphrase, short enough that hashing stays cheap.
    pub const PASSWORD_MAX: usize = 128;
    /// An entry longer than a day is almost certainly a typo in a date.
    pub const ENTRY_MAX_MINUTES: i64 = 24 * 60;
    pub const BULK_MAX: usize = 100;
    pub const PAGE_MAX: usize = 100;
}

type Check = Result<(), FieldError>;

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Required text: not blank after trimming, at most `max` characters.
pub fn validate_required_text(field: &str, value: &str, max: usize) -> Check {
    if value.trim().is_empty() {
        return Err(FieldError::new(field, "must not be empty"));
    }
    validate_optional_text(field, value, max)
}

/// Optional text: at most `max` characters, no control characters but
/// newlines and tabs.
pub fn validate_optional_text(field: &str, value: &str, max: usize) -> Check {
    if char_len(value) > max {
        return Err(FieldError::new(
            field,
            format!("must be at most {max} characters"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r')
    {
        return Err(FieldError::new(
            field,
            "must not contain control characters",
        ));
    }
    Ok(())
}

/// An entry's time range: end strictly after start, at most a day long.
pub fn validate_time_range(start: DateTime<Utc>, end: DateTime<Utc>) -> Check {
    if end <= start {
        return Err(FieldError::new("endTime", "must be after startTime"));
    }
    if (end - start).num_minutes() > Limits::ENTRY_MAX_MINUTES {
        return Err(FieldError::new(
            "endTime",
            "an entry may last at most 24 hours",
        ));
    }
    Ok(())
}

/// Whole minutes between start and end, as stored in `duration_minutes`.
pub fn duration_minutes(start: DateTime<Utc>, end: DateTime<Utc>) -> i32 {
    i32::try_from((end - start).num_minutes()).unwrap_or(i32::MAX)
}

/// A tag name: 1–50 characters of lowercase letters, digits, `-`, `_`, `.`,
/// `/`, `+` or `#` (for `c++`, `c#`), so tags read the same everywhere.
pub fn validate_tag_name(field: &str, value: &str) -> Check {
    if value.is_empty() || char_len(value) > Limits::TAG_NAME_MAX {
        return Err(FieldError::new(
            field,
            format!("must be 1 to {} characters", Limits::TAG_NAME_MAX),
        ));
    }
    let allowed = |c: char| {
        c.is_lowercase() || c.is_numeric() || matches!(c, '-' | '_' | '.' | '/' | '+' | '#')
    };
    if !value.chars().all(allowed) {
        return Err(FieldError::new(
            field,
            "may hold only lowercase letters, digits and - _ . / + #",
        ));
    }
    Ok(())
}

/// Normalises a tag name the way people type them: trimmed, lowercase,
/// inner spaces as dashes.
pub fn normalize_tag_name(value: &str) -> String {
    value
        .trim()
        .to_lowercase()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("-")
}

/// A valid tag made from any name (a repository, a label): normalised,
/// every other character a dash, cut to the tag length; `None` when
/// nothing remains (`Good first issue` → `good-first-issue`).
pub fn tag_from_name(raw: &str) -> Option<String> {
    let name: String = normalize_tag_name(raw)
        .chars()
        .map(|c| {
            let ok = c.is_lowercase() || c.is_numeric() || matches!(c, '-' | '_' | '.' | '+' | '#');
            if ok { c } else { '-' }
        })
        .take(Limits::TAG_NAME_MAX)
        .collect();
    let name = name.trim_matches('-').to_owned();
    (!name.is_empty()).then_some(name)
}

/// A colour as `#rrggbb`.
pub fn validate_color(field: &str, value: &str) -> Check {
    let ok = value.len() == 7
        && value.starts_with('#')
        && value[1..].chars().all(|c| c.is_ascii_hexdigit());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(field, "must be a colour like #1a2b3c"))
    }
}

/// An IANA time zone name such as `Europe/Paris`.
#[cfg(feature = "server")]
pub fn validate_timezone(field: &str, value: &str) -> Check {
    value
        .parse::<chrono_tz::Tz>()
        .map(|_| ())
        .map_err(|_| FieldError::new(field, "must be an IANA time zone such as Europe/Paris"))
}

/// Lowercases and trims an email; the comparison key for uniqueness.
pub fn normalize_email(value: &str) -> String {
    value.trim().to_lowercase()
}

/// A plausible email address: one `@`, a non-empty local part, a dotted
/// domain, no spaces. Delivery is the only real proof, so no more than that.
pub fn validate_email(field: &str, value: &str) -> Check {
    let bad = || Err(FieldError::new(field, "must be an email address"));
    if value.len() > Limits::EMAIL_MAX || value.chars().any(char::is_whitespace) {
        return bad();
    }
    match value.split_once('@') {
        Some((local, domain))
            if !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.') =>
        {
            Ok(())
        }
        _ => bad(),
    }
}

/// A password of 8 to 128 characters.
pub fn validate_password(field: &str, value: &str) -> Check {
    let n = char_len(value);
    if !(Limits::PASSWORD_MIN..=Limits::PASSWORD_MAX).contains(&n) {
        return Err(FieldError::new(
            field,
            format!(
                "must be {} to {} characters",
                Limits::PASSWORD_MIN,
                Limits::PASSWORD_MAX
            ),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn title_limit_counts_characters_not_bytes() {
        let two_hundred_accents = "é".repeat(200);
        assert!(validate_required_text("title", &two_hundred_accents, 200).is_ok());
        let err = validate_required_text("title", &"a".repeat(201), 200).unwrap_err();
        assert_eq!(err.field, "title");
        assert!(validate_required_text("title", "   ", 200).is_err());
    }

    #[test]
    fn time_range_must_move_forward_and_stay_within_a_day() {
        let start = Utc.with_ymd_and_hms(2026, 3, 1, 23, 30, 0).unwrap();
        let after_midnight = Utc.with_ymd_and_hms(2026, 3, 2, 0, 15, 0).unwrap();
        assert!(validate_time_range(start, after_midnight).is_ok());
        assert_eq!(duration_minutes(start, after_midnight), 45);
        assert!(validate_time_range(start, start).is_err());
        let too_long = Utc.with_ymd_and_hms(2026, 3, 3, 0, 0, 0).unwrap();
        assert!(validate_time_range(start, too_long).is_err());
    }

    #[cfg(feature = "server")]
    #[test]
    fn timezones_must_be_iana_names() {
        assert!(validate_timezone("timezone", "Europe/Paris").is_ok());
        assert!(validate_timezone("timezone", "UTC").is_ok());
        assert!(validate_timezone("timezone", "Mars/Olympus").is_err());
    }

    #[test]
    fn tag_names_are_normalised_then_checked() {
        assert_eq!(normalize_tag_name("  Code Review "), "code-review");
        assert!(validate_tag_name("tags", "code-review").is_ok());
        assert!(validate_tag_name("tags", "no spaces").is_err());
        assert!(validate_tag_name("tags", "").is_err());
    }

    #[test]
    fn emails_and_colours() {
        assert!(validate_email("email", "ada@example.com").is_ok());
        assert!(validate_email("email", "ada@example").is_err());
        assert!(validate_email("email", "a da@example.com").is_err());
        assert!(validate_color("color", "#1A2b3c").is_ok());
        assert!(validate_color("color", "red").is_err());
    }
}
