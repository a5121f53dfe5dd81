//! Names and short ids people type, resolved to what the API needs: a
//! project by name (case-insensitive), an entry by its full UUID or by the
//! end of it that `ls` shows (among the person's latest entries).

use uuid::Uuid;

use crate::entry::{Entry, EntryData};
use crate::error::CliError;
use crate::gql::Api;
use crate::gql::ops::{LogEntry, Projects, log_entry, projects};

/// How many of the latest entries a short id is looked for in.
const SHORT_ID_WINDOW: usize = 500;
/// Fewer characters than this match too much to be an id.
const SHORT_ID_MIN: usize = 4;

/// The project called `name`: an exact match first, else the one whose
/// name matches ignoring case.
pub async fn project_id(api: &Api, name: &str) -> Result<Uuid, CliError> {
    let list = api.run::<Projects>(projects::Variables).await?.projects;
    let wanted = name.trim();
    if let Some(p) = list.iter().find(|p| p.name == wanted) {
        return Ok(p.id);
    }
    let folded: Vec<_> = list
        .iter()
        .filter(|p| p.name.to_lowercase() == wanted.to_lowercase())
        .collect();
    match folded.as_slice() {
        [one] => Ok(one.id),
        [] => {
            let names: Vec<&str> = list.iter().map(|p| p.name.as_str()).collect();
            let known = if names.is_empty() {
                "you have no projects yet".to_owned()
            } else {
                format!("your projects: {}", names.join(", "))
            };
            Err(CliError::Refused(format!(
                "no project named \"{wanted}\" ({known}); create it in the web app (Projects) first; nothing was changed"
            )))
        }
        _ => Err(CliError::Refused(format!(
            "several projects are named \"{wanted}\" up to case; give the exact name"
        ))),
    }
}

/// The entry `id` names: a full UUID, or the last characters (at least
/// [`SHORT_ID_MIN`]) of the id of one of the latest [`SHORT_ID_WINDOW`]
/// entries.
pub async fn entry(api: &Api, id: &str) -> Result<Entry, CliError> {
    let id = id.trim();
    if let Ok(full) = Uuid::parse_str(id) {
        let vars = log_entry::Variables { id: full };
        return Ok(api.run_as::<LogEntry, EntryData>(vars).await?.entry);
    }
    let suffix = id.to_lowercase().replace('-', "");
    if suffix.len() < SHORT_ID_MIN || !suffix.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(CliError::usage(format!(
            "`{id}` is not an entry id; use the id `englog ls` shows (8 characters) or the full UUID"
        )));
    }
    let recent = crate::commands::ls::fetch(api, None, SHORT_ID_WINDOW).await?;
    let mut found = recent
        .into_iter()
        .filter(|e| e.id.simple().to_string().ends_with(&suffix));
    match (found.next(), found.next()) {
        (Some(one), None) => Ok(one),
        (None, _) => Err(CliError::Refused(format!(
            "none of your latest {SHORT_ID_WINDOW} entries has an id ending with `{id}`; use the full id (`englog ls --json`)"
        ))),
        (Some(_), Some(_)) => Err(CliError::usage(format!(
            "`{id}` matches several entries; give more characters or the full id"
        ))),
    }
}
