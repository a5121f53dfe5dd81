//! `englog edit ID …`: changes what the flags name, keeps the rest.

use chrono::TimeDelta;
use englog_core::{ActivityType, ImpactLevel, ValueRating};

use super::print_json;
use crate::entry::EntryData;
use crate::error::CliError;
use crate::gql::ops::{UpdateLogEntry, update_log_entry};
use crate::{args, lookup, profile, times};

#[derive(Debug, clap::Args)]
pub struct EditArgs {
    /// The entry: its full id, or the 8 characters `englog ls` shows.
    pub id: String,
    #[arg(long)]
    pub title: Option<String>,
    #[arg(short = 't', long = "type", value_parser = args::activity_type)]
    pub activity_type: Option<ActivityType>,
    /// Move it to this project (by name).
    #[arg(short, long)]
    pub project: Option<String>,
    /// The new tags (repeatable); they replace all the current ones.
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// New start (now, -45m, 14:30, "2026-03-02 14:30").
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub start: Option<String>,
    /// New end.
    #[arg(long, value_name = "TIME", allow_hyphen_values = true)]
    pub end: Option<String>,
    /// New duration (45m, 1h30m): the end moves, the start stays.
    #[arg(short, long, value_name = "DURATION", conflicts_with = "end")]
    pub duration: Option<String>,
    #[arg(long, value_parser = args::value_rating)]
    pub value: Option<ValueRating>,
    #[arg(long, value_parser = args::impact_level)]
    pub impact: Option<ImpactLevel>,
    /// New description.
    #[arg(long)]
    pub note: Option<String>,
    /// Confirm a draft (it stops being one).
    #[arg(long)]
    pub confirm: bool,
    /// Print the updated entry as JSON.
    #[arg(long)]
    pub json: bool,
}

impl EditArgs {
    fn changes_nothing(&self) -> bool {
        self.title.is_none()
            && self.activity_type.is_none()
            && self.project.is_none()
            && self.tags.is_empty()
            && self.start.is_none()
            && self.end.is_none()
            && self.duration.is_none()
            && self.value.is_none()
            && self.impact.is_none()
            && self.note.is_none()
            && !self.confirm
    }
}

pub async fn run(a: EditArgs) -> Result<(), CliError> {
    if a.changes_nothing() {
        return Err(CliError::usage(
            "nothing to change: give at least one of --title, -t, -p, --tag, --start, --end, -d, --value, --impact, --note, --confirm",
        ));
    }
    let (api, profile) = profile::connect().await?;
    let clock = profile.clock();
    let current = lookup::entry(&api, &a.id).await?;
    let start = a.start.as_deref().map(|s| clock.instant(s)).transpose()?;
    let mut end = a.end.as_deref().map(|e| clock.instant(e)).transpose()?;
    if let Some(d) = a.duration.as_deref().map(times::duration).transpose()? {
        let from = start.unwrap_or(current.start_time);
        end = Some(from + d);
    } else if let (Some(s), None) = (start, end) {
        // A new start keeps the entry's length.
        end = Some(s + TimeDelta::minutes(current.duration_minutes));
    }
    let project_id = match &a.project {
        Some(name) => Some(lookup::project_id(&api, name).await?),
        None => None,
    };
    let input = update_log_entry::UpdateLogEntryInput {
        title: a.title,
        activity_type: a.activity_type.map(Into::into),
        project_id,
        tags: (!a.tags.is_empty()).then_some(a.tags),
        start_time: start,
        end_time: end,
        value_rating: a.value.map(Into::into),
        impact_level: a.impact.map(Into::into),
        description: a.note,
        is_draft: a.confirm.then_some(false),
    };
    let vars = update_log_entry::Variables {
        id: current.id,
        input,
    };
    let entry = api.run_as::<UpdateLogEntry, EntryData>(vars).await?.entry;
    if a.json {
        return print_json(&entry);
    }
    println!("Updated {}:", entry.short_id());
    print!("{}", entry.describe(profile.tz));
    Ok(())
}
