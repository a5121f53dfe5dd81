//! A time limit on executing an operation, and on each event of a
//! subscription.
//!
//! Validation needs no timer: it is synchronous, so a timer could not
//! interrupt it anyway, and the document guard has already bounded what it
//! walks. Execution is where time goes (the database, many resolvers), and
//! it yields at every await, so a timer cuts it cleanly: the request's
//! transaction, if any, is dropped and rolled back.

use async_graphql::extensions::{ExtensionContext, NextExecute};
use async_graphql::parser::types::OperationType;
use async_graphql::{Response, ServerError};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::OperationKind;
use crate::config::GraphqlLimits;
use crate::graphql::response::coded_error;

/// Set once execution begins: before it, every error is a request error
/// (parsing, validation, variables), which GraphQL-over-HTTP answers
/// without a `data` entry.
#[derive(Debug, Clone, Default)]
pub struct ExecutionStarted(Arc<AtomicBool>);

impl ExecutionStarted {
    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// `extensions.code` of an operation stopped by its deadline.
pub const TIMEOUT_CODE: &str = "TIMEOUT";

#[derive(Debug, Clone, Copy)]
pub struct Deadline {
    query: Duration,
    mutation: Duration,
}

impl Deadline {
    pub fn new(limits: &GraphqlLimits) -> Self {
        Self {
            query: Duration::from_millis(limits.execution_timeout_ms),
            mutation: Duration::from_millis(limits.mutation_timeout_ms),
        }
    }
}

impl Deadline {
    /// Runs once per query or mutation, and once per subscription event
    /// (called from the guard's `execute` hook).
    pub async fn execute(
        &self,
        ctx: &ExtensionContext<'_>,
        operation_name: Option<&str>,
        next: NextExecute<'_>,
    ) -> Response {
        if let Some(started) = ctx.data_opt::<ExecutionStarted>() {
            started.0.store(true, Ordering::Relaxed);
        }
        let kind = match ctx.data_opt::<OperationKind>() {
            Some(OperationKind(kind)) => *kind,
            None => OperationType::Query,
        };
        self.bound(kind, operation_name, next.run(ctx, operation_name))
            .await
            .0
    }

    /// `operation` within the limit of its kind; `true` beside the answer
    /// when the limit stopped it. Over HTTP the limit also covers
    /// async-graphql's validation, which the guard has bounded already.
    pub async fn bound(
        &self,
        kind: OperationType,
        operation_name: Option<&str>,
        operation: impl Future<Output = Response>,
    ) -> (Response, bool) {
        // Mutations run imports and bulk writes inside one transaction:
        // they get a longer limit than reads (see docs/ARCHITECTURE.md).
        let mutation = kind == OperationType::Mutation;
        let limit = if mutation { self.mutation } else { self.query };
        let started = Instant::now();
        let outcome = tokio::time::timeout(limit, operation).await;
        // A timer fires only when the task waits; a read that finished past
        // its limit in one go is cut all the same (nothing was written, so
        // dropping its answer loses nothing). A finished mutation is kept:
        // it has committed.
        let late = !mutation && started.elapsed() > limit;
        match outcome {
            Ok(response) if !late => (response, false),
            _ => {
                tracing::warn!(
                    operation = operation_name.unwrap_or("anonymous"),
                    limit_ms = limit.as_millis() as u64,
                    "GraphQL execution stopped at its time limit"
                );
                (Response::from_errors(vec![timeout_error(limit)]), true)
            }
        }
    }
}

fn timeout_error(limit: Duration) -> ServerError {
    coded_error(
        format!(
            "The operation took longer than {} ms and was stopped; ask for less \
             (fewer items, a shorter period) and try again.",
            limit.as_millis()
        ),
        TIMEOUT_CODE,
    )
}
