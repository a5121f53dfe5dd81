//! A `logEntries` page held as the rows its statement answered, answered
//! over HTTP by writing those rows straight to JSON ([`super::page_row`]
//! reads them in place, [`super::listed_json`] writes them), and otherwise
//! decoded into entries first (the WebSocket transport, a schema executed
//! directly, a selection the JSON writer does not cover, SQLite's rows).

use async_graphql::connection::{Connection, Edge};
use async_graphql::parser::types::Field;
use async_graphql::{
    ContextSelectionSet, OutputType, Positioned, ServerResult, Value, indexmap::IndexMap,
};
use sea_orm::QueryResult;

use super::cursor::EntryCursor;
use super::graphql::LogEntry;
use super::listed::{ENTRY_JSON_BYTES, ListedEntry, plain_entry_selection, plain_selection};
use super::listed_json::{EntryPlan, EntryRef, raw_list};
use super::listed_page::{
    EDGE_FIELDS, EdgeField, PAGE_FIELDS, Page, edge_plan, node_selections, page_info_between,
    write_edge,
};
use super::page_row::entry_ref;
use super::views::{EntryParts, views_of};
use crate::error::AppError;
use crate::graphql::raw_json::RawJson;

/// A page's rows (`views::page_statement` for `parts`), not yet read.
pub struct PageRows {
    pub rows: Vec<QueryResult>,
    pub parts: EntryParts,
    pub has_previous_page: bool,
    pub has_next_page: bool,
}

/// What one selected field of the page writes.
enum PagePart {
    Typename,
    Edges(Vec<(Vec<u8>, EdgeField)>),
    Nodes(EntryPlan),
    PageInfo,
}

impl PageRows {
    /// The page decoded into entries, as async-graphql's connection.
    pub fn decode(&self) -> Result<Page, AppError> {
        let views = views_of(&self.rows, &self.parts)?;
        let mut connection = Connection::new(self.has_previous_page, self.has_next_page);
        // Sized once: grown edge by edge, the list copied its edges five
        // times per 50-entry page (callgrind, issue 18, fourteenth pass).
        connection.edges.reserve_exact(views.len());
        for view in views {
            let cursor = EntryCursor {
                start_time: view.entry.start_time,
                id: view.entry.id,
            };
            connection.edges.push(Edge::new(
                cursor,
                ListedEntry(LogEntry::listed(view, &self.parts)?),
            ));
        }
        Ok(connection)
    }

    /// The page written straight from its rows to JSON, when the transport
    /// takes raw JSON, the rows are PostgreSQL's and the whole selection is
    /// plain; `None` otherwise (the page is then decoded). Every entry is
    /// read before anything is written, so a row that does not read fails
    /// the page with nothing handed to the transport.
    pub async fn write_json(
        &self,
        ctx: &ContextSelectionSet<'_>,
        field: &Positioned<Field>,
    ) -> ServerResult<Option<Value>> {
        let Some(raw) = ctx.data_opt::<RawJson>() else {
            return Ok(None);
        };
        if !self.rows.iter().all(|row| row.try_as_pg_row().is_some()) {
            return Ok(None);
        }
        let Some(fields) = plain_selection(ctx, PAGE_FIELDS) else {
            return Ok(None);
        };
        let mut parts = Vec::with_capacity(fields.len());
        for &selected in &fields {
            let ctx_field = ctx.with_field(selected);
            let sub = ctx_field.with_selection_set(&selected.node.selection_set);
            let part = match selected.node.name.node.as_str() {
                "__typename" => PagePart::Typename,
                "edges" => {
                    let Some(edge_fields) = plain_selection(&sub, EDGE_FIELDS) else {
                        return Ok(None);
                    };
                    let node_plain = node_selections(&sub, &edge_fields);
                    match edge_plan(&sub, &edge_fields, &node_plain) {
                        Some(plan) => PagePart::Edges(plan),
                        None => return Ok(None),
                    }
                }
                "nodes" => match plain_entry_selection(&sub)
                    .and_then(|plain| EntryPlan::of(&sub, &plain))
                {
                    Some(plan) => PagePart::Nodes(plan),
                    None => return Ok(None),
                },
                "pageInfo" => PagePart::PageInfo,
                _ => return Ok(None),
            };
            parts.push((selected, part));
        }
        // Sized once: collected through a `Result`, the list grew by
        // doubling, copying its entries four times (callgrind, issue 18).
        let mut entries = Vec::with_capacity(self.rows.len());
        for row in self.rows.iter().filter_map(QueryResult::try_as_pg_row) {
            let entry = entry_ref(row, &self.parts).map_err(|err| {
                ctx.set_error_path(
                    async_graphql::Error::from(AppError::Internal(err))
                        .into_server_error(field.pos),
                )
            })?;
            entries.push(entry);
        }
        let cursor_of = |entry: &EntryRef<'_>| EntryCursor {
            start_time: entry.start_time,
            id: entry.id,
        };
        let mut object = IndexMap::with_capacity(parts.len());
        for (selected, part) in parts {
            let value = match part {
                PagePart::Typename => Value::String(Page::type_name().into_owned()),
                PagePart::Edges(plan) => raw_list(raw, &entries, ENTRY_JSON_BYTES, |out, entry| {
                    write_edge(out, &plan, &cursor_of(entry), entry)
                }),
                PagePart::Nodes(plan) => raw_list(raw, &entries, ENTRY_JSON_BYTES, |out, entry| {
                    plan.write(out, entry)
                }),
                PagePart::PageInfo => {
                    let info = page_info_between(
                        self.has_previous_page,
                        self.has_next_page,
                        entries.first().map(cursor_of).as_ref(),
                        entries.last().map(cursor_of).as_ref(),
                    );
                    let ctx_field = ctx.with_field(selected);
                    let sub = ctx_field.with_selection_set(&selected.node.selection_set);
                    OutputType::resolve(&info, &sub, selected)
                        .await
                        .map_err(|err| ctx_field.set_error_path(err))?
                }
            };
            object.insert(selected.node.response_key().node.clone(), value);
        }
        Ok(Some(Value::Object(object)))
    }
}
