//! Start, end and duration as people type them, read in the profile's zone.
//! Every refusal is a sentence for the field's error line: an impossible
//! value is never "corrected" into another one and sent.

use super::{Day, Wall, Zone};

const MINUTE_MS: f64 = 60_000.0;
const MAX_MINUTES: i64 = 24 * 60;

/// A start: empty or `now` → now; `-45m`, `-1h30` → that long ago; `9:30`
/// → today at that time; `2025-03-14 09:30` → then. Epoch milliseconds.
pub fn parse_start(text: &str, now_ms: f64, zone: &Zone) -> Result<f64, String> {
    let text = text.trim().to_ascii_lowercase();
    if text.is_empty() || text == "now" {
        return Ok(now_ms);
    }
    if let Some(ago) = text.strip_prefix('-') {
        let minutes = parse_duration(ago)?;
        return Ok(now_ms - minutes as f64 * MINUTE_MS);
    }
    parse_time(&text, now_ms, zone)
}

/// An end: `17:30` (the start's day) or `2025-03-14 17:30`.
pub fn parse_end(text: &str, start_ms: f64, zone: &Zone) -> Result<f64, String> {
    let end = parse_time(text.trim(), start_ms, zone)?;
    if end <= start_ms {
        return Err("The end must be after the start.".into());
    }
    if end - start_ms > MAX_MINUTES as f64 * MINUTE_MS {
        return Err("An entry lasts at most 24 h.".into());
    }
    Ok(end)
}

/// `HH:MM` on the day of `base_ms`, or `YYYY-MM-DD HH:MM`, in `zone`.
pub fn parse_time(text: &str, base_ms: f64, zone: &Zone) -> Result<f64, String> {
    let (day, time) = match text.split_once([' ', 't', 'T']) {
        Some((day, time)) => (Day::parse(day)?, time.trim()),
        None => (zone.wall(base_ms).day, text),
    };
    let minute = parse_clock(time)?;
    Ok(zone.instant(Wall { day, minute }))
}

/// `9:30`, `09:30` → minutes after midnight.
fn parse_clock(text: &str) -> Result<i64, String> {
    let bad = || format!("“{text}” is not a time: write 9:30, -45m or 2025-03-14 09:30.");
    let (h, m) = text.split_once(':').ok_or_else(bad)?;
    let number = |s: &str| {
        (!s.is_empty() && s.len() <= 2 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<i64>().ok())
            .flatten()
    };
    let (Some(h), Some(m)) = (number(h), number(m).filter(|_| m.len() == 2)) else {
        return Err(bad());
    };
    if h > 23 || m > 59 {
        return Err(format!("{text} is not a time of day (00:00 to 23:59)."));
    }
    Ok(h * 60 + m)
}

/// A duration: `45`, `45m`, `1h`, `1h30`, `1h30m`, `1.5h` → minutes, more
/// than 0 and at most 24 h. `1h75`, `0m` and `-30m` are refused.
pub fn parse_duration(text: &str) -> Result<i64, String> {
    let text = text.trim().to_ascii_lowercase();
    let hint = "write minutes or hours, e.g. 45m, 1h or 1h30";
    if text.is_empty() {
        return Err(format!("Missing: {hint}."));
    }
    if text.starts_with('-') {
        return Err(format!("{text} is negative: {hint}."));
    }
    let unit = |s: &str| {
        s.trim()
            .trim_end_matches("min")
            .trim_end_matches('m')
            .trim()
            .to_owned()
    };
    let minutes = match text.split_once('h') {
        Some((h, rest)) => {
            let hours = decimal(h.trim()).ok_or_else(|| format!("“{text}”: {hint}."))?;
            let rest = unit(rest);
            let extra = if rest.is_empty() {
                0.0
            } else {
                decimal(&rest).ok_or_else(|| format!("“{text}”: {hint}."))?
            };
            if extra >= 60.0 {
                return Err(format!(
                    "{text}: the minutes after the hours must be under 60."
                ));
            }
            hours * 60.0 + extra
        }
        None => decimal(&unit(&text)).ok_or_else(|| format!("“{text}”: {hint}."))?,
    };
    let minutes = minutes.round() as i64;
    if minutes <= 0 {
        return Err(format!(
            "{text} is no time at all: an entry lasts at least a minute."
        ));
    }
    if minutes > MAX_MINUTES {
        return Err(format!(
            "{text} is over a day: an entry lasts at most 24 h."
        ));
    }
    Ok(minutes)
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
    if !digits_only || (whole.is_empty() && fraction.is_empty()) || whole.len() > 6 {
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
