//! Sentiment and skills over a period, by local day of the caller's time
//! zone, from the suggestions not dismissed (accepted or still pending: a
//! reading of the entry, not a field of it).

use chrono::NaiveDate;
use chrono_tz::Tz;
use englog_core::SuggestionStatus;
use englog_core::enrichment::{Sentiment, SuggestionField};
use englog_core::metrics::Period;
use entity::{entry_suggestion, log_entry, user};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// One day's sentiment.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SentimentDay {
    pub date: NaiveDate,
    pub counts: BTreeMap<Sentiment, u32>,
    pub score_sum: f64,
    pub entries: u32,
}

/// One skill over the period.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillSeries {
    pub skill: String,
    pub total: u32,
    pub by_day: BTreeMap<NaiveDate, u32>,
}

/// The signals of `field` for the caller's entries in `period`, each with
/// the entry's local start day.
async fn signals(
    db: &DatabaseConnection,
    user_id: Uuid,
    period: Period,
    field: SuggestionField,
) -> AppResult<Vec<(NaiveDate, serde_json::Value)>> {
    let user = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthenticated)?;
    let tz: Tz = user.timezone.parse().unwrap_or(chrono_tz::UTC);
    let (from, to) = period.utc_bounds(tz);
    let days: HashMap<Uuid, NaiveDate> = log_entry::Entity::find()
        .select_only()
        .column(log_entry::Column::Id)
        .column(log_entry::Column::StartTime)
        .filter(log_entry::Column::UserId.eq(user_id))
        .filter(log_entry::Column::StartTime.gte(from))
        .filter(log_entry::Column::StartTime.lt(to))
        .into_tuple::<(Uuid, chrono::DateTime<chrono::Utc>)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, start)| (id, start.with_timezone(&tz).date_naive()))
        .collect();
    let rows = entry_suggestion::Entity::find()
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .filter(entry_suggestion::Column::Field.eq(field.as_str()))
        .filter(entry_suggestion::Column::Status.ne(SuggestionStatus::Dismissed))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| days.get(&r.entry_id).map(|d| (*d, r.value)))
        .filter(|(d, _)| period.contains(*d))
        .collect())
}

pub async fn sentiment(
    db: &DatabaseConnection,
    user_id: Uuid,
    period: Period,
) -> AppResult<Vec<SentimentDay>> {
    let mut days: BTreeMap<NaiveDate, SentimentDay> = BTreeMap::new();
    for (date, value) in signals(db, user_id, period, SuggestionField::Sentiment).await? {
        let (Some(label), Some(score)) = (
            value["label"].as_str().and_then(Sentiment::parse),
            value["score"].as_f64(),
        ) else {
            continue;
        };
        let day = days.entry(date).or_insert_with(|| SentimentDay {
            date,
            ..SentimentDay::default()
        });
        *day.counts.entry(label).or_default() += 1;
        day.score_sum += score;
        day.entries += 1;
    }
    Ok(days.into_values().collect())
}

pub async fn skills(
    db: &DatabaseConnection,
    user_id: Uuid,
    period: Period,
) -> AppResult<Vec<SkillSeries>> {
    let mut series: BTreeMap<String, SkillSeries> = BTreeMap::new();
    for (date, value) in signals(db, user_id, period, SuggestionField::Skills).await? {
        let names: Vec<String> = serde_json::from_value(value).unwrap_or_default();
        for name in names {
            let s = series.entry(name.clone()).or_insert_with(|| SkillSeries {
                skill: name,
                total: 0,
                by_day: BTreeMap::new(),
            });
            s.total += 1;
            *s.by_day.entry(date).or_default() += 1;
        }
    }
    let mut out: Vec<SkillSeries> = series.into_values().collect();
    out.sort_by(|a, b| b.total.cmp(&a.total).then(a.skill.cmp(&b.skill)));
    Ok(out)
}
