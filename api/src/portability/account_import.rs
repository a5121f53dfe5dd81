//! Imports an account document into the caller's account: profile names,
//! time zone and preferences are taken over (never the email or the
//! password); tags and projects are matched by name or created; entries
//! and reports are added with new ids, references (projects of entries and
//! reports, entries cited by reports) following the new ids. Duplicates
//! (an entry already there, a report of the same period and creation time)
//! are skipped, so importing the same file twice adds nothing.

use chrono::Utc;
use englog_core::jobs::Citation;
use englog_core::{ActivityType, InsightStatus};
use entity::{insight, project, tag, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

use super::account_checks::problem;
use super::account_format::{AccountDocument, ReportRecord};
use super::entry_writer::{self, ImportedEntry};
use super::report::ImportProblem;
use crate::error::{AppError, AppResult};
use crate::profile::preferences::Preferences;

/// The entries of the document as import rows (checked by the caller with
/// [`entry_writer::validate`], after [`super::account_checks::validate`]).
pub fn entry_rows(doc: &AccountDocument) -> Vec<ImportedEntry> {
    let project_names: HashMap<Uuid, &str> = doc
        .projects
        .iter()
        .map(|p| (p.id, p.name.as_str()))
        .collect();
    doc.entries
        .iter()
        .map(|e| ImportedEntry {
            line: 0,
            item: Some(format!("entry {}", e.id)),
            title: e.title.clone(),
            description: e.description.clone(),
            activity_type: e.activity_type.parse().unwrap_or(ActivityType::Code),
            project: e
                .project_id
                .and_then(|p| project_names.get(&p))
                .map(|n| (*n).to_owned()),
            tags: e.tags.clone(),
            start_time: e.start_time,
            end_time: e.end_time,
            value_rating: e.value_rating.parse().unwrap_or_default(),
            impact_level: e.impact_level.parse().unwrap_or_default(),
            is_draft: e.is_draft,
            source: e.source.clone(),
            external_uid: e.external_uid.clone(),
            created_at: Some(e.created_at),
            updated_at: Some(e.updated_at),
        })
        .collect()
}

/// What was written, for the report.
#[derive(Default)]
pub struct Outcome {
    pub imported: usize,
    pub skipped: Vec<ImportProblem>,
}

async fn take_profile(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    doc: &AccountDocument,
) -> AppResult<()> {
    let person = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound("user"))?;
    let mut active = person.into_active_model();
    active.first_name = Set(doc.profile.first_name.trim().to_owned());
    active.last_name = Set(doc.profile.last_name.trim().to_owned());
    active.timezone = Set(doc.profile.timezone.clone());
    // Through the typed preferences: unknown keys are dropped, bad values
    // fall back to defaults.
    active.preferences = Set(Preferences::from_json(&doc.preferences).to_json());
    active.updated_at = Set(Utc::now());
    active.update(db).await?;
    Ok(())
}

async fn take_tags(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    doc: &AccountDocument,
    out: &mut Outcome,
) -> AppResult<()> {
    let existing: HashMap<String, tag::Model> = tag::Entity::find()
        .filter(tag::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.name.clone(), t))
        .collect();
    let now = Utc::now();
    for t in &doc.tags {
        match existing.get(&t.name) {
            Some(current) => {
                let mut active = current.clone().into_active_model();
                active.category = Set(t.category.clone());
                active.color = Set(t.color.clone());
                active.updated_at = Set(now);
                active.update(db).await?;
            }
            None => {
                tag::ActiveModel {
                    id: Set(Uuid::now_v7()),
                    user_id: Set(user_id),
                    name: Set(t.name.clone()),
                    category: Set(t.category.clone()),
                    color: Set(t.color.clone()),
                    created_at: Set(now),
                    updated_at: Set(now),
                }
                .insert(db)
                .await?;
                out.imported += 1;
            }
        }
    }
    Ok(())
}

/// Old project id → the caller's project id.
async fn take_projects(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    doc: &AccountDocument,
    out: &mut Outcome,
) -> AppResult<HashMap<Uuid, Uuid>> {
    let existing: HashMap<String, Uuid> = project::Entity::find()
        .filter(project::Column::UserId.eq(user_id))
        .all(db)
        .await?
        .into_iter()
        .map(|p| (p.name, p.id))
        .collect();
    let mut ids = HashMap::new();
    for p in &doc.projects {
        let name = p.name.trim().to_owned();
        if let Some(id) = existing.get(&name) {
            ids.insert(p.id, *id);
            out.skipped.push(problem(
                "project",
                p.id,
                format!("a project named `{name}` exists: its entries join it"),
            ));
            continue;
        }
        let id = Uuid::now_v7();
        project::ActiveModel {
            id: Set(id),
            user_id: Set(user_id),
            name: Set(name),
            description: Set(p.description.clone()),
            status: Set(p.status.clone()),
            start_date: Set(p.start_date),
            end_date: Set(p.end_date),
            color: Set(p.color.clone()),
            created_at: Set(p.created_at),
            updated_at: Set(p.updated_at),
        }
        .insert(db)
        .await?;
        ids.insert(p.id, id);
        out.imported += 1;
    }
    Ok(ids)
}

