//! Local wall-clock times to UTC: IANA names through chrono-tz, the
//! Windows names Outlook and Exchange write, and a rule for the times DST
//! skips or repeats.

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// Windows zone names (as Outlook/Exchange write `TZID`s) for the zones
/// people most often work in, after CLDR's `windowsZones.xml` ("001").
const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("UTC", "UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("India Standard Time", "Asia/Kolkata"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    ("Mountain Standard Time", "America/Denver"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("Argentina Standard Time", "America/Buenos_Aires"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
];

/// The zone a `TZID` names: an IANA name (also behind a vendor prefix
/// such as `/mozilla.org/20050126_1/Europe/Berlin`) or a Windows name.
pub fn zone_named(name: &str) -> Option<Tz> {
    let name = name.trim().trim_matches('"');
    if let Ok(tz) = name.parse::<Tz>() {
        return Some(tz);
    }
    if let Some((_, iana)) = WINDOWS_ZONES
        .iter()
        .find(|(windows, _)| windows.eq_ignore_ascii_case(name))
    {
        return iana.parse().ok();
    }
    // A prefixed IANA name: try ever shorter tails (`Europe/Berlin`).
    let parts: Vec<&str> = name.split('/').filter(|p| !p.is_empty()).collect();
    (1..parts.len()).find_map(|skip| parts[skip..].join("/").parse().ok())
}

/// The instant a wall-clock time denotes in `tz`. A time DST repeats takes
/// its first occurrence; a time DST skips is read as if the clock had not
/// jumped yet (02:30 on a spring-forward night becomes 03:30), as
/// calendar programs do.
pub fn to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => tz
            .from_local_datetime(&(local + Duration::hours(1)))
            .earliest()
            .map(|t| t.with_timezone(&Utc)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|d| d.and_hms_opt(h, min, 0))
            .expect("valid")
    }

    #[test]
    fn names_resolve_from_iana_windows_and_prefixed_forms() {
        assert_eq!(zone_named("Europe/Berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(zone_named("\"Europe/Berlin\""), Some(Tz::Europe__Berlin));
        assert_eq!(
            zone_named("W. Europe Standard Time"),
            Some(Tz::Europe__Berlin)
        );
        assert_eq!(
            zone_named("/mozilla.org/20050126_1/America/New_York"),
            Some(Tz::America__New_York)
        );
        assert_eq!(zone_named("Mars/Olympus_Mons"), None);
    }

    #[test]
    fn dst_gaps_and_overlaps_have_one_answer() {
        let berlin = Tz::Europe__Berlin;
        // Summer time: UTC+2.
        assert_eq!(
            to_utc(berlin, at(2026, 10, 20, 10, 0)).map(|t| t.to_rfc3339()),
            Some("2026-10-20T08:00:00+00:00".into())
        );
        // After the October change: UTC+1.
        assert_eq!(
            to_utc(berlin, at(2026, 10, 27, 10, 0)).map(|t| t.to_rfc3339()),
            Some("2026-10-27T09:00:00+00:00".into())
        );
        // 02:30 happens twice on 25 October 2026: the first one (UTC+2).
        assert_eq!(
            to_utc(berlin, at(2026, 10, 25, 2, 30)).map(|t| t.to_rfc3339()),
            Some("2026-10-25T00:30:00+00:00".into())
        );
        // 02:30 never happens on 29 March 2026: read as 03:30 CEST.
        assert_eq!(
            to_utc(berlin, at(2026, 3, 29, 2, 30)).map(|t| t.to_rfc3339()),
            Some("2026-03-29T01:30:00+00:00".into())
        );
    }
}
