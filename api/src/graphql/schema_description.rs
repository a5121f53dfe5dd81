//! `__schema { description }` answers `null`, as the schema has none.
//!
//! async-graphql answers it with the description of the `__Schema` type
//! itself ("A GraphQL Schema defines the capabilities…"), so tools that ask
//! for the schema description (graphql-js and graphql-core with
//! `schemaDescription: true`) would print that text as EngLog's and their
//! schema would differ from `schema.graphql`.

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextResolve, ResolveInfo,
};
use async_graphql::{ServerResult, Value};
use std::sync::Arc;

pub struct NoSchemaDescription;

impl ExtensionFactory for NoSchemaDescription {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(NoSchemaDescription)
    }
}

#[async_graphql::async_trait::async_trait]
impl Extension for NoSchemaDescription {
    async fn resolve(
        &self,
        ctx: &ExtensionContext<'_>,
        info: ResolveInfo<'_>,
        next: NextResolve<'_>,
    ) -> ServerResult<Option<Value>> {
        if info.parent_type == "__Schema" && info.name == "description" {
            return Ok(Some(Value::Null));
        }
        next.run(ctx, info).await
    }
}
