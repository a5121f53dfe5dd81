//! `__schema { description }` answers `null`, as the schema has none.
//!
//! async-graphql answers it with the description of the `__Schema` type
//! itself ("A GraphQL Schema defines the capabilities…"), so tools that ask
//! for the schema description (graphql-js and graphql-core with
//! `schemaDescription: true`) would print that text as EngLog's, and their
//! schema would differ from `schema.graphql`. The answer is corrected after
//! execution rather than in a `resolve` hook, which would cost every field
//! of every answer.

use async_graphql::{Name, Response, Value};

/// The text async-graphql gives as the schema's description.
const BORROWED: &str = "A GraphQL Schema defines the capabilities of a GraphQL server. It exposes all available types and directives on the server, as well as the entry points for query, mutation, and subscription operations.";

/// Clears the borrowed description of every root field that answered an
/// `__schema` selection (under any alias).
pub fn clear_borrowed_description(response: &mut Response) {
    let Value::Object(root) = &mut response.data else {
        return;
    };
    let description = Name::new("description");
    for value in root.values_mut() {
        if let Value::Object(schema) = value
            && let Some(found) = schema.get_mut(&description)
            && matches!(found, Value::String(text) if text == BORROWED)
        {
            *found = Value::Null;
        }
    }
}
