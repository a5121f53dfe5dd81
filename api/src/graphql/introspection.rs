//! Corrections to async-graphql's introspection answer, so a schema built
//! from it by a client is exactly `schema.graphql`. Applied after
//! execution to `__schema` selections at the root (under any alias),
//! rather than in a `resolve` hook, which would cost every field of every
//! answer.
//!
//! - `__schema { description }`: async-graphql answers the description of
//!   the `__Schema` type itself ("A GraphQL Schema defines the
//!   capabilities…"); tools asking for the schema description would print
//!   that text as EngLog's. The schema has none: `null`.
//! - `__schema { directives }`: async-graphql always lists `@oneOf`, which
//!   no input of this schema uses (the SDL export leaves it out); clients
//!   that predate `@oneOf` (graphql-js before 16.9, graphql-core 3.2) would
//!   take it for a custom directive of ours.

use async_graphql::{Name, Response, Value};

/// The text async-graphql gives as the schema's description.
const BORROWED: &str = "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.";

pub fn correct(response: &mut Response) {
    let Value::Object(root) = &mut response.data else {
        return;
    };
    let description = Name::new("description");
    let directives = Name::new("directives");
    let name = Name::new("name");
    for value in root.values_mut() {
        let Value::Object(schema) = value else {
            continue;
        };
        if let Some(found) = schema.get_mut(&description)
            && matches!(found, Value::String(text) if text == BORROWED)
        {
            *found = Value::Null;
        }
        if let Some(Value::List(list)) = schema.get_mut(&directives) {
            list.retain(|directive| match directive {
                Value::Object(fields) => {
                    !matches!(fields.get(&name), Some(Value::String(n)) if n == "oneOf")
                }
                _ => true,
            });
        }
    }
}
