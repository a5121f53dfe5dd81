//! The statement of a list page without filters, its text made once per
//! shape: the journal's list asks for the same page every time, and
//! sea-query built the same text again for each one (the selected
//! columns, the join, the order, ~6 % of a 50-entry page's instructions;
//! callgrind, issue 18, twelfth pass).
//!
//! A shape is what the text depends on: the backend, the columns a
//! selection asks for ([`EntryParts`]), whether the page starts after a
//! cursor and the page's row limit. The values are listed here in the
//! order the builder numbers them: the user, then the cursor's three. The
//! first build of a shape is compared with that list and kept only if they
//! agree; debug builds, which every test runs, compare every statement
//! with a fresh build.
//!
//! The limit is written into the text as a literal ([`literal_limit`]),
//! not bound. PostgreSQL plans a prepared statement for its parameters
//! ("custom" plans) for the first five executions, then keeps one generic
//! plan only while its estimated cost is not above theirs; it estimates a
//! bound `LIMIT $n` as a tenth of the rows of an average user. Once a few
//! users hold most of the table (one bulk-importing user is enough) that
//! estimate makes the generic plan look dear, and every page is planned
//! again on every execution: +~0.3 ms of PostgreSQL CPU per page,
//! measured as the list's throughput falling by a quarter in the late
//! rounds of `scripts/bench-api` (issue 18, thirteenth and fourteenth
//! passes). With the literal the generic plan's cost is the page's, and
//! it is kept.

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
    limit: u64,
}

/// One text per shape a client's selections make, at most 64; past that a
/// shape's text is built every time (still correct).
static KEPT: Kept<Shape, Arc<str>> = Kept::new(64);

/// The statement of the page of `user_id`'s entries after `cursor`, at
/// most `limit` rows, selecting `parts`; `build` builds it with sea-query
/// and [`literal_limit`].
pub fn statement(
    backend: DbBackend,
    user_id: Uuid,
    cursor: Option<&EntryCursor>,
    limit: u64,
    parts: &EntryParts,
    build: impl FnOnce() -> Statement,
) -> Statement {
    let mut values: Vec<Value> = Vec::with_capacity(4);
    values.push(user_id.into());
    if let Some(cursor) = cursor {
        values.extend([
            cursor.start_time.into(),
            cursor.start_time.into(),
            cursor.id.into(),
        ]);
    }
    let shape = Shape {
        backend,
        parts: parts.key(),
        after_cursor: cursor.is_some(),
        limit,
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

/// `page` with its last value, the bound `limit` at the end of the text,
/// written into the text as a literal instead (why: the module's
/// comment). A statement that does not end so is returned as it is.
pub fn literal_limit(mut page: Statement, limit: u64) -> Statement {
    let Some(values) = page.values.as_mut() else {
        return page;
    };
    if values.0.last() != Some(&Value::from(limit)) {
        return page;
    }
    let placeholder = match page.db_backend {
        DbBackend::Postgres => format!("${}", values.0.len()),
        _ => "?".to_owned(),
    };
    let Some(head) = page.sql.strip_suffix(&placeholder) else {
        return page;
    };
    if !head.trim_end().ends_with("LIMIT") {
        return page;
    }
    page.sql = format!("{head}{limit}");
    values.0.pop();
    page
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;
    use entity::log_entry;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, QueryTrait};

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
            ];
            Statement::from_sql_and_values(
                backend,
                format!("SELECT 'page shape test' $1 $2 $3 $4 LIMIT {limit}"),
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
        let second = statement(backend, second_user, Some(&cursor), 51, &parts(), || {
            by_hand(second_user, 51)
        });
        assert_eq!(second, by_hand(second_user, 51));
        let shape = |limit| Shape {
            backend,
            parts: parts().key(),
            after_cursor: true,
            limit,
        };
        assert!(KEPT.get(|kept| *kept == shape(51)).is_some());
        // Another page size is another text, kept beside the first.
        let smaller = statement(backend, second_user, Some(&cursor), 21, &parts(), || {
            by_hand(second_user, 21)
        });
        assert_eq!(smaller, by_hand(second_user, 21));
        assert!(KEPT.get(|kept| *kept == shape(21)).is_some());
    }

    fn page(backend: DbBackend, user: Uuid, limit: u64) -> Statement {
        log_entry::Entity::find()
            .filter(log_entry::Column::UserId.eq(user))
            .order_by_desc(log_entry::Column::StartTime)
            .limit(limit)
            .build(backend)
    }

    #[test]
    fn the_limit_becomes_a_literal_on_both_backends() {
        let user = Uuid::now_v7();
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let bound = page(backend, user, 51);
            let literal = literal_limit(bound.clone(), 51);
            assert!(literal.sql.ends_with(" LIMIT 51"), "{}", literal.sql);
            assert_eq!(
                literal.sql.strip_suffix("51"),
                bound.sql.strip_suffix(if backend == DbBackend::Postgres {
                    "$2"
                } else {
                    "?"
                }),
            );
            assert_eq!(literal.values.unwrap().0, vec![Value::from(user)]);
        }
    }

    #[test]
    fn a_statement_not_ending_in_its_limit_is_left_as_it_is() {
        let user = Uuid::now_v7();
        // The last value is not the limit asked for.
        let other_limit = page(DbBackend::Postgres, user, 51);
        assert_eq!(literal_limit(other_limit.clone(), 21), other_limit);
        // The limit's value is bound elsewhere than a trailing LIMIT.
        let elsewhere = Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT * FROM t WHERE n = $1",
            [Value::from(51u64)],
        );
        assert_eq!(literal_limit(elsewhere.clone(), 51), elsewhere);
        // No values at all.
        let plain = Statement::from_string(DbBackend::Postgres, "SELECT 1 LIMIT 51");
        assert_eq!(literal_limit(plain.clone(), 51), plain);
    }
}
