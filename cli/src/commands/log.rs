//! `englog log "…"`: one entry from a quick-add line and flags. Flags win
//! over the line's inline tokens; what neither says has a default (30
//! minutes ending now; the profile's default activity type, CODE unless
//! changed in the web app's settings).

use chrono::{DateTime, TimeDelta, Utc};
use englog_core::quick_add;
use englog_core::{ActivityType, ImpactLevel, ValueRating};

use super::print_json;
use crate::args;
use crate::entry::EntryData;
use crate::error::CliError;
use crate::gql::ops::{CreateLogEntry, create_log_entry};
use crate::lookup;
use crate::profile;
use crate::times::{self, Clock};

pub const AFTER_HELP: &str = "Inline tokens in the title: #tag  +Project  +\"Two words\"  \
!low|!medium|!high  @personal|@team|@product|@company  \
~admin|code|debug|docs|learning|meeting|mentoring|ops|planning|review  -45m|-1h30m (started that long ago, ends now).\n\
Times: now, -45m, 14:30 (today), \"2026-03-02 14:30\" (in your profile's time zone) or RFC 3339.\n\n\
Exit codes: 0 ok; 1 the server refused the request; 2 usage; 3 not logged in or token rejected; 4 server unreachable.";

/// Without a duration or start, an entry lasts this long, ending now.
const DEFAULT_MINUTES: i64 = 30;

#[derive(Debug, clap::Args)]
pub struct LogArgs {
    /// The title, with optional inline tokens (quote it: `#` starts a shell comment).
    pub line: String,
    /// Activity type (e.g. review, code, meeting).
    #[arg(short = 't', long = "type", value_parser = args::activity_type)]
    pub activity_type: Option<ActivityType>,
    /// Project by name (case-insensitive).
    #[arg(short, long)]
    pub project: Option<String>,
    /// A tag (repeatable), added to the inline #tags.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// How long it took (45m, 1h30m); ends at --end or now.
    #[arg(short, long, value_name = "DURATION")]
    pub duration: Option<String>,
    /// When it started (now, -45m, 14:30, "2026-03-02 14:30").
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub start: Option<String>,
    /// When it ended (default: now, or --start plus --duration).
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub end: Option<String>,
    #[arg(long, value_parser = args::value_rating)]
    pub value: Option<ValueRating>,
    #[arg(long, value_parser = args::impact_level)]
    pub impact: Option<ImpactLevel>,
    /// A longer description.
    #[arg(long)]
    pub note: Option<String>,
    /// Create it as a draft to review later.
    #[arg(long)]
    pub draft: bool,
    /// Print the created entry as JSON.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(a: LogArgs) -> Result<(), CliError> {
    let parsed = quick_add::parse(&a.line);
    if parsed.title.is_empty() {
        return Err(CliError::usage(
            "the entry needs a title besides its tokens, e.g. englog log \"Reviewed PR 812 #payments\"",
        ));
    }
    let (api, profile) = profile::connect().await?;
    let clock = profile.clock();
    let duration = a.duration.as_deref().map(times::duration).transpose()?;
    let (start, end) = window(
        &clock,
        a.start.as_deref(),
        a.end.as_deref(),
        duration.or(parsed.started_ago),
    )?;
    let project_id = match a.project.or(parsed.project) {
        Some(name) => Some(lookup::project_id(&api, &name).await?),
        None => None,
    };
    let mut tags = parsed.tags;
    for t in a.tags {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let input = create_log_entry::CreateLogEntryInput {
        title: parsed.title,
        activity_type: a
            .activity_type
            .or(parsed.activity_type)
            .map(Into::into)
            .unwrap_or(profile.default_type),
        start_time: start,
        end_time: end,
        description: a.note,
        project_id,
        tags,
        value_rating: a.value.or(parsed.value).map(Into::into),
        impact_level: a.impact.or(parsed.impact).map(Into::into),
        is_draft: a.draft,
    };
    let vars = create_log_entry::Variables { input };
    let entry = api.run_as::<CreateLogEntry, EntryData>(vars).await?.entry;
    if a.json {
        return print_json(&entry);
    }
    println!("Logged {}:", entry.short_id());
    print!("{}", entry.describe(profile.tz));
    Ok(())
}

/// Start and end from the flags: any two of start, end and duration, or
/// one of them with the rest defaulted (end now, 30 minutes).
pub fn window(
    clock: &Clock,
    start: Option<&str>,
    end: Option<&str>,
    duration: Option<TimeDelta>,
) -> Result<(DateTime<Utc>, DateTime<Utc>), CliError> {
    let start = start.map(|s| clock.instant(s)).transpose()?;
    let end = end.map(|e| clock.instant(e)).transpose()?;
    let default = TimeDelta::minutes(DEFAULT_MINUTES);
    Ok(match (start, end, duration) {
        (Some(_), Some(_), Some(_)) => {
            return Err(CliError::usage(
                "give at most two of --start, --end and --duration",
            ));
        }
        (Some(s), Some(e), None) => (s, e),
        (Some(s), None, Some(d)) => (s, s + d),
        (Some(s), None, None) => (s, clock.now.max(s + TimeDelta::minutes(1))),
        (None, Some(e), d) => (e - d.unwrap_or(default), e),
        (None, None, d) => (clock.now - d.unwrap_or(default), clock.now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> Clock {
        Clock {
            now: "2026-03-02T09:00:00Z".parse().unwrap(),
            tz: chrono_tz::UTC,
        }
    }

    #[test]
    fn windows_default_to_half_an_hour_ending_now() {
        let c = clock();
        let w = |s, e, d: Option<i64>| {
            window(&c, s, e, d.map(TimeDelta::minutes))
                .map(|(a, b)| (a.format("%H:%M").to_string(), b.format("%H:%M").to_string()))
        };
        let hm = |a: &str, b: &str| Ok((a.to_owned(), b.to_owned()));
        assert_eq!(w(None, None, None), hm("08:30", "09:00"));
        assert_eq!(w(None, None, Some(45)), hm("08:15", "09:00"));
        assert_eq!(w(Some("-45m"), Some("now"), None), hm("08:15", "09:00"));
        assert_eq!(w(Some("07:00"), None, Some(90)), hm("07:00", "08:30"));
        assert_eq!(w(Some("07:00"), None, None), hm("07:00", "09:00"));
        assert_eq!(w(None, Some("08:00"), None), hm("07:30", "08:00"));
        assert!(matches!(
            w(Some("07:00"), Some("08:00"), Some(10)),
            Err(CliError::Usage(_))
        ));
    }
}
