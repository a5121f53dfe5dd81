//! A `logEntries` page resolved in one pass down to its entries' fields
//! (issue 18), for the reason [`super::listed`] gives: async-graphql would
//! give every edge's `cursor` and `node` a boxed future of its own. The
//! GraphQL type is async-graphql's own `LogEntryConnection`, so the schema
//! is unchanged; a selection this does not cover goes through that type's
//! own resolver, field by field or as a whole. Over HTTP a plain `edges`
//! or `nodes` list is written straight to JSON instead
//! ([`super::listed_json`]), from the page's rows when it holds them
//! ([`super::row_page`]).

use async_graphql::connection::{Connection, Edge, EmptyFields, PageInfo};
use async_graphql::parser::types::Field;
use async_graphql::registry::Registry;
use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerResult, Value, indexmap::IndexMap,
};
use std::borrow::Cow;

use super::cursor::EntryCursor;
use super::listed::{ENTRY_JSON_BYTES, ListedEntry, plain_entry_selection, plain_selection};
use super::listed_json::{EntryPlan, EntryRef, object, object_key, raw_list, string};
use super::row_page::PageRows;
use crate::graphql::raw_json::RawJson;

pub(super) type Page = Connection<EntryCursor, ListedEntry>;
type PageEdge = Edge<EntryCursor, ListedEntry, EmptyFields>;

/// A page's fields resolved here; any other sends the page down the
/// generic path.
pub(super) const PAGE_FIELDS: &[&str] = &["__typename", "edges", "nodes", "pageInfo"];
/// An edge's fields resolved here, as [`PAGE_FIELDS`].
pub(super) const EDGE_FIELDS: &[&str] = &["__typename", "cursor", "node"];

/// One page of `logEntries`: its entries decoded, or the rows its
/// statement answered, read only as the selection needs (over HTTP, into
/// JSON without decoding them).
pub enum ListedPage {
    Decoded(Page),
    Rows(PageRows),
}

impl OutputType for ListedPage {
    fn type_name() -> Cow<'static, str> {
        Page::type_name()
    }

    fn create_type_info(registry: &mut Registry) -> String {
        Page::create_type_info(registry)
    }

    async fn resolve(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Value> {
        match self {
            ListedPage::Decoded(page) => resolve_page(page, ctx, field).await,
            ListedPage::Rows(rows) => {
                if let Some(value) = rows.write_json(ctx, field).await? {
                    return Ok(value);
                }
                let page = rows.decode().map_err(|err| {
                    ctx.set_error_path(async_graphql::Error::from(err).into_server_error(field.pos))
                })?;
                // Boxed so this future does not carry the decoded one's state.
                Box::pin(resolve_page(&page, ctx, field)).await
            }
        }
    }
}

/// `page`, its plain fields resolved here.
async fn resolve_page(
    page: &Page,
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    let Some(fields) = plain_selection(ctx, PAGE_FIELDS) else {
        // Boxed so this future does not carry the generic one's state.
        return Box::pin(OutputType::resolve(page, ctx, field)).await;
    };
    let mut object = IndexMap::with_capacity(fields.len());
    for selected in fields {
        let ctx_field = ctx.with_field(selected);
        let sub = ctx_field.with_selection_set(&selected.node.selection_set);
        let value = match selected.node.name.node.as_str() {
            "__typename" => Ok(Value::String(Page::type_name().into_owned())),
            "edges" => edges(&page.edges, &sub, selected).await,
            "nodes" => nodes(&page.edges, &sub, selected).await,
            "pageInfo" => OutputType::resolve(&page_info(page), &sub, selected).await,
            // `plain_selection` admits only the names above; were it to
            // admit another, the generic path answers for the page.
            _ => return Box::pin(OutputType::resolve(page, ctx, field)).await,
        }
        .map_err(|err| ctx_field.set_error_path(err))?;
        object.insert(selected.node.response_key().node.clone(), value);
    }
    Ok(Value::Object(object))
}

/// The edges, each `cursor` and `node` resolved in turn; an edge selection
/// with anything else takes the generic path for the list.
async fn edges(
    edges: &[PageEdge],
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    let Some(fields) = plain_selection(ctx, EDGE_FIELDS) else {
        return Box::pin(OutputType::resolve(&edges, ctx, field)).await;
    };
    let node_plain = node_selections(ctx, &fields);
    if let Some(raw) = ctx.data_opt::<RawJson>()
        && let Some(plan) = edge_plan(ctx, &fields, &node_plain)
    {
        return Ok(raw_list(raw, edges, ENTRY_JSON_BYTES, |out, edge| {
            write_edge(out, &plan, &edge.cursor, &EntryRef::of(&edge.node.0))
        }));
    }
    let mut list = Vec::with_capacity(edges.len());
    for (index, edge) in edges.iter().enumerate() {
        let ctx_edge = ctx.with_index(index);
        let mut object = IndexMap::with_capacity(fields.len());
        for (&selected, plain) in fields.iter().zip(&node_plain) {
            let value = match selected.node.name.node.as_str() {
                "__typename" => Value::String(PageEdge::type_name().into_owned()),
                "cursor" => Value::String(edge.cursor.encode()),
                "node" => {
                    let ctx_field = ctx_edge.with_field(selected);
                    let sub = ctx_field.with_selection_set(&selected.node.selection_set);
                    edge.node
                        .resolve_selected(&sub, selected, plain.as_deref())
                        .await
                        .map_err(|err| ctx_field.set_error_path(err))?
                }
                // `plain_selection` admits only the names above.
                _ => return Box::pin(OutputType::resolve(&edges, ctx, field)).await,
            };
            object.insert(selected.node.response_key().node.clone(), value);
        }
        list.push(Value::Object(object));
    }
    Ok(Value::List(list))
}

