//! The missed-day nudge (issue 14; docs/CONNECTORS.md, "Missed-day
//! nudge"): on a workday morning in a person's time zone, when nothing was
//! confirmed on their previous workday and drafts are waiting, one mail
//! says what is waiting and links to the review; the web app shows the
//! same as a banner (`reviewNudge`). Opt-in (`preferences.missedDayNudge`),
//! at most one mail a day per person.

pub mod claim;
pub mod graphql;
pub mod mail;
pub mod rules;
pub mod schedule;
pub mod settings;
pub mod waiting;
