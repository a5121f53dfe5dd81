//! Small display helpers.

use js_sys::Date;

/// An RFC 3339 instant in the browser's local time, as "2025-03-14 09:30";
/// the raw text if the browser cannot parse it.
pub fn local_datetime(rfc3339: &str) -> String {
    let date = Date::new(&rfc3339.into());
    if date.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date(),
        date.get_hours(),
        date.get_minutes()
    )
}

/// Minutes as "45 min", "2 h" or "1 h 30 min".
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}
