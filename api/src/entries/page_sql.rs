//! The statement of a list page without filters, its text made once per
//! shape: the journal's list asks for the same page every time, and
//! sea-query built the same text again for each one (the selected
//! columns, the join, the order, ~6 % of a 50-entry page's instructions;
//! callgrind, issue 18, twelfth pass).
//!
//! A shape is what the text depends on: the backend, the columns a
//! selection asks for ([`EntryParts`]) and whether the page starts after
//! a cursor. The values are listed here in the order the builder numbers
//! them: the user, the cursor's three, the limit. The first build of a
//! shape is compared with that list and kept only if they agree; debug
//! builds, which every test runs, compare every statement with a fresh
//! build.

use sea_orm::{DbBackend, Statement, Value};
use std::sync::Arc;
use uuid::Uuid;

use super::cursor::EntryCursor;
use super::views::EntryParts;
use crate::kept::Kept;

#[derive(PartialEq)]
struct Shape {
    backend: DbBackend,
    parts: u64,
    after_cursor: bool,
}

/// One text per shape a client's selections make, at most 64; past that a
/// shape's text is built every time (still correct).
static KEPT: Kept<Shape, Arc<str>> = Kept::new(64);

/// The statement of the page of `user_id`'s entries after `cursor`, at
/// most `limit` rows, selecting `parts`; `build` builds it with sea-query.
pub fn statement(
    backend: DbBackend,
    user_id: Uuid,
    cursor: Option<&EntryCursor>,
    limit: u64,
    parts: &EntryParts,
    build: impl FnOnce() -> Statement,
) -> Statement {
    let mut values: Vec<Value> = Vec::with_capacity(5);
    values.push(user_id.into());
    if let Some(cursor) = cursor {
        values.extend([
            cursor.start_time.into(),
            cursor.start_time.into(),
            cursor.id.into(),
        ]);
    }
    values.push(limit.into());
    let shape = Shape {
        backend,
        parts: parts.key(),
        after_cursor: cursor.is_some(),
    };
    if let Some(sql) = KEPT.get(|kept| *kept == shape) {
        let statement = Statement::from_sql_and_values(backend, sql.as_ref(), values);
        if cfg!(debug_assertions) {
            assert_eq!(
                statement,
                build(),
                "a kept page statement differs from sea-query's"
            );
        }
        return statement;
    }
    let built = build();
    let agrees = built.values.as_ref().is_some_and(|built| built.0 == values);
    debug_assert!(agrees, "page values listed out of the builder's order");
    if agrees {
        let sql = Arc::from(built.sql.as_str());
        KEPT.keep(shape, sql);
    }
    built
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn parts() -> EntryParts {
        EntryParts::for_graphql(|field| field == "title", |_| false)
    }

    #[test]
    fn a_shape_is_built_once_then_answered_with_new_values() {
        // A backend EngLog never uses: no other test's page has this shape.
        let backend = DbBackend::MySql;
        let cursor = EntryCursor {
            start_time: DateTime::from_timestamp_micros(1_700_000_000_000_000).unwrap(),
            id: Uuid::now_v7(),
        };
        let by_hand = |user: Uuid, limit: u64| {
            let values: Vec<Value> = vec![
                user.into(),
                cursor.start_time.into(),
                cursor.start_time.into(),
                cursor.id.into(),
                limit.into(),
            ];
            Statement::from_sql_and_values(
                backend,
                "SELECT 'page shape test' $1 $2 $3 $4 $5",
                values,
            )
        };
        let (first_user, second_user) = (Uuid::now_v7(), Uuid::now_v7());
        let first = statement(backend, first_user, Some(&cursor), 51, &parts(), || {
            by_hand(first_user, 51)
        });
        assert_eq!(first, by_hand(first_user, 51));
        // Kept: a second page of the shape never calls the builder in
        // release builds; debug builds still compare with it.
        let second = statement(backend, second_user, Some(&cursor), 21, &parts(), || {
            by_hand(second_user, 21)
        });
        assert_eq!(second, by_hand(second_user, 21));
        let shape = Shape {
            backend,
            parts: parts().key(),
            after_cursor: true,
        };
        assert!(KEPT.get(|kept| *kept == shape).is_some());
    }
}
