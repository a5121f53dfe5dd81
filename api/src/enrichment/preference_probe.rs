//! The statement every entry write runs when enrichment is on: the
//! person's preferences, and whether their enrichment backlog already holds
//! `max` unfinished jobs (`EXISTS` of the `max`-th one: one indexed probe
//! at that offset, not a count of them all).
//!
//! Its text depends only on the backend (the user id, the offset and the
//! limits are bound values), so sea-query builds it once per backend and
//! the statement is kept; each write binds its own user and offset into a
//! copy of the values. Building it on every write was ~15 % of a create's
//! server instructions (issue 18, eighth pass). The template is built with
//! a sentinel user id and offset, the only values of those types in it;
//! `a_kept_probe_binds_the_same_values_as_one_built_afresh` holds the copy
//! to a fresh build.

use std::sync::OnceLock;

use englog_core::{JobKind, JobStatus};
use entity::{job, user};
use sea_orm::sea_query::{Expr, Value};
use sea_orm::{
    ColumnTrait, DbBackend, EntityTrait, QueryFilter, QuerySelect, QueryTrait, Statement,
};
use uuid::Uuid;

/// The probe for `user_id` with a backlog of at most `max` jobs; `max` 0
/// is always full. Columns: the preferences (JSON), then whether full.
pub(super) fn statement(backend: DbBackend, user_id: Uuid, max: u64) -> Statement {
    let Some(offset) = max.checked_sub(1) else {
        return build(backend, user_id, None);
    };
    static KEPT: [OnceLock<Statement>; 2] = [OnceLock::new(), OnceLock::new()];
    let kept = match backend {
        DbBackend::Postgres => &KEPT[0],
        DbBackend::Sqlite => &KEPT[1],
        _ => return build(backend, user_id, Some(offset)),
    };
    let template = kept.get_or_init(|| build(backend, SENTINEL_USER, Some(SENTINEL_OFFSET)));
    bind(template, user_id, offset)
}

/// Not a user id this server generates (those are UUIDv7).
const SENTINEL_USER: Uuid = Uuid::from_u128(0x5e57_1e1e_0000_4000_8000_0000_0000_0001);
/// More than any backlog's offset (`max - 1` of a `u64`).
const SENTINEL_OFFSET: u64 = u64::MAX;

fn bind(template: &Statement, user_id: Uuid, offset: u64) -> Statement {
    let mut statement = template.clone();
    if let Some(values) = statement.values.as_mut() {
        for value in &mut values.0 {
            match value {
                Value::Uuid(Some(id)) if *id == SENTINEL_USER => *id = user_id,
                Value::BigUnsigned(Some(at)) if *at == SENTINEL_OFFSET => *at = offset,
                _ => {}
            }
        }
    }
    statement
}

fn build(backend: DbBackend, user_id: Uuid, offset: Option<u64>) -> Statement {
    let full = match offset {
        Some(offset) => Expr::exists(
            job::Entity::find()
                .select_only()
                .column(job::Column::Id)
                .filter(job::Column::UserId.eq(user_id))
                .filter(job::Column::Kind.eq(JobKind::Enrichment))
                .filter(job::Column::Status.is_in(JobStatus::IN_FLIGHT))
                .offset(offset)
                .limit(1)
                .into_query(),
        ),
        None => Expr::value(true),
    };
    user::Entity::find_by_id(user_id)
        .select_only()
        .column(user::Column::Preferences)
        .expr(full)
        .limit(1)
        .build(backend)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kept_probe_binds_the_same_values_as_one_built_afresh() {
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            for max in [1, 2, 20, 1_000, u64::MAX] {
                for _ in 0..2 {
                    let user_id = Uuid::now_v7();
                    let kept = statement(backend, user_id, max);
                    let fresh = build(backend, user_id, Some(max - 1));
                    assert_eq!(kept.sql, fresh.sql, "{backend:?}, max {max}");
                    assert_eq!(kept.values, fresh.values, "{backend:?}, max {max}");
                    assert_eq!(kept.db_backend, backend);
                }
            }
            let user_id = Uuid::now_v7();
            let always_full = statement(backend, user_id, 0);
            assert_eq!(always_full.sql, build(backend, user_id, None).sql);
            assert!(!always_full.sql.contains("jobs"), "{}", always_full.sql);
        }
    }

    #[test]
    fn the_sentinels_are_bound_where_they_stood_and_nowhere_else() {
        let user_id = Uuid::now_v7();
        let kept = statement(DbBackend::Postgres, user_id, 20);
        let values = kept.values.expect("bound values").0;
        let users = values
            .iter()
            .filter(|value| **value == Value::Uuid(Some(user_id)))
            .count();
        assert_eq!(users, 2, "the job filter's and the user's id: {values:?}");
        assert!(values.contains(&Value::BigUnsigned(Some(19))), "{values:?}");
        assert!(
            !values
                .iter()
                .any(|value| *value == Value::Uuid(Some(SENTINEL_USER))
                    || *value == Value::BigUnsigned(Some(SENTINEL_OFFSET))),
            "{values:?}"
        );
    }
}
