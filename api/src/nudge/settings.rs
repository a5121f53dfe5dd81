//! Configuration of the missed-day nudge (docs/CONFIGURATION.md, "Nudge").

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct NudgeSettings {
    /// Run the nudge scheduler in this process (every instance may: the
    /// claim keeps it to one mail a day per person).
    pub scheduler: bool,
    /// The local hour (0–23) from which a workday's nudge may go out.
    pub hour: u32,
    /// How long after `hour` a nudge is still sent (a server that was down
    /// at `hour`, drafts that arrive later in the morning); later the day
    /// is skipped rather than nudged in the afternoon.
    pub window_hours: u32,
    /// The address people open EngLog at, for the mail's review link
    /// (`https://englog.example.org`); unset: `oauth.public_url`, then
    /// `mcp.public_url`; none of them: the mail names the page instead.
    pub public_url: Option<String>,
}

impl Default for NudgeSettings {
    fn default() -> Self {
        Self {
            scheduler: true,
            hour: 8,
            window_hours: 4,
            public_url: None,
        }
    }
}
