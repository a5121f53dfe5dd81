//! Reading and checking an account document before anything is written:
//! a file that is not one is refused whole; every bad record is listed.

use englog_core::validation::{
    validate_color, validate_optional_text, validate_required_text, validate_tag_name,
    validate_timezone,
};
use englog_core::{
    ActivityType, ImpactLevel, InsightStatus, Limits, ProjectStatus, ReportType, TagCategory,
    ValueRating,
};
use std::collections::HashSet;
use std::str::FromStr;
use uuid::Uuid;

use super::account_format::{AccountDocument, FORMAT, VERSION};
use super::report::ImportProblem;
use crate::error::{AppError, AppResult};

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

pub fn problem(kind: &str, id: Uuid, message: String) -> ImportProblem {
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