/// The entries without their edges, each resolved like an edge's `node`:
/// the selection is examined once for the page.
async fn nodes(
    edges: &[PageEdge],
    ctx: &ContextSelectionSet<'_>,
    field: &Positioned<Field>,
) -> ServerResult<Value> {
    let Some(plain) = plain_entry_selection(ctx) else {
        // async-graphql's list, which also gives each item to the
        // extensions (e.g. tracing's span per item).
        let nodes: Vec<&ListedEntry> = edges.iter().map(|edge| &edge.node).collect();
        return Box::pin(OutputType::resolve(&nodes, ctx, field)).await;
    };
    if let Some(raw) = ctx.data_opt::<RawJson>()
        && let Some(plan) = EntryPlan::of(ctx, &plain)
    {
        return Ok(raw_list(raw, edges, ENTRY_JSON_BYTES, |out, edge| {
            plan.write(out, &EntryRef::of(&edge.node.0))
        }));
    }
    let mut list = Vec::with_capacity(edges.len());
    for (index, edge) in edges.iter().enumerate() {
        let ctx_item = ctx.with_index(index);
        let value = edge
            .node
            .resolve_selected(&ctx_item, field, Some(&plain))
            .await
            .map_err(|err| ctx_item.set_error_path(err))?;
        list.push(value);
    }
    Ok(Value::List(list))
}

/// The plain selection of each `node` among an edge's `fields` (`None` for
/// the other fields, and for a `node` that is not plain). Every edge's node
/// has the same selection: examined once per `node` field (an alias may
/// select it twice), not once per edge.
pub(super) fn node_selections<'a>(
    ctx: &'a ContextSelectionSet<'a>,
    fields: &[&'a Positioned<Field>],
) -> Vec<Option<Vec<&'a Positioned<Field>>>> {
    fields
        .iter()
        .map(|selected| {
            (selected.node.name.node == "node")
                .then(|| {
                    let ctx_field = ctx.with_field(selected);
                    plain_entry_selection(
                        &ctx_field.with_selection_set(&selected.node.selection_set),
                    )
                })
                .flatten()
        })
        .collect()
}

/// What one selected field of an edge writes as raw JSON.
pub(super) enum EdgeField {
    Typename,
    Cursor,
    Node(EntryPlan),
}

/// How every edge of a page is written as raw JSON, when each `node`'s
/// selection is plain (`node_plain`, one per field of `fields`).
pub(super) fn edge_plan(
    ctx: &ContextSelectionSet<'_>,
    fields: &[&Positioned<Field>],
    node_plain: &[Option<Vec<&Positioned<Field>>>],
) -> Option<Vec<(Vec<u8>, EdgeField)>> {
    fields
        .iter()
        .zip(node_plain)
        .map(|(&selected, plain)| {
            let field = match selected.node.name.node.as_str() {
                "__typename" => EdgeField::Typename,
                "cursor" => EdgeField::Cursor,
                "node" => {
                    let ctx_field = ctx.with_field(selected);
                    let sub = ctx_field.with_selection_set(&selected.node.selection_set);
                    EdgeField::Node(EntryPlan::of(&sub, plain.as_deref()?)?)
                }
                _ => return None,
            };
            Some((object_key(selected), field))
        })
        .collect()
}

/// An edge, `entry` at `cursor`, as the edge `plan` says.
pub(super) fn write_edge(
    out: &mut Vec<u8>,
    plan: &[(Vec<u8>, EdgeField)],
    cursor: &EntryCursor,
    entry: &EntryRef<'_>,
) {
    object(out, plan, |out, field| match field {
        EdgeField::Typename => string(out, &PageEdge::type_name()),
        EdgeField::Cursor => cursor.write_json(out),
        EdgeField::Node(plan) => plan.write(out, entry),
    });
}

/// What async-graphql's connection answers for `pageInfo`.
fn page_info(page: &Page) -> PageInfo {
    page_info_between(
        page.has_previous_page,
        page.has_next_page,
        page.edges.first().map(|edge| &edge.cursor),
        page.edges.last().map(|edge| &edge.cursor),
    )
}

/// `pageInfo` of a page whose first and last entries are at `first` and
/// `last` (none when it is empty).
pub(super) fn page_info_between(
    has_previous_page: bool,
    has_next_page: bool,
    first: Option<&EntryCursor>,
    last: Option<&EntryCursor>,
) -> PageInfo {
    PageInfo {
        has_previous_page,
        has_next_page,
        start_cursor: first.map(EntryCursor::encode),
        end_cursor: last.map(EntryCursor::encode),
    }
}
