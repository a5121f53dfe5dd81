//! Small display helpers.

/// "1 entry", "3 entries": `n` with the singular or plural noun.
pub fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Minutes as "45 min", "2 h" or "1 h 30 min".
pub fn duration(minutes: i64) -> String {
    match (minutes / 60, minutes % 60) {
        (0, m) => format!("{m} min"),
        (h, 0) => format!("{h} h"),
        (h, m) => format!("{h} h {m} min"),
    }
}

/// The GraphQL name of a generated enum value (`CODE`, `WEEKLY`).
pub fn enum_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        _ => String::new(),
    }
}

/// A generated enum value from its GraphQL name; `None` for "" (e.g. an
/// "all types" choice). Generated enums accept unknown names (`Other`).
pub fn enum_value<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    if name.is_empty() {
        return None;
    }
    crate::api::decode::from_value(serde_json::Value::String(name.to_owned())).ok()
}

/// `CODE` → "Code", `READ_WRITE` → "Read write".
pub fn label(name: &str) -> String {
    let lower = name.to_ascii_lowercase().replace('_', " ");
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => lower,
    }
}

/// The activity types, in the order the quick-add form offers them.
pub const ACTIVITY_TYPES: [&str; 10] = [
    "CODE",
    "DEBUG",
    "REVIEW",
    "MEETING",
    "PLANNING",
    "DOCS",
    "MENTORING",
    "LEARNING",
    "OPS",
    "ADMIN",
];

/// `x` rounded to `places` decimals (0–3), as "12.5" or "12". Written with
/// integers: Rust's float formatting would add ~19 KB to the wasm, and
/// charts and hours are the app's only floats on screen.
pub fn fixed(x: f64, places: u32) -> String {
    let scale = 10_i64.pow(places.min(3));
    // `as` saturates (and maps NaN to 0), so no value can overflow here.
    let scaled = (x * scale as f64).round() as i64;
    let sign = if scaled < 0 { "-" } else { "" };
    let (whole, fraction) = (
        scaled.unsigned_abs() / scale as u64,
        scaled.unsigned_abs() % scale as u64,
    );
    if places == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole}.{fraction:0width$}",
            width = places.min(3) as usize
        )
    }
}

/// Value ratings, low to high, as the forms offer them.
pub const VALUE_RATINGS: [&str; 3] = ["LOW", "MEDIUM", "HIGH"];

/// Impact levels, narrow to wide, as the forms offer them.
pub const IMPACT_LEVELS: [&str; 4] = ["PERSONAL", "TEAM", "PRODUCT", "COMPANY"];

/// Hours with one decimal, "7.5 h", for day and week totals.
pub fn hours(minutes: i64) -> String {
    format!(
        "{} h",
        fixed(minutes as f64 / 60.0, 1).trim_end_matches(".0")
    )
}
