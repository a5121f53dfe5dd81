//! Who the token belongs to and the profile settings the client reads
//! times with: time zone, first weekday, default activity type.

use chrono::{DurationRound, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::config;
use crate::error::CliError;
use crate::gql::Api;
use crate::gql::enums::{ActivityType, WeekStart};
use crate::gql::ops::{Me, me};
use crate::times::Clock;

pub struct Profile {
    pub email: String,
    pub name: String,
    pub tz: Tz,
    pub week_start: WeekStart,
    pub default_type: ActivityType,
}

impl Profile {
    pub async fn fetch(api: &Api) -> Result<Self, CliError> {
        let me = api.run::<Me>(me::Variables).await?.me;
        let tz = me.timezone.parse().unwrap_or_else(|_| {
            eprintln!(
                "englog: your profile's time zone `{}` is unknown here; using UTC",
                me.timezone
            );
            Tz::UTC
        });
        Ok(Self {
            email: me.email,
            name: format!("{} {}", me.first_name, me.last_name)
                .trim()
                .to_owned(),
            tz,
            week_start: me.preferences.week_start,
            default_type: me.preferences.default_activity_type,
        })
    }

    /// "Now" to the minute: entries are kept in whole minutes, and an entry
    /// "ending now" should read 10:42, not 10:42:17.351.
    pub fn clock(&self) -> Clock {
        let now = Utc::now();
        Clock {
            now: now.duration_trunc(TimeDelta::minutes(1)).unwrap_or(now),
            tz: self.tz,
        }
    }
}

/// The API with the configured credentials, and the caller's profile.
pub async fn connect() -> Result<(Api, Profile), CliError> {
    let api = Api::new(&config::resolve()?)?;
    let profile = Profile::fetch(&api).await?;
    Ok((api, profile))
}
