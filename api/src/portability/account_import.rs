//! Imports an account document into the caller's account: profile names,
//! time zone and preferences are taken over (never the email or the
//! password); tags and projects are matched by name or created; entries
//! and reports are added with new ids, references (projects of entries and
//! reports, entries cited by reports) following the new ids. Duplicates
//! (an entry already there, a report of the same period and creation time)
//! are skipped, so importing the same file twice adds nothing.

use chrono::Utc;
use englog_core::jobs::Citation;
use englog_core::validation::{
    validate_color, validate_optional_text, validate_required_text, validate_tag_name,
    validate_timezone,
};
use englog_core::{
    ActivityType, ImpactLevel, InsightStatus, Limits, ProjectStatus, ReportType, TagCategory,
    ValueRating,
};
use entity::{insight, project, tag, user};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, Set,
};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use uuid::Uuid;

use super::account_format::{AccountDocument, FORMAT, ReportRecord, VERSION};
use super::entry_writer::{self, ImportedEntry};
use super::report::ImportProblem;
use crate::error::{AppError, AppResult};
use crate::profile::preferences::Preferences;

/// Reads the document; a file that is not one is refused as a whole.
pub fn read(content: &str) -> AppResult<AccountDocument> {
    let refuse = |m: String| AppError::field("content", m);
    let value: serde_json::Value = serde_json::from_str(content.trim_start_matches('\u{feff}'))
        .map_err(|e| refuse(format!("not JSON: {e}")))?;
    if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
        return Err(refuse(format!(
            "not an EngLog account export (`format` must be `{FORMAT}`)"
        )));
    }
    match value.get("version").and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(VERSION) => {}
        Some(v) => {
            return Err(refuse(format!(
                "version {v} is not supported (this server reads version {VERSION})"
            )));
        }
        None => return Err(refuse("`version` is missing".into())),
    }
    serde_json::from_value(value).map_err(|e| refuse(format!("malformed account export: {e}")))
}

fn problem(kind: &str, id: Uuid, message: String) -> ImportProblem {
    ImportProblem {
        line: None,
        item: Some(format!("{kind} {id}")),
        message,
    }
}

fn check_enum<T: FromStr>(field: &str, value: &str, errors: &mut Vec<String>) {
    if value.parse::<T>().is_err() {
        errors.push(format!("{field}: unknown value `{value}`"));
    }
}

