//! `englog ls`: entries of a period, newest first, grouped by local day
//! (or `--json`, an array of entries).

use chrono::NaiveDate;
use englog_core::ActivityType;
use serde::Deserialize;

use super::print_json;
use crate::entry::Entry;
use crate::error::CliError;
use crate::gql::Api;
use crate::gql::ops::{LogEntries, log_entries};
use crate::period::{self, Days};
use crate::profile::{self, Profile};
use crate::{args, lookup, table};

/// The API's largest page.
const PAGE: usize = 100;

#[derive(Debug, clap::Args)]
pub struct LsArgs {
    /// Only today (in your profile's time zone).
    #[arg(long, conflicts_with_all = ["week", "from", "to"])]
    pub today: bool,
    /// Only this week (starting on your profile's first weekday).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub week: bool,
    /// From this day (YYYY-MM-DD, today, yesterday), inclusive.
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// To this day, inclusive.
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    /// Only this project (by name).
    #[arg(short, long)]
    pub project: Option<String>,
    /// Only these activity types (repeatable).
    #[arg(short = 't', long = "type", value_parser = args::activity_type)]
    pub types: Vec<ActivityType>,
    /// Only entries with any of these tags (repeatable).
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,
    /// Only entries whose title or note contains this text.
    #[arg(long)]
    pub search: Option<String>,
    /// Only drafts (entries waiting for review).
    #[arg(long)]
    pub drafts: bool,
    /// At most this many entries, newest first.
    #[arg(long, default_value_t = 100)]
    pub limit: usize,
    /// Print the entries as a JSON array.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(a: LsArgs) -> Result<(), CliError> {
    let (api, profile) = profile::connect().await?;
    let days = days(&a, &profile)?;
    let (from, to) = match days {
        Some(d) => {
            let (from, to) = d.instants(profile.tz);
            (Some(from), Some(to))
        }
        None => (None, None),
    };
    let project_id = match &a.project {
        Some(name) => Some(lookup::project_id(&api, name).await?),
        None => None,
    };
    let filter = log_entries::LogEntryFilter {
        from,
        to,
        project_id,
        types: (!a.types.is_empty()).then(|| a.types.iter().map(|t| (*t).into()).collect()),
        tags: (!a.tags.is_empty()).then_some(a.tags),
        search: a.search,
        draft: a.drafts.then_some(true),
        impact_levels: None,
        value_ratings: None,
    };
    let entries = fetch(&api, Some(filter), a.limit).await?;
    if a.json {
        return print_json(&entries);
    }
    if entries.is_empty() {
        println!("No entries.");
        return Ok(());
    }
    print!("{}", table::by_day(&entries, profile.tz));
    Ok(())
}

/// The local days the flags name, if any.
fn days(a: &LsArgs, profile: &Profile) -> Result<Option<Days>, CliError> {
    let clock = profile.clock();
    let today = clock.today();
    if a.today {
        return Ok(Some(Days {
            from: today,
            to: today,
        }));
    }
    if a.week {
        return Ok(Some(period::week_of(today, profile.week_start)));
    }
    let parse = |d: &Option<String>| d.as_deref().map(|d| clock.date(d)).transpose();
    let (from, to) = (parse(&a.from)?, parse(&a.to)?);
    match (from, to) {
        (None, None) => Ok(None),
        (from, to) => {
            let from = from.unwrap_or(NaiveDate::MIN);
            let to = to.unwrap_or(today.max(from));
            if to < from {
                return Err(CliError::usage("--to is before --from"));
            }
            Ok(Some(Days { from, to }))
        }
    }
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    log_entries: Connection,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Connection {
    nodes: Vec<Entry>,
    page_info: PageInfo,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

/// Up to `limit` entries matching `filter`, newest first, page by page.
pub async fn fetch(
    api: &Api,
    filter: Option<log_entries::LogEntryFilter>,
    limit: usize,
) -> Result<Vec<Entry>, CliError> {
    let mut out = Vec::new();
    let mut after = None;
    while out.len() < limit {
        let first = (limit - out.len()).min(PAGE);
        let vars = log_entries::Variables {
            first: Some(first as i64),
            after: after.take(),
            filter: filter.clone(),
        };
        let page = api.run_as::<LogEntries, Page>(vars).await?.log_entries;
        out.extend(page.nodes);
        match page.page_info {
            PageInfo {
                has_next_page: true,
                end_cursor: Some(cursor),
            } => after = Some(cursor),
            _ => break,
        }
    }
    out.truncate(limit);
    Ok(out)
}
