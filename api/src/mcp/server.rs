//! The MCP server: its description, its tools, and the one rule the tool
//! router cannot know (a read-only token is neither shown nor allowed
//! `log_entry`). One value per HTTP request (stateless mode), so it holds
//! only the shared [`HttpState`]; the caller comes with each request.

use axum::http::request::Parts;
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::{Extension, ToolCallContext};
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolRequestParams, CallToolResponse, CallToolResult, Implementation, ListToolsResult,
    PaginatedRequestParams, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{ErrorData, RoleServer, ServerHandler, tool, tool_router};

use super::access::caller_in;
use super::executor::{ToolError, into_result};
use super::{args, entries, reports, summary};
use crate::auth::Caller;
use crate::http::HttpState;

/// The only tool that writes.
const WRITE_TOOL: &str = "log_entry";

#[derive(Clone)]
pub struct EnglogMcp {
    state: HttpState,
    tools: ToolRouter<Self>,
}

impl EnglogMcp {
    pub fn new(state: HttpState) -> Self {
        Self {
            state,
            tools: Self::tool_router(),
        }
    }
}

fn caller(parts: &Parts) -> Result<Caller, ToolError> {
    caller_in(parts)
        .ok_or_else(|| ToolError::Internal(anyhow::anyhow!("/mcp served without its token check")))
}

#[tool_router]
impl EnglogMcp {
    #[tool(
        description = "Search the person's work journal. Filters: text in title or notes, a period of local days (from/to, YYYY-MM-DD), project (name or id), activity types, tags, value ratings, impact levels, drafts. Newest first, paginated with `cursor` = the previous `nextCursor`; notes are cut to 280 characters (get_entry has them whole).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn search_entries(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(a): Parameters<args::SearchEntries>,
    ) -> Result<CallToolResult, ErrorData> {
        into_result(async { entries::search(&self.state, caller(&parts)?, a).await }.await)
    }

    #[tool(
        description = "One journal entry by id, with its full notes.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_entry(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(a): Parameters<args::EntryId>,
    ) -> Result<CallToolResult, ErrorData> {
        into_result(async { entries::get(&self.state, caller(&parts)?, a).await }.await)
    }

    #[tool(
        description = "Where the person's time went from `from` to `to` (local days, at most 731): total hours, hours by activity type and by project, hours in each value × impact cell, and up to 10 high-value entries.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn period_summary(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(a): Parameters<args::PeriodSummary>,
    ) -> Result<CallToolResult, ErrorData> {
        into_result(async { summary::summarise(&self.state, caller(&parts)?, a).await }.await)
    }

    #[tool(
        description = "The person's written reports (weekly, monthly, …), newest first, with their status and period; paginated with `cursor`.",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn list_reports(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(a): Parameters<args::ListReports>,
    ) -> Result<CallToolResult, ErrorData> {
        into_result(async { reports::list(&self.state, caller(&parts)?, a).await }.await)
    }

    #[tool(
        description = "A report as Markdown; its [En] markers are listed under Sources with the date and title of the entry each one cites, and the entry ids follow as JSON. An unfinished report answers its status (and why it failed).",
        annotations(read_only_hint = true, open_world_hint = false)
    )]
    async fn get_report(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(a): Parameters<args::ReportId>,
    ) -> Result<CallToolResult, ErrorData> {
        into_result(async { reports::get(&self.state, caller(&parts)?, a).await }.await)
    }

    #[tool(
        description = "Add an entry to the person's journal, as a draft they confirm by default. Give a title; optionally notes, type, project (must exist), tags, start/end (RFC 3339) or duration_minutes (default: 30 minutes ending now), value and impact.",
        annotations(
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn log_entry(
        &self,
        Extension(parts): Extension<Parts>,
        Parameters(a): Parameters<args::LogEntry>,
    ) -> Result<CallToolResult, ErrorData> {
        into_result(async { entries::log(&self.state, caller(&parts)?, a).await }.await)
    }
}

/// Whether the request's token may see and call `log_entry`.
fn may_write(context: &RequestContext<RoleServer>) -> bool {
    context
        .extensions
        .get::<Parts>()
        .and_then(caller_in)
        .is_some_and(|c| !c.is_read_only())
}

impl ServerHandler for EnglogMcp {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new("englog", env!("CARGO_PKG_VERSION")))
            .with_instructions(
                "EngLog is the person's work journal: entries of what they did (type, project, tags, time, value and impact) and reports written from them. Search and summarise it to answer questions about their work; cite entry titles and dates. Times are in the person's time zone.",
            )
    }

    async fn list_tools(
        &self,
        _request: Option<PaginatedRequestParams>,
        context: RequestContext<RoleServer>,
    ) -> Result<ListToolsResult, ErrorData> {
        let write = may_write(&context);
        let tools = self
            .tools
            .list_all()
            .into_iter()
            .filter(|t| write || t.name != WRITE_TOOL)
            .collect();
        Ok(ListToolsResult::with_all_items(tools))
    }

    async fn call_tool(
        &self,
        request: CallToolRequestParams,
        context: RequestContext<RoleServer>,
    ) -> Result<CallToolResponse, ErrorData> {
        self.tools
            .call(ToolCallContext::new(self, request, context))
            .await
    }

    fn get_tool(&self, name: &str) -> Option<rmcp::model::Tool> {
        self.tools.get(name).cloned()
    }
}
