//! Calendar days as plain numbers (days since 1970-01-01), so grouping,
//! weeks and "the day after" are integer arithmetic, with no time zone and
//! no `js_sys::Date` involved.

use std::fmt;

const WEEKDAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A calendar day: days since 1970-01-01 (negative before).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Day(pub i64);

impl Day {
    /// The day of a civil date; `day` may run past the month's end (it then
    /// rolls over), the month must be 1–12. Howard Hinnant's
    /// `days_from_civil`.
    pub fn from_ymd(year: i64, month: u32, day: u32) -> Self {
        let y = if month <= 2 { year - 1 } else { year };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    /// `(year, month 1–12, day 1–31)`.
    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = yoe + era * 400 + i64::from(month <= 2);
        (year, month, day)
    }

    /// `YYYY-MM-DD`, refusing dates that do not exist (`2026-02-30`,
    /// `2026-13-01`) with a sentence that says why.
    pub fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let mut parts = text.split('-');
        let number = |p: Option<&str>, len: usize| {
            p.filter(|p| p.len() == len && p.bytes().all(|b| b.is_ascii_digit()))
                .and_then(|p| p.parse::<u32>().ok())
        };
        let (Some(y), Some(m), Some(d), None) = (
            number(parts.next(), 4),
            number(parts.next(), 2),
            number(parts.next(), 2),
            parts.next(),
        ) else {
            return Err(format!("“{text}” is not a date: write YYYY-MM-DD."));
        };
        if !(1..=12).contains(&m) {
            return Err(format!("{text} is not a date: there is no month {m}."));
        }
        let last = days_in_month(i64::from(y), m);
        if d == 0 || d > last {
            return Err(format!(
                "{text} is not a date: {} {y} has {last} days.",
                MONTHS[m as usize - 1]
            ));
        }
        Ok(Day::from_ymd(i64::from(y), m, d))
    }

    /// 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday).
    pub fn weekday(self) -> usize {
        (self.0 + 4).rem_euclid(7) as usize
    }

    pub fn plus(self, days: i64) -> Self {
        Day(self.0 + days)
    }

    /// The first day of the week holding `self`, weeks starting on Sunday
    /// or Monday.
    pub fn week_start(self, sunday_first: bool) -> Self {
        let back = if sunday_first {
            self.weekday()
        } else {
            (self.weekday() + 6) % 7
        };
        self.plus(-(back as i64))
    }

    /// "Friday", "Monday".
    pub fn weekday_name(self) -> &'static str {
        WEEKDAYS[self.weekday()]
    }

    /// "4 Dec 2026".
    pub fn long(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d} {} {y}", MONTHS[m as usize - 1])
    }

    /// "4 Dec".
    pub fn short(self) -> String {
        let (_, m, d) = self.ymd();
        format!("{d} {}", MONTHS[m as usize - 1])
    }
}

/// `YYYY-MM-DD`, the form URLs, date inputs and the API's `NaiveDate` use.
impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}
