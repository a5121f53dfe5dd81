//! Tools read and write through the GraphQL schema itself, executed in
//! process for the token's caller: ownership, validation, read-only tokens
//! and limits are the API's own, so no tool can do what the same token
//! could not do at `/graphql`. Each call takes one of the caller's
//! execution slots, like a `/graphql` request.

use async_graphql::{Request, Variables};
use rmcp::ErrorData;
use rmcp::model::{CallToolResult, ContentBlock};
use serde_json::Value;

use crate::auth::Caller;
use crate::http::HttpState;
use crate::http::graphql::limiter::CallerKey;

/// Why a tool did not produce its result.
#[derive(Debug)]
pub enum ToolError {
    /// The caller's input or data: told to the caller (and the model) as a
    /// tool error result, so it can correct itself.
    Refused(String),
    /// Our fault: logged with its cause, answered as an opaque JSON-RPC
    /// internal error.
    Internal(anyhow::Error),
}

impl ToolError {
    pub fn refused(message: impl Into<String>) -> Self {
        ToolError::Refused(message.into())
    }
}

impl From<serde_json::Error> for ToolError {
    fn from(err: serde_json::Error) -> Self {
        ToolError::Internal(err.into())
    }
}

/// A rule of the domain the arguments broke (e.g. a period too long), in
/// the words `/graphql` would use.
impl From<englog_core::FieldError> for ToolError {
    fn from(err: englog_core::FieldError) -> Self {
        crate::error::AppError::from(err).into()
    }
}

impl From<crate::error::AppError> for ToolError {
    fn from(err: crate::error::AppError) -> Self {
        match err {
            crate::error::AppError::Internal(cause) => ToolError::Internal(cause),
            // The same words `/graphql` would answer with.
            other => ToolError::Refused(async_graphql::Error::from(other).message),
        }
    }
}

/// The tool's answer as MCP wants it: a result, a tool error, or an
/// internal JSON-RPC error.
pub fn into_result(
    outcome: Result<CallToolResult, ToolError>,
) -> Result<CallToolResult, ErrorData> {
    match outcome {
        Ok(result) => Ok(result),
        Err(ToolError::Refused(message)) => {
            Ok(CallToolResult::error(vec![ContentBlock::text(message)]))
        }
        Err(ToolError::Internal(cause)) => {
            tracing::error!(error = ?cause, "an MCP tool failed");
            Err(ErrorData::internal_error("internal error", None))
        }
    }
}

/// Runs one GraphQL operation as `caller` and returns its `data`.
pub async fn run(
    state: &HttpState,
    caller: Caller,
    query: &str,
    variables: Value,
) -> Result<Value, ToolError> {
    let _slot = state
        .limiter
        .acquire(CallerKey::User(caller.user_id))
        .await
        .map_err(|_| {
            ToolError::refused("Too many of your requests are running at once; retry shortly.")
        })?;
    let request = Request::new(query)
        .variables(Variables::from_json(variables))
        .data(caller);
    // The same checks and deadline as over HTTP.
    let response = state.guard.run(&state.schema, request).await.response;
    if let Some(error) = response.errors.first() {
        let code = error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .and_then(|c| match c {
                async_graphql::Value::String(code) => Some(code.as_str()),
                _ => None,
            });
        return Err(match code {
            Some("VALIDATION" | "NOT_FOUND" | "FORBIDDEN" | "CONFLICT" | "RATE_LIMITED") => {
                ToolError::Refused(error.message.clone())
            }
            _ => ToolError::Internal(anyhow::anyhow!(
                "GraphQL error in an MCP tool: {} ({:?})",
                error.message,
                code
            )),
        });
    }
    Ok(response.data.into_json()?)
}

/// A tool's JSON answer as text content (what every MCP client shows) and
/// as structured content (what newer clients parse).
pub fn json_result(value: Value) -> Result<CallToolResult, ToolError> {
    let text = serde_json::to_string(&value)?;
    let mut result = CallToolResult::success(vec![ContentBlock::text(text)]);
    result.structured_content = Some(value);
    Ok(result)
}

/// The cursor of the next page of a GraphQL connection (`pageInfo`), or
/// `null` on the last page.
pub fn next_cursor(connection: &Value) -> Value {
    if connection["pageInfo"]["hasNextPage"] == true {
        connection["pageInfo"]["endCursor"].clone()
    } else {
        Value::Null
    }
}
