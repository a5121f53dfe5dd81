//! Read-only API tokens cannot mutate, enforced once for the whole schema
//! rather than in each resolver: a document holding any mutation (or
//! subscription) is refused with FORBIDDEN before anything executes.
//! Checking every operation of the document, not only the selected one,
//! keeps the rule independent of `operationName` handling.

use async_graphql::extensions::{Extension, ExtensionContext, ExtensionFactory, NextParseQuery};
use async_graphql::parser::types::{ExecutableDocument, OperationType};
use async_graphql::{Pos, ServerResult, Variables};
use std::sync::Arc;

use super::caller::Caller;
use crate::error::AppError;

#[derive(Default)]
pub struct ScopeGuard;

impl ExtensionFactory for ScopeGuard {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ScopeGuardExtension)
    }
}

struct ScopeGuardExtension;

#[async_graphql::async_trait::async_trait]
impl Extension for ScopeGuardExtension {
    async fn parse_query(
        &self,
        ctx: &ExtensionContext<'_>,
        query: &str,
        variables: &Variables,
        next: NextParseQuery<'_>,
    ) -> ServerResult<ExecutableDocument> {
        let document = next.run(ctx, query, variables).await?;
        let read_only = ctx.data_opt::<Caller>().is_some_and(Caller::is_read_only);
        let writes = document
            .operations
            .iter()
            .any(|(_, op)| op.node.ty != OperationType::Query);
        if read_only && writes {
            return Err(
                async_graphql::Error::from(AppError::Forbidden).into_server_error(Pos::default())
            );
        }
        Ok(document)
    }
}
