//! A page's entries written straight to JSON when the transport takes raw
//! JSON ([`RawJson`], GraphQL over HTTP), instead of building async-graphql
//! `Value`s that are serialised and dropped right after (issue 18: the
//! tree was ~65 % of a 50-entry page's server instructions).
//!
//! Only plain selections are written here — the fields of
//! [`super::listed`]'s one-pass resolvers, each response key once, no
//! fragments, directives or per-field spans — and the plan for them is made
//! once per page. Each value is written as async-graphql writes it: strings
//! and numbers as serde_json writes them, instants as `to_rfc3339` writes them
//! ([`super::json_instant`]), dates by the scalar's own `to_value`, enums
//! by their GraphQL names; the tests of `entry_pages` compare both answers
//! for every field.
//!
//! A field name this plan does not know (one added to `listed`'s plain
//! fields only) makes [`EntryPlan::of`] answer `None`, and the page takes
//! the `Value` path: a field forgotten here costs speed, never an answer.

use async_graphql::parser::types::Field;
use async_graphql::resolver_utils::EnumType;
use async_graphql::{ContextSelectionSet, Positioned, ScalarType, Value};
use chrono::{DateTime, NaiveDate, Utc};
use smallvec::SmallVec;
use uuid::Uuid;

use super::graphql::LogEntry;
use super::listed::{PLAIN_PROJECT_FIELDS, plain_selection};
use super::{json_instant, json_string};
use crate::graphql::enums::{ActivityTypeGql, ImpactLevelGql, ProjectStatusGql, ValueRatingGql};
use crate::graphql::raw_json::RawJson;
use crate::projects::graphql::Project;

/// What one selected field of an entry writes.
enum EntryField {
    Typename,
    Id,
    Title,
    Description,
    ActivityType,
    ProjectId,
    Project(Vec<(Vec<u8>, ProjectField)>),
    Tags,
    StartTime,
    EndTime,
    DurationMinutes,
    ValueRating,
    ImpactLevel,
    IsDraft,
    CreatedAt,
    UpdatedAt,
}

/// What one selected field of an entry's project writes.
enum ProjectField {
    Typename,
    Id,
    Name,
    Description,
    Status,
    StartDate,
    EndDate,
    Color,
    CreatedAt,
    UpdatedAt,
}

/// How every entry of a page is written: each selected field's response
/// key, already written as a JSON object key, and what it writes.
pub(super) struct EntryPlan(Vec<(Vec<u8>, EntryField)>);

impl EntryPlan {
    /// The plan for `fields`, an entry's plain selection under `ctx`;
    /// `None` when a project's selection is not plain.
    pub(super) fn of(ctx: &ContextSelectionSet<'_>, fields: &[&Positioned<Field>]) -> Option<Self> {
        let mut plan = Vec::with_capacity(fields.len());
        for &selected in fields {
            let field = match selected.node.name.node.as_str() {
                "__typename" => EntryField::Typename,
                "id" => EntryField::Id,
                "title" => EntryField::Title,
                "description" => EntryField::Description,
                "activityType" => EntryField::ActivityType,
                "projectId" => EntryField::ProjectId,
                "project" => {
                    let ctx_field = ctx.with_field(selected);
                    let sub = ctx_field.with_selection_set(&selected.node.selection_set);
                    EntryField::Project(project_plan(&plain_selection(
                        &sub,
                        PLAIN_PROJECT_FIELDS,
                    )?)?)
                }
                "tags" => EntryField::Tags,
                "startTime" => EntryField::StartTime,
                "endTime" => EntryField::EndTime,
                "durationMinutes" => EntryField::DurationMinutes,
                "valueRating" => EntryField::ValueRating,
                "impactLevel" => EntryField::ImpactLevel,
                "isDraft" => EntryField::IsDraft,
                "createdAt" => EntryField::CreatedAt,
                "updatedAt" => EntryField::UpdatedAt,
                _ => return None,
            };
            plan.push((object_key(selected), field));
        }
        Some(Self(plan))
    }

