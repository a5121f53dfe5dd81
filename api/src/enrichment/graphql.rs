//! Suggestions on entries, accepting and dismissing them, the skills
//! vocabulary, sentiment and skills trends, and bulk enrichment.

use async_graphql::{ComplexObject, Context, Enum, Json, Object, Result, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use englog_core::enrichment::{Sentiment, SuggestionField};
use englog_core::metrics::{Period, formulas::round2};
use uuid::Uuid;

use super::{queue, service, skills, trends};
use crate::analytics::graphql::PeriodInput;
use crate::auth::require_user;
use crate::entries::graphql::LogEntry;
use crate::entries::service as entries;
use crate::error::AppError;
use crate::graphql::enums::{ActivityTypeGql, ImpactLevelGql, ValueRatingGql};
use crate::state::AppState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(
    name = "SuggestionField",
    remote = "englog_core::enrichment::SuggestionField"
)]
pub enum SuggestionFieldGql {
    ActivityType,
    Project,
    Tags,
    ValueRating,
    ImpactLevel,
    Sentiment,
    Skills,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(name = "Sentiment", remote = "englog_core::enrichment::Sentiment")]
pub enum SentimentGql {
    Frustrated,
    Neutral,
    Satisfied,
    Energised,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "englog_core::SuggestionStatus")]
pub enum SuggestionStatus {
    Pending,
    Accepted,
    Dismissed,
}

/// A value the worker suggests for one field of an entry. Exactly the
/// typed field matching `field` is set; `value` holds it as JSON too.
#[derive(SimpleObject, Clone)]
pub struct EntrySuggestion {
    pub field: SuggestionFieldGql,
    pub status: SuggestionStatus,
    /// One line on why.
    pub reason: String,
    pub value: Json<serde_json::Value>,
    pub activity_type: Option<ActivityTypeGql>,
    pub project_id: Option<Uuid>,
    pub project_name: Option<String>,
    pub tags: Option<Vec<String>>,
    pub value_rating: Option<ValueRatingGql>,
    pub impact_level: Option<ImpactLevelGql>,
    pub sentiment: Option<SentimentGql>,
    /// From -1 (frustrated) to 1 (energised).
    pub sentiment_score: Option<f64>,
    pub skills: Option<Vec<String>>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<entity::entry_suggestion::Model> for EntrySuggestion {
    type Error = AppError;
    fn try_from(m: entity::entry_suggestion::Model) -> Result<Self, AppError> {
        let field = SuggestionField::parse(&m.field)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("stored suggestion field")))?;
        let text = m.value.as_str();
        let list = || serde_json::from_value::<Vec<String>>(m.value.clone()).ok();
        let mut s = EntrySuggestion {
            field: field.into(),
            status: m.status.into(),
            reason: m.reason.clone(),
            value: Json(m.value.clone()),
            activity_type: None,
            project_id: None,
            project_name: None,
            tags: None,
            value_rating: None,
            impact_level: None,
            sentiment: None,
            sentiment_score: None,
            skills: None,
            updated_at: m.updated_at,
        };
        match field {
            SuggestionField::ActivityType => {
                s.activity_type = text
                    .and_then(|t| t.parse::<englog_core::ActivityType>().ok())
                    .map(Into::into)
            }
            SuggestionField::ValueRating => {
                s.value_rating = text
                    .and_then(|t| t.parse::<englog_core::ValueRating>().ok())
                    .map(Into::into)
            }
            SuggestionField::ImpactLevel => {
                s.impact_level = text
                    .and_then(|t| t.parse::<englog_core::ImpactLevel>().ok())
                    .map(Into::into)
            }
            SuggestionField::Project => {
                s.project_id = m.value["id"].as_str().and_then(|v| v.parse().ok());
                s.project_name = m.value["name"].as_str().map(str::to_owned);
            }
            SuggestionField::Tags => s.tags = list(),
            SuggestionField::Skills => s.skills = list(),
            SuggestionField::Sentiment => {
                s.sentiment = m.value["label"]
                    .as_str()
                    .and_then(Sentiment::parse)
                    .map(Into::into);
                s.sentiment_score = m.value["score"].as_f64();
            }
        }
        Ok(s)
    }
}

pub fn to_gql(
    rows: Vec<entity::entry_suggestion::Model>,
) -> Result<Vec<EntrySuggestion>, AppError> {
    rows.into_iter().map(EntrySuggestion::try_from).collect()
}

#[ComplexObject]
impl LogEntry {
    /// What the worker suggests for this entry, one per field; accepted and
    /// dismissed ones stay listed with their status.
    async fn suggestions(&self, ctx: &Context<'_>) -> Result<Vec<EntrySuggestion>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(to_gql(
            service::for_entry(&state.db, user_id, self.id).await?,
        )?)
    }
}

/// A bulk enrichment run.
#[derive(SimpleObject, Clone)]
pub struct EnrichmentBatch {
    pub id: Uuid,
    /// Entries queued.
    pub total: i32,
    /// Entries finished (suggestions stored or dropped).
    pub done: i32,
    pub created_at: DateTime<Utc>,
}

impl From<entity::enrichment_batch::Model> for EnrichmentBatch {
    fn from(m: entity::enrichment_batch::Model) -> Self {
        Self {
            id: m.id,
            total: m.total,
            done: m.done,
            created_at: m.created_at,
        }
    }
}