/// Every problem of the document, before anything is written.
pub fn validate(doc: &AccountDocument, max_rows: usize) -> AppResult<Vec<ImportProblem>> {
    let rows = doc.entries.len() + doc.projects.len() + doc.tags.len() + doc.reports.len();
    if rows > max_rows {
        return Err(AppError::field(
            "content",
            format!("more than {max_rows} records: this server's import limit"),
        ));
    }
    let mut problems = Vec::new();
    let mut profile = Vec::new();
    profile.extend(
        validate_required_text("firstName", &doc.profile.first_name, Limits::NAME_MAX).err(),
    );
    profile
        .extend(validate_required_text("lastName", &doc.profile.last_name, Limits::NAME_MAX).err());
    profile.extend(validate_timezone("timezone", &doc.profile.timezone).err());
    problems.extend(profile.into_iter().map(|e| ImportProblem {
        line: None,
        item: Some("profile".into()),
        message: format!("{}: {}", e.field, e.message),
    }));

    let project_ids: HashSet<Uuid> = doc.projects.iter().map(|p| p.id).collect();
    let mut project_names = HashSet::new();
    for p in &doc.projects {
        let mut errors: Vec<String> = Vec::new();
        if !project_names.insert(p.name.trim()) {
            errors.push(format!("name: `{}` appears twice", p.name.trim()));
        }
        let mut push = |e: Option<englog_core::FieldError>| {
            errors.extend(e.map(|e| format!("{}: {}", e.field, e.message)))
        };
        push(validate_required_text("name", &p.name, Limits::PROJECT_NAME_MAX).err());
        if let Some(d) = &p.description {
            push(validate_optional_text("description", d, Limits::DESCRIPTION_MAX).err());
        }
        if let Some(c) = &p.color {
            push(validate_color("color", c).err());
        }
        check_enum::<ProjectStatus>("status", &p.status, &mut errors);
        problems.extend(errors.into_iter().map(|m| problem("project", p.id, m)));
    }
    let mut tag_names = HashSet::new();
    for t in &doc.tags {
        let mut errors: Vec<String> = Vec::new();
        if !tag_names.insert(t.name.as_str()) {
            errors.push(format!("name: `{}` appears twice", t.name));
        }
        if let Err(e) = validate_tag_name("name", &t.name) {
            errors.push(format!("{}: {}", e.field, e.message));
        }
        if let Some(Err(e)) = t.color.as_deref().map(|c| validate_color("color", c)) {
            errors.push(format!("{}: {}", e.field, e.message));
        }
        check_enum::<TagCategory>("category", &t.category, &mut errors);
        problems.extend(errors.into_iter().map(|m| problem("tag", t.id, m)));
    }
    let entry_ids: HashSet<Uuid> = doc.entries.iter().map(|e| e.id).collect();
    for e in &doc.entries {
        let mut errors: Vec<String> = Vec::new();
        check_enum::<ActivityType>("activityType", &e.activity_type, &mut errors);
        check_enum::<ValueRating>("valueRating", &e.value_rating, &mut errors);
        check_enum::<ImpactLevel>("impactLevel", &e.impact_level, &mut errors);
        if e.source.as_ref().is_some_and(|s| s.chars().count() > 20) {
            errors.push("source: must be at most 20 characters".into());
        }
        if e.external_uid
            .as_ref()
            .is_some_and(|u| u.chars().count() > 255)
        {
            errors.push("externalUid: must be at most 255 characters".into());
        }
        if let Some(p) = e.project_id.filter(|p| !project_ids.contains(p)) {
            errors.push(format!("projectId: {p} is not among the projects"));
        }
        problems.extend(errors.into_iter().map(|m| problem("entry", e.id, m)));
    }
    for r in &doc.reports {
        let mut errors: Vec<String> = Vec::new();
        check_enum::<ReportType>("reportType", &r.report_type, &mut errors);
        check_enum::<InsightStatus>("status", &r.status, &mut errors);
        if r.model.as_ref().is_some_and(|m| m.chars().count() > 100) {
            errors.push("model: must be at most 100 characters".into());
        }
        if r.period_end < r.period_start {
            errors.push("periodEnd: must not be before periodStart".into());
        }
        for cited in r.citations.iter().flat_map(|c| &c.entry_ids) {
            if !entry_ids.contains(cited) {
                errors.push(format!("citations: entry {cited} is not among the entries"));
            }
        }
        problems.extend(errors.into_iter().map(|m| problem("report", r.id, m)));
    }
    Ok(problems)
}

/// The entries of the document as import rows (checked by the caller with
/// [`entry_writer::validate`]).
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
        let (status, error) = match r.status.as_str() {
            "queued" | "running" => (
                InsightStatus::Cancelled.as_str().to_owned(),
                Some("not finished when the account was exported".to_owned()),
            ),
            _ => (r.status.clone(), r.error.clone()),
        };
        let citations: Vec<Citation> = r
            .citations
            .iter()
            .map(|c| Citation {
                statement: c.statement.clone(),
                entry_ids: c
                    .entry_ids
                    .iter()
                    .filter_map(|id| entries.get(id))
                    .copied()
                    .collect(),
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
            created_at: Set(r.created_at),
            updated_at: Set(Utc::now()),
        }
        .insert(db)
        .await?;
        out.imported += 1;
    }
    Ok(())
}

/// Writes a validated document (see [`validate`]) inside the caller's
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