async fn take_reports(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    reports: &[ReportRecord],
    (projects, entries): (&HashMap<Uuid, Uuid>, &HashMap<Uuid, Uuid>),
    out: &mut Outcome,
) -> AppResult<()> {
    let existing: HashSet<(String, chrono::NaiveDate, chrono::NaiveDate, i64)> =
        insight::Entity::find()
            .filter(insight::Column::UserId.eq(user_id))
            .all(db)
            .await?
            .into_iter()
            .map(|i| {
                (
                    i.report_type,
                    i.period_start,
                    i.period_end,
                    i.created_at.timestamp_micros(),
                )
            })
            .collect();
    for r in reports {
        let key = (
            r.report_type.clone(),
            r.period_start,
            r.period_end,
            r.created_at.timestamp_micros(),
        );
        if existing.contains(&key) {
            out.skipped.push(problem(
                "report",
                r.id,
                "duplicate: already imported".into(),
            ));
            continue;
        }
        // A report still being written has no job here: it ends cancelled.
        // Checked before anything is written (account_checks).
        let status: InsightStatus = crate::graphql::enums::parse_stored(&r.status)?;
        let (status, error) = if status.is_active() {
            (
                InsightStatus::Cancelled,
                Some("not finished when the account was exported".to_owned()),
            )
        } else {
            (status, r.error.clone())
        };
        let citations: Vec<Citation> = r
            .citations
            .iter()
            .map(|c| {
                // Markers travel with their entries; a file whose markers do
                // not pair up with its ids keeps the ids only.
                let paired = c.markers.len() == c.entry_ids.len();
                let (entry_ids, markers): (Vec<Uuid>, Vec<u32>) = c
                    .entry_ids
                    .iter()
                    .enumerate()
                    .filter_map(|(i, id)| {
                        let marker = if paired { c.markers[i] } else { 0 };
                        entries.get(id).map(|new| (*new, marker))
                    })
                    .unzip();
                Citation {
                    statement: c.statement.clone(),
                    markers: if paired { markers } else { Vec::new() },
                    entry_ids,
                }
            })
            .filter(|c| !c.entry_ids.is_empty())
            .collect();
        let project_ids: Vec<Uuid> = r
            .project_ids
            .iter()
            .filter_map(|p| projects.get(p))
            .copied()
            .collect();
        insight::ActiveModel {
            id: Set(Uuid::now_v7()),
            user_id: Set(user_id),
            report_type: Set(r.report_type.clone()),
            period_start: Set(r.period_start),
            period_end: Set(r.period_end),
            focus_areas: Set(serde_json::json!(r.focus_areas)),
            project_ids: Set(serde_json::json!(project_ids)),
            status: Set(status),
            content: Set(r.content.clone()),
            sections: Set(r.sections.clone()),
            metrics: Set(r.metrics.clone()),
            citations: Set(Some(
                serde_json::to_value(&citations).map_err(anyhow::Error::from)?,
            )),
            model: Set(r.model.clone()),
            prompt_tokens: Set(r.prompt_tokens),
            completion_tokens: Set(r.completion_tokens),
            started_at: Set(r.started_at),
            finished_at: Set(r.finished_at),
            error: Set(error),
            warnings: Set((!r.warnings.is_empty()).then(|| serde_json::json!(r.warnings))),
            client_request_id: Set(None),
            created_at: Set(r.created_at),
            updated_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
        out.imported += 1;
    }
    Ok(())
}

/// Writes a validated document (see [`super::account_checks::validate`])
/// inside the caller's
/// transaction.
pub async fn write(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    doc: &AccountDocument,
    rows: &[ImportedEntry],
) -> AppResult<Outcome> {
    let mut out = Outcome::default();
    take_profile(db, user_id, doc).await?;
    take_tags(db, user_id, doc, &mut out).await?;
    let projects = take_projects(db, user_id, doc, &mut out).await?;
    let written = entry_writer::write(db, user_id, rows).await?;
    out.imported += written.imported();
    out.skipped.extend(written.skipped.iter().cloned());
    let entries: HashMap<Uuid, Uuid> = doc
        .entries
        .iter()
        .zip(&written.ids)
        .filter_map(|(e, new)| new.map(|n| (e.id, n)))
        .collect();
    take_reports(db, user_id, &doc.reports, (&projects, &entries), &mut out).await?;
    Ok(out)
}
