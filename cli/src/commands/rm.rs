//! `englog rm ID`: deletes an entry. On a terminal it asks first unless
//! `--yes`; without a terminal it deletes only with `--yes` (a script that
//! forgot it fails with exit code 2 instead of deleting unasked).

use super::print_json;
use crate::error::CliError;
use crate::gql::ops::{DeleteLogEntry, delete_log_entry};
use crate::{lookup, profile, tty};

#[derive(Debug, clap::Args)]
pub struct RmArgs {
    /// The entry: its full id, or the 8 characters `englog ls` shows.
    pub id: String,
    /// Delete without asking (required when stdin is not a terminal).
    #[arg(short, long)]
    pub yes: bool,
    /// Print `{"deleted": ID}`.
    #[arg(long)]
    pub json: bool,
}

pub async fn run(a: RmArgs) -> Result<(), CliError> {
    if !a.yes && !tty::stdin_is_terminal() {
        return Err(CliError::usage(
            "not deleting without confirmation: pass --yes when not at a terminal",
        ));
    }
    let (api, profile) = profile::connect().await?;
    let entry = lookup::entry(&api, &a.id).await?;
    if !a.yes {
        eprint!("{}", entry.describe(profile.tz));
        if !tty::confirm("Delete this entry?")? {
            eprintln!("Nothing deleted.");
            return Ok(());
        }
    }
    let vars = delete_log_entry::Variables { id: entry.id };
    let deleted = api.run::<DeleteLogEntry>(vars).await?.delete_log_entry;
    if a.json {
        return print_json(&serde_json::json!({ "deleted": deleted }));
    }
    println!("Deleted {} ({}).", entry.short_id(), entry.title);
    Ok(())
}