    /// Writes `entry` as a JSON object.
    pub(super) fn write(&self, out: &mut Vec<u8>, entry: &EntryRef<'_>) {
        let e = entry;
        object(out, &self.0, |out, field| match field {
            EntryField::Typename => string(out, "LogEntry"),
            EntryField::Id => uuid(out, e.id),
            EntryField::Title => string(out, e.title),
            EntryField::Description => optional(out, e.description, string),
            EntryField::ActivityType => enum_name(out, e.activity_type),
            EntryField::ProjectId => optional(out, e.project_id, uuid),
            EntryField::Project(fields) => match &e.project {
                Some(project) => write_project(out, fields, project),
                None => out.extend_from_slice(b"null"),
            },
            EntryField::Tags => {
                out.push(b'[');
                for (index, tag) in e.tags.iter().enumerate() {
                    if index > 0 {
                        out.push(b',');
                    }
                    string(out, tag);
                }
                out.push(b']');
            }
            EntryField::StartTime => instant(out, &e.start_time),
            EntryField::EndTime => instant(out, &e.end_time),
            EntryField::DurationMinutes => number(out, e.duration_minutes),
            EntryField::ValueRating => enum_name(out, e.value_rating),
            EntryField::ImpactLevel => enum_name(out, e.impact_level),
            EntryField::IsDraft => {
                out.extend_from_slice(if e.is_draft { b"true" } else { b"false" })
            }
            EntryField::CreatedAt => instant(out, &e.created_at),
            EntryField::UpdatedAt => instant(out, &e.updated_at),
        });
    }
}

/// An entry's fields as the writer reads them, borrowed from a decoded
/// [`LogEntry`] ([`EntryRef::of`]) or from a page's row as PostgreSQL sent
/// it ([`super::page_row`]), without a `String` of its own. A row's
/// columns that were not selected hold placeholders, which no plan writes:
/// a plan writes only fields of the selection the page's columns were
/// chosen for.
pub(super) struct EntryRef<'a> {
    pub id: Uuid,
    pub title: &'a str,
    pub description: Option<&'a str>,
    pub activity_type: ActivityTypeGql,
    pub project_id: Option<Uuid>,
    pub project: Option<ProjectRef<'a>>,
    pub tags: TagList<'a>,
    pub start_time: DateTime<Utc>,
    pub end_time: DateTime<Utc>,
    pub duration_minutes: i32,
    pub value_rating: ValueRatingGql,
    pub impact_level: ImpactLevelGql,
    pub is_draft: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An entry's project, as [`EntryRef`] holds it.
pub(super) struct ProjectRef<'a> {
    pub id: Uuid,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub status: ProjectStatusGql,
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub color: Option<&'a str>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An entry's tag names, borrowed from a decoded entry or from a page's
/// row ([`super::page_row`]); an entry has a few, so no heap list.
pub(super) type TagList<'a> = SmallVec<[&'a str; 4]>;

impl<'a> EntryRef<'a> {
    /// The fields of a decoded entry.
    pub(super) fn of(entry: &'a LogEntry) -> Self {
        Self {
            id: entry.id,
            title: &entry.title,
            description: entry.description.as_deref(),
            activity_type: entry.activity_type,
            project_id: entry.project_id,
            project: entry.project.as_ref().map(ProjectRef::of),
            tags: entry.tags.iter().map(String::as_str).collect(),
            start_time: entry.start_time,
            end_time: entry.end_time,
            duration_minutes: entry.duration_minutes,
            value_rating: entry.value_rating,
            impact_level: entry.impact_level,
            is_draft: entry.is_draft,
            created_at: entry.created_at,
            updated_at: entry.updated_at,
        }
    }
}

impl<'a> ProjectRef<'a> {
    fn of(project: &'a Project) -> Self {
        Self {
            id: project.id,
            name: &project.name,
            description: project.description.as_deref(),
            status: project.status,
            start_date: project.start_date,
            end_date: project.end_date,
            color: project.color.as_deref(),
            created_at: project.created_at,
            updated_at: project.updated_at,
        }
    }
}

fn project_plan(fields: &[&Positioned<Field>]) -> Option<Vec<(Vec<u8>, ProjectField)>> {
    fields
        .iter()
        .map(|&selected| {
            let field = match selected.node.name.node.as_str() {
                "__typename" => ProjectField::Typename,
                "id" => ProjectField::Id,
                "name" => ProjectField::Name,
                "description" => ProjectField::Description,
                "status" => ProjectField::Status,
                "startDate" => ProjectField::StartDate,
                "endDate" => ProjectField::EndDate,
                "color" => ProjectField::Color,
                "createdAt" => ProjectField::CreatedAt,
                "updatedAt" => ProjectField::UpdatedAt,
                _ => return None,
            };
            Some((object_key(selected), field))
        })
        .collect()
}

