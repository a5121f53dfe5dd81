//! Dates. The profile's time zone is the one to show and ask in: [`Zone`]
//! reads wall clocks through the browser's `Intl` (no time-zone database in
//! the wasm), [`Day`] is calendar arithmetic, and `input` reads typed starts,
//! ends and durations with a message for each refusal. The functions below
//! the modules still use the browser's own zone through `js_sys::Date`; the
//! pages that call them (dashboard, reports, import) are to move to `Zone`.

mod day;
mod input;
mod zone;

pub use day::Day;
pub use input::{parse_duration, parse_end, parse_start, parse_time};
pub use zone::{Wall, Zone, browser_zone, use_sunday_first, use_zone};

use js_sys::Date;

/// `YYYY-MM-DD` of a local date.
pub fn ymd(date: &Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.get_full_year(),
        date.get_month() + 1,
        date.get_date()
    )
}

/// Today, `days` days back (negative: ahead), as `YYYY-MM-DD`.
pub fn days_ago(days: i32) -> String {
    let now = Date::new_0();
    ymd(&local_day(&now, now.get_date() as i32 - days))
}

/// Local midnight of day `day` of `date`'s month; days out of the month's
/// range roll over into the neighbouring months, as in JavaScript.
fn local_day(date: &Date, day: i32) -> Date {
    Date::new_with_year_month_day(date.get_full_year(), date.get_month() as i32, day)
}

/// Local midnight of `YYYY-MM-DD` as an RFC 3339 instant; `None` when the
/// text is not a date.
pub fn local_midnight(day: &str) -> Option<String> {
    let mut parts = day.split('-').map(|p| p.parse::<i32>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    let date = Date::new_with_year_month_day(y as u32, m - 1, d);
    (!date.get_time().is_nan()).then(|| String::from(date.to_iso_string()))
}

/// The day after `YYYY-MM-DD`, at local midnight (an exclusive upper bound).
pub fn local_midnight_after(day: &str) -> Option<String> {
    let start = Date::new(&local_midnight(day)?.as_str().into());
    Some(
        local_day(&start, start.get_date() as i32 + 1)
            .to_iso_string()
            .into(),
    )
}

/// Epoch milliseconds as RFC 3339 (UTC).
pub fn iso(ms: f64) -> String {
    Date::new(&ms.into()).to_iso_string().into()
}
