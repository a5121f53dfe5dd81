//! The entry list's nodes, resolved in one pass (issue 18).
//!
//! async-graphql resolves each field of an object as a boxed future of its
//! own, and that future holds the state of the type's largest resolver (a
//! `LogEntry`'s `suggestions` query). For a 50-entry page that is about 450
//! allocations, each with a copy of that state: a call-graph profile of the
//! list put the copies (`memmove`) and the field bookkeeping at about a
//! quarter of the server's CPU. A listed entry is data already in hand, so
//! its plain fields are resolved here one after the other, each by its own
//! type's `OutputType::resolve` as the derived code would, without a future
//! per field. Whatever this does not cover — fragments, directives, a
//! response key given twice, `suggestions`, or tracing's span per field —
//! goes through
//! async-graphql's own resolver, so the answer is the same either way.

use async_graphql::parser::types::{Field, Selection};
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, Name, OutputType, Positioned, ServerResult, Value, indexmap::IndexMap,
};
use std::borrow::Cow;

use super::graphql::LogEntry;
use super::listed_json::{EntryPlan, EntryRef};
use crate::graphql::FieldSpans;
use crate::graphql::raw_json::RawJson;
use crate::projects::graphql::Project;

/// A `LogEntry` resolved in one pass, as a page of `logEntries` holds it
/// and `createLogEntry` answers it: the same GraphQL type.
pub struct ListedEntry(pub LogEntry);

/// Fields resolved here; any other sends the whole object down the generic
/// path.
const PLAIN_FIELDS: &[&str] = &[
    "__typename",
    "id",
    "title",
    "description",
    "activityType",
    "projectId",
    "project",
    "tags",
    "startTime",
    "endTime",
    "durationMinutes",
    "valueRating",
    "impactLevel",
    "isDraft",
    "createdAt",
    "updatedAt",
];

impl OutputType for ListedEntry {
    fn type_name() -> Cow<'static, str> {
        LogEntry::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        LogEntry::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        let plain = plain_entry_selection(ctx);
        // Over HTTP an entry answered on its own (a created one) is written
        // straight to JSON as a page's entries are: its `Value` tree was
        // ~8 % of a create's instructions to build, write and drop
        // (callgrind, issue 18, twelfth pass).
        if let Some(raw) = ctx.data_opt::<RawJson>()
            && let Some(fields) = plain.as_deref()
            && let Some(plan) = EntryPlan::of(ctx, fields)
        {
            let mut out = Vec::with_capacity(ENTRY_JSON_BYTES);
            plan.write(&mut out, &EntryRef::of(&self.0));
            return Ok(raw.finish(out));
        }
        self.resolve_selected(ctx, field, plain.as_deref()).await
    }
}

/// Bytes of JSON an entry or a page's edge usually takes (the benchmark's
/// page: ~480 with its cursor), to size a buffer once.
pub(super) const ENTRY_JSON_BYTES: usize = 512;

/// The fields of an entry's selection when it can be resolved in one pass
/// (see [`plain_selection`]). The same for every entry of a page: a page
/// finds it once, not once per entry.
pub(super) fn plain_entry_selection<'a>(
    ctx: &ContextSelectionSet<'a>,
) -> Option<Vec<&'a Positioned<Field>>> {
    plain_selection(ctx, PLAIN_FIELDS)
}

impl ListedEntry {
    /// The entry, given what [`plain_entry_selection`] found for `ctx`.
    pub(super) async fn resolve_selected(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
        plain: Option<&[&Positioned<Field>]>,
    ) -> ServerResult<Value> {
        let Some(fields) = plain else {
            // Boxed so this future does not carry the generic one's state.
            return Box::pin(OutputType::resolve(&self.0, ctx, field)).await;
        };
        let mut object = IndexMap::with_capacity(fields.len());
        for &selected in fields {
            let ctx_field = ctx.with_field(selected);
            let sub = ctx_field.with_selection_set(&selected.node.selection_set);
            let e = &self.0;
            let value = match selected.node.name.node.as_str() {
                "__typename" => Ok(Value::String(LogEntry::type_name().into_owned())),
                "id" => OutputType::resolve(&e.id, &sub, selected).await,
                "title" => OutputType::resolve(&e.title, &sub, selected).await,
                "description" => OutputType::resolve(&e.description, &sub, selected).await,
                "activityType" => OutputType::resolve(&e.activity_type, &sub, selected).await,
                "projectId" => OutputType::resolve(&e.project_id, &sub, selected).await,
                "project" => project_value(e.project.as_ref(), &sub, selected).await,
                "tags" => Ok(tag_list(&e.tags)),
                "startTime" => OutputType::resolve(&e.start_time, &sub, selected).await,
                "endTime" => OutputType::resolve(&e.end_time, &sub, selected).await,
                "durationMinutes" => OutputType::resolve(&e.duration_minutes, &sub, selected).await,
                "valueRating" => OutputType::resolve(&e.value_rating, &sub, selected).await,
                "impactLevel" => OutputType::resolve(&e.impact_level, &sub, selected).await,
                "isDraft" => OutputType::resolve(&e.is_draft, &sub, selected).await,
                "createdAt" => OutputType::resolve(&e.created_at, &sub, selected).await,
                "updatedAt" => OutputType::resolve(&e.updated_at, &sub, selected).await,
                // `plain_selection` admits only the names above; were it to
                // admit another, the generic path answers for the object.
                _ => return Box::pin(OutputType::resolve(&self.0, ctx, field)).await,
            }
            .map_err(|err| ctx_field.set_error_path(err))?;
            object.insert(selected.node.response_key().node.clone(), value);
        }
        Ok(Value::Object(object))
    }
}

