//! Builds the account document from the caller's rows, and only theirs.

use chrono::Utc;
use englog_core::jobs::Citation;
use entity::{entry_suggestion, insight, log_entry, project, tag, user, user_skill};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::account_format::{
    AccountDocument, CitationRecord, EntryRecord, FORMAT, ProfileRecord, ProjectRecord,
    ReportRecord, SkillRecord, SuggestionRecord, TagRecord, VERSION,
};
use crate::entries::views::load_views;
use crate::error::{AppError, AppResult};

fn project_record(p: project::Model) -> ProjectRecord {
    ProjectRecord {
        id: p.id,
        name: p.name,
        description: p.description,
        status: p.status,
        start_date: p.start_date,
        end_date: p.end_date,
        color: p.color,
        created_at: p.created_at,
        updated_at: p.updated_at,
    }
}

fn report_record(r: insight::Model) -> ReportRecord {
    let citations: Vec<Citation> = r
        .citations
        .and_then(|c| serde_json::from_value(c).ok())
        .unwrap_or_default();
    ReportRecord {
        id: r.id,
        report_type: r.report_type,
        period_start: r.period_start,
        period_end: r.period_end,
        focus_areas: serde_json::from_value(r.focus_areas).unwrap_or_default(),
        project_ids: serde_json::from_value(r.project_ids).unwrap_or_default(),
        status: r.status.to_string(),
        content: r.content,
        sections: r.sections,
        metrics: r.metrics,
        citations: citations
            .into_iter()
            .map(|c| CitationRecord {
                statement: c.statement,
                entry_ids: c.entry_ids,
                markers: c.markers,
            })
            .collect(),
        model: r.model,
        prompt_tokens: r.prompt_tokens,
        completion_tokens: r.completion_tokens,
        error: r.error,
        warnings: r
            .warnings
            .and_then(|w| serde_json::from_value(w).ok())
            .unwrap_or_default(),
        started_at: r.started_at,
        finished_at: r.finished_at,
        created_at: r.created_at,
    }
}

pub async fn export(db: &DatabaseConnection, user_id: Uuid) -> AppResult<AccountDocument> {
    let person = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let projects = project::Entity::find()
        .filter(project::Column::UserId.eq(user_id))
        .order_by_asc(project::Column::Name)
        .all(db)
        .await?;
    let tags = tag::Entity::find()
        .filter(tag::Column::UserId.eq(user_id))
        .order_by_asc(tag::Column::Name)
        .all(db)
        .await?;
    let entries = log_entry::Entity::find()
        .filter(log_entry::Column::UserId.eq(user_id))
        .order_by_asc(log_entry::Column::StartTime)
        .order_by_asc(log_entry::Column::Id)
        .all(db)
        .await?;
    // In slices: a tag lookup per slice stays within every bind limit.
    let mut views = Vec::with_capacity(entries.len());
    let mut rest = entries;
    while !rest.is_empty() {
        let tail = rest.split_off(rest.len().min(1_000));
        views.extend(load_views(db, user_id, rest).await?);
        rest = tail;
    }
    let entries = views;
    let reports = insight::Entity::find()
        .filter(insight::Column::UserId.eq(user_id))
        .order_by_asc(insight::Column::CreatedAt)
        .order_by_asc(insight::Column::Id)
        .all(db)
        .await?;
    let suggestions = entry_suggestion::Entity::find()
        .filter(entry_suggestion::Column::UserId.eq(user_id))
        .order_by_asc(entry_suggestion::Column::CreatedAt)
        .order_by_asc(entry_suggestion::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SuggestionRecord {
            entry_id: s.entry_id,
            field: s.field,
            value: s.value,
            reason: s.reason,
            status: s.status.to_string(),
            created_at: s.created_at,
        })
        .collect();
    let skills = user_skill::Entity::find()
        .filter(user_skill::Column::UserId.eq(user_id))
        .order_by_asc(user_skill::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| SkillRecord {
            name: s.name,
            removed: s.removed,
            created_at: s.created_at,
        })
        .collect();
    Ok(AccountDocument {
        suggestions,
        skills,
        format: FORMAT.into(),
        version: VERSION,
        exported_at: Utc::now(),
        profile: ProfileRecord {
            email: person.email,
            first_name: person.first_name,
            last_name: person.last_name,
            timezone: person.timezone,
            email_verified: person.email_verified,
            created_at: person.created_at,
        },
        preferences: person.preferences,
        projects: projects.into_iter().map(project_record).collect(),
        tags: tags
            .into_iter()
            .map(|t| TagRecord {
                id: t.id,
                name: t.name,
                category: t.category,
                color: t.color,
            })
            .collect(),
        entries: entries
            .into_iter()
            .map(|v| {
                let e = v.entry;
                EntryRecord {
                    id: e.id,
                    title: e.title,
                    description: e.description,
                    activity_type: e.activity_type,
                    project_id: e.project_id,
                    tags: v.tags,
                    start_time: e.start_time,
                    end_time: e.end_time,
                    duration_minutes: e.duration_minutes,
                    value_rating: e.value_rating,
                    impact_level: e.impact_level,
                    is_draft: e.is_draft,
                    source: e.source,
                    external_uid: e.external_uid,
                    created_at: e.created_at,
                    updated_at: e.updated_at,
                }
            })
            .collect(),
        reports: reports.into_iter().map(report_record).collect(),
    })
}