#[derive(SimpleObject)]
pub struct SentimentCount {
    pub sentiment: SentimentGql,
    pub entries: u32,
}

/// The sentiment of one local day's entries.
#[derive(SimpleObject)]
pub struct SentimentDay {
    pub date: NaiveDate,
    pub entries: u32,
    /// Mean score, from -1 to 1.
    pub average_score: f64,
    pub counts: Vec<SentimentCount>,
}

#[derive(SimpleObject)]
pub struct SkillDay {
    pub date: NaiveDate,
    pub entries: u32,
}

/// How often a skill was exercised in the period, most exercised first.
#[derive(SimpleObject)]
pub struct SkillTrend {
    pub skill: String,
    pub entries: u32,
    pub days: Vec<SkillDay>,
}

fn period(input: PeriodInput) -> Result<Period, AppError> {
    Period::new(input.from, input.to).map_err(AppError::from)
}

#[derive(Default)]
pub struct EnrichmentQuery;

#[Object]
impl EnrichmentQuery {
    /// The caller's skills vocabulary (defaults plus their own), alphabetical.
    async fn skills(&self, ctx: &Context<'_>) -> Result<Vec<String>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(skills::vocabulary(&state.db, user_id).await?)
    }

    /// Sentiment by local day of the period (days without readings left out).
    async fn sentiment_trend(
        &self,
        ctx: &Context<'_>,
        period: PeriodInput,
    ) -> Result<Vec<SentimentDay>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let days = trends::sentiment(&state.db, user_id, self::period(period)?).await?;
        Ok(days
            .into_iter()
            .map(|d| SentimentDay {
                date: d.date,
                entries: d.entries,
                average_score: round2(d.score_sum / f64::from(d.entries.max(1))),
                counts: d
                    .counts
                    .into_iter()
                    .map(|(s, n)| SentimentCount {
                        sentiment: s.into(),
                        entries: n,
                    })
                    .collect(),
            })
            .collect())
    }

    /// Skills exercised in the period, by local day.
    async fn skills_trend(
        &self,
        ctx: &Context<'_>,
        period: PeriodInput,
    ) -> Result<Vec<SkillTrend>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let series = trends::skills(&state.db, user_id, self::period(period)?).await?;
        Ok(series
            .into_iter()
            .map(|s| SkillTrend {
                skill: s.skill,
                entries: s.total,
                days: s
                    .by_day
                    .into_iter()
                    .map(|(date, entries)| SkillDay { date, entries })
                    .collect(),
            })
            .collect())
    }

    async fn enrichment_batch(&self, ctx: &Context<'_>, id: Uuid) -> Result<EnrichmentBatch> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(service::find_batch(&state.db, user_id, id).await?.into())
    }
}

#[derive(Default)]
pub struct EnrichmentMutation;

async fn entry(state: &AppState, user_id: Uuid, id: Uuid) -> Result<LogEntry> {
    Ok(entries::get(&state.db, user_id, id).await?.try_into()?)
}

#[Object]
impl EnrichmentMutation {
    /// Applies one suggestion to the entry (projects and tags are checked
    /// to be the caller's again); other fields stay as they are.
    async fn accept_suggestion(
        &self,
        ctx: &Context<'_>,
        entry_id: Uuid,
        field: SuggestionFieldGql,
    ) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::accept(state, user_id, entry_id, field.into()).await?;
        entry(state, user_id, entry_id).await
    }

    async fn dismiss_suggestion(
        &self,
        ctx: &Context<'_>,
        entry_id: Uuid,
        field: SuggestionFieldGql,
    ) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::dismiss(state, user_id, entry_id, field.into()).await?;
        entry(state, user_id, entry_id).await
    }

    /// Accepts every pending suggestion of the entry.
    async fn accept_all_suggestions(&self, ctx: &Context<'_>, entry_id: Uuid) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::accept_all(state, user_id, entry_id).await?;
        entry(state, user_id, entry_id).await
    }

    /// Dismisses every pending suggestion of the entry.
    async fn dismiss_all_suggestions(&self, ctx: &Context<'_>, entry_id: Uuid) -> Result<LogEntry> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        service::dismiss_all(state, user_id, entry_id).await?;
        entry(state, user_id, entry_id).await
    }

    /// Asks again for suggestions for one entry (whatever `autoEnrich` says).
    async fn enrich_entry(&self, ctx: &Context<'_>, entry_id: Uuid) -> Result<bool> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(queue::request(state, user_id, entry_id, None, true).await?)
    }

    /// Queues enrichment, at low priority, for the entries of a period that
    /// have none (imported history); follow it with `enrichmentProgress`.
    async fn enrich_entries(
        &self,
        ctx: &Context<'_>,
        period: PeriodInput,
    ) -> Result<EnrichmentBatch> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        let period = self::period(period)?;
        Ok(service::enrich_period(state, user_id, period).await?.into())
    }

    /// Adds a skill to the caller's vocabulary; returns the vocabulary.
    async fn add_skill(&self, ctx: &Context<'_>, name: String) -> Result<Vec<String>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(skills::add(&state.db, user_id, &name).await?)
    }

    /// Removes a skill (a default one too); returns the vocabulary.
    async fn remove_skill(&self, ctx: &Context<'_>, name: String) -> Result<Vec<String>> {
        let user_id = require_user(ctx)?;
        let state = ctx.data::<AppState>()?;
        Ok(skills::remove(&state.db, user_id, &name).await?)
    }
}