/// An entry's tags as async-graphql answers a `[String!]!`, without its
/// list resolver: with any extension in the schema (the validation memo),
/// that resolver gives each item a future and formats the list's and the
/// item's type names for the extensions, ~18 % of a 50-entry page's
/// instructions under callgrind (issue 18). A list of strings has no
/// selection, errors or directives of its own to honour.
fn tag_list(tags: &[String]) -> Value {
    Value::List(tags.iter().map(|tag| Value::String(tag.clone())).collect())
}

/// A `Project`'s fields that need no resolver of their own; its totals do.
pub(super) const PLAIN_PROJECT_FIELDS: &[&str] = &[
    "__typename",
    "id",
    "name",
    "description",
    "status",
    "startDate",
    "endDate",
    "color",
    "createdAt",
    "updatedAt",
];

/// An entry's project, in one pass like the entry: a derived `Project`
/// boxes a future per field that holds its totals query's state, as
/// `LogEntry`'s do (the list's c4 profile, issue 18). A selection with its
/// totals or anything else non-plain takes async-graphql's resolver.
async fn project_value(
    project: Option<&Project>,
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    let Some(project) = project else {
        return Ok(Value::Null);
    };
    let Some(fields) = plain_selection(ctx, PLAIN_PROJECT_FIELDS) else {
        return Box::pin(OutputType::resolve(project, ctx, field)).await;
    };
    let p = project;
    let mut object = IndexMap::with_capacity(fields.len());
    for selected in fields {
        let ctx_field = ctx.with_field(selected);
        let sub = ctx_field.with_selection_set(&selected.node.selection_set);
        let value = match selected.node.name.node.as_str() {
            "__typename" => Ok(Value::String(Project::type_name().into_owned())),
            "id" => OutputType::resolve(&p.id, &sub, selected).await,
            "name" => OutputType::resolve(&p.name, &sub, selected).await,
            "description" => OutputType::resolve(&p.description, &sub, selected).await,
            "status" => OutputType::resolve(&p.status, &sub, selected).await,
            "startDate" => OutputType::resolve(&p.start_date, &sub, selected).await,
            "endDate" => OutputType::resolve(&p.end_date, &sub, selected).await,
            "color" => OutputType::resolve(&p.color, &sub, selected).await,
            "createdAt" => OutputType::resolve(&p.created_at, &sub, selected).await,
            "updatedAt" => OutputType::resolve(&p.updated_at, &sub, selected).await,
            // `plain_selection` admits only the names above.
            _ => return Box::pin(OutputType::resolve(project, ctx, field)).await,
        }
        .map_err(|err| ctx_field.set_error_path(err))?;
        object.insert(selected.node.response_key().node.clone(), value);
    }
    Ok(Value::Object(object))
}

/// The selected fields when all are fields named in `names`, each response
/// key once, without directives, and no span per field is wanted. (The
/// other extensions, the guards, do not watch fields.)
pub(super) fn plain_selection<'a>(
    ctx: &ContextSelectionSet<'a>,
    names: &[&str],
) -> Option<Vec<&'a Positioned<Field>>> {
    if ctx.data_opt::<FieldSpans>().is_some() {
        return None;
    }
    let items = &ctx.item.node.items;
    let mut fields = Vec::with_capacity(items.len());
    let mut keys: Vec<&Name> = Vec::with_capacity(items.len());
    for selection in items {
        let Selection::Field(field) = &selection.node else {
            return None;
        };
        let key = &field.node.response_key().node;
        if !field.node.directives.is_empty()
            || !names.contains(&field.node.name.node.as_str())
            || keys.contains(&key)
        {
            return None;
        }
        keys.push(key);
        fields.push(field);
    }
    Some(fields)
}