fn write_project(out: &mut Vec<u8>, fields: &[(Vec<u8>, ProjectField)], p: &ProjectRef<'_>) {
    object(out, fields, |out, field| match field {
        ProjectField::Typename => string(out, "Project"),
        ProjectField::Id => uuid(out, p.id),
        ProjectField::Name => string(out, p.name),
        ProjectField::Description => optional(out, p.description, string),
        ProjectField::Status => enum_name(out, p.status),
        ProjectField::StartDate => optional(out, p.start_date.as_ref(), scalar),
        ProjectField::EndDate => optional(out, p.end_date.as_ref(), scalar),
        ProjectField::Color => optional(out, p.color, string),
        ProjectField::CreatedAt => instant(out, &p.created_at),
        ProjectField::UpdatedAt => instant(out, &p.updated_at),
    });
}

/// A JSON object of the planned `fields` (each key already written as an
/// object key), each value written by `value`.
pub(super) fn object<F>(
    out: &mut Vec<u8>,
    fields: &[(Vec<u8>, F)],
    mut value: impl FnMut(&mut Vec<u8>, &F),
) {
    out.push(b'{');
    for (index, (key, field)) in fields.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        out.extend_from_slice(key);
        value(out, field);
    }
    out.push(b'}');
}

/// A field's response key as a JSON object key, with its colon.
pub(super) fn object_key(selected: &Positioned<Field>) -> Vec<u8> {
    let mut key = Vec::with_capacity(selected.node.response_key().node.len() + 3);
    string(&mut key, selected.node.response_key().node.as_str());
    key.push(b':');
    key
}

/// A JSON string, as serde_json writes it ([`super::json_string`]).
pub(super) fn string(out: &mut Vec<u8>, text: &str) {
    json_string::write(out, text);
}

fn number(out: &mut Vec<u8>, value: i32) {
    let _ = serde_json::to_writer(&mut *out, &value);
}

/// A UUID as async-graphql's scalar answers it (`Uuid::to_string`):
/// hex digits and hyphens, nothing to escape.
fn uuid(out: &mut Vec<u8>, id: Uuid) {
    let mut text = [0; uuid::fmt::Hyphenated::LENGTH];
    out.push(b'"');
    out.extend_from_slice(id.hyphenated().encode_lower(&mut text).as_bytes());
    out.push(b'"');
}

/// An instant as async-graphql's scalar answers it (`to_rfc3339`): digits
/// and `-:T.+`, nothing to escape, and no `Value` built for it.
fn instant(out: &mut Vec<u8>, at: &DateTime<Utc>) {
    json_instant::write(out, at);
}

fn optional<T>(out: &mut Vec<u8>, value: Option<T>, write: fn(&mut Vec<u8>, T)) {
    match value {
        Some(value) => write(out, value),
        None => out.extend_from_slice(b"null"),
    }
}

/// A scalar as its `to_value` answers it (a project's dates:
/// async-graphql's own formatting).
fn scalar<T: ScalarType>(out: &mut Vec<u8>, value: &T) {
    let _ = serde_json::to_writer(&mut *out, &value.to_value());
}

/// An enum value by its GraphQL name, as async-graphql's `enum_value`.
fn enum_name<T: EnumType>(out: &mut Vec<u8>, value: T) {
    match T::items().iter().find(|item| item.value == value) {
        Some(item) => string(out, item.name),
        // Every value of a derived enum is among its items.
        None => out.extend_from_slice(b"null"),
    }
}

/// The JSON placeholder of a page's list, written by `write_item` for each
/// item, when the transport takes raw JSON.
pub(super) fn raw_list<T>(
    raw: &RawJson,
    items: &[T],
    bytes_per_item: usize,
    mut write_item: impl FnMut(&mut Vec<u8>, &T),
) -> Value {
    let mut out = Vec::with_capacity(2 + items.len() * bytes_per_item);
    out.push(b'[');
    for (index, item) in items.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_item(&mut out, item);
    }
    out.push(b']');
    raw.finish(out)
}
