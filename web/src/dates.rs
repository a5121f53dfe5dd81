//! Dates in the browser's time zone, through `js_sys::Date` (no time-zone
//! database in the wasm).

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

/// The first day of this week (Monday) or month or year, as `YYYY-MM-DD`.
pub fn start_of(unit: &str) -> String {
    let now = Date::new_0();
    let date = match unit {
        "week" => local_day(
            &now,
            now.get_date() as i32 - ((now.get_day() as i32 + 6) % 7),
        ),
        "month" => local_day(&now, 1),
        _ => Date::new_with_year_month_day(now.get_full_year(), 0, 1),
    };
    ymd(&date)
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

/// The start of an entry typed the quick way, in epoch milliseconds:
/// empty or `now` → now; `-45`, `-45m`, `-1h`, `-1h30` → that long ago;
/// `9:30`/`09:30` → today at that time; `YYYY-MM-DD HH:MM` → then.
pub fn parse_start(text: &str, now_ms: f64) -> Option<f64> {
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() || text == "now" {
        return Some(now_ms);
    }
    if let Some(ago) = text.strip_prefix('-') {
        return Some(now_ms - parse_minutes(ago)? as f64 * 60_000.0);
    }
    let (day, time) = match text.split_once([' ', 't']) {
        Some((day, time)) => (Some(day), time),
        None => (None, text.as_str()),
    };
    let (h, m) = time.split_once(':')?;
    let (h, m): (u32, u32) = (h.parse().ok()?, m.parse().ok()?);
    if h > 23 || m > 59 {
        return None;
    }
    let date = match day {
        Some(day) => Date::new(&local_midnight(day)?.as_str().into()),
        None => Date::new(&now_ms.into()),
    };
    date.set_hours(h);
    date.set_minutes(m);
    date.set_seconds(0);
    date.set_milliseconds(0);
    let ms = date.get_time();
    (!ms.is_nan()).then_some(ms)
}

/// A duration typed as `45`, `45m`, `1h`, `1h30`, `1.5h` → minutes.
pub fn parse_minutes(text: &str) -> Option<i64> {
    let text = text.trim().to_ascii_lowercase();
    let minutes = if let Some((h, rest)) = text.split_once('h') {
        let hours = decimal(h.trim())?;
        let rest = rest.trim().trim_end_matches("min").trim_end_matches('m');
        let extra: f64 = if rest.is_empty() { 0.0 } else { decimal(rest)? };
        hours * 60.0 + extra
    } else {
        decimal(text.trim_end_matches("min").trim_end_matches('m').trim())?
    };
    (minutes > 0.0 && minutes <= 24.0 * 60.0).then_some(minutes.round() as i64)
}

/// "90", "1.5" or ".5": digits with at most one decimal point, nothing else.
/// Not `str::parse::<f64>`, whose general algorithm (exponents, infinities,
/// exact rounding) adds ~5 KB to the wasm for a duration field.
fn decimal(text: &str) -> Option<f64> {
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    let digits_only = whole
        .bytes()
        .chain(fraction.bytes())
        .all(|b| b.is_ascii_digit());
    if !digits_only || (whole.is_empty() && fraction.is_empty()) {
        return None;
    }
    let whole = if whole.is_empty() {
        0.0
    } else {
        f64::from(whole.parse::<u32>().ok()?)
    };
    let (fraction, _) = fraction
        .bytes()
        .take(9)
        .fold((0.0, 0.1), |(sum, place), digit| {
            (sum + f64::from(digit - b'0') * place, place / 10.0)
        });
    Some(whole + fraction)
}

/// Epoch milliseconds as RFC 3339 (UTC).
pub fn iso(ms: f64) -> String {
    Date::new(&ms.into()).to_iso_string().into()
}

/// An RFC 3339 instant in local time as `YYYY-MM-DD HH:MM`, the format
/// [`parse_start`] reads back.
pub fn local_input(rfc3339: &str) -> String {
    crate::format::local_datetime(rfc3339)
}
