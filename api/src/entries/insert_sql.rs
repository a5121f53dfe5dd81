//! The PostgreSQL `INSERT` of a new entry with every column given, its
//! text built once: sea-query built the same text again for every create,
//! and the statement's builder was ~5 % of a create's instructions
//! (callgrind, issue 18, twelfth pass).
//!
//! The values follow `log_entry::Column`'s order, as in sea-orm's insert
//! of a model with every column set. Debug builds, which every test runs,
//! compare each statement with the one sea-orm builds, so a column added
//! to the entity and not here fails the tests.

use entity::log_entry;
use sea_orm::{ActiveModelTrait, DbBackend, EntityTrait, IntoActiveModel, QueryTrait, Statement};
use std::sync::LazyLock;

use super::views::placeholder_entry;

// Any entry will do: only the statement's text is kept from it.
static SQL: LazyLock<String> = LazyLock::new(|| built_by_sea_orm(&placeholder_entry()).sql);

/// The statement inserting `entry`, without `RETURNING`.
pub fn insert(entry: &log_entry::Model) -> Statement {
    let e = entry.clone();
    let values = vec![
        e.id.into(),
        e.user_id.into(),
        e.project_id.into(),
        e.title.into(),
        e.description.into(),
        e.activity_type.into(),
        e.start_time.into(),
        e.end_time.into(),
        e.duration_minutes.into(),
        e.value_rating.into(),
        e.impact_level.into(),
        e.is_draft.into(),
        e.source.into(),
        e.external_uid.into(),
        e.created_at.into(),
        e.updated_at.into(),
    ];
    let statement = Statement::from_sql_and_values(DbBackend::Postgres, SQL.as_str(), values);
    debug_assert_eq!(
        statement,
        built_by_sea_orm(entry),
        "the entry INSERT differs from sea-orm's"
    );
    statement
}

fn built_by_sea_orm(entry: &log_entry::Model) -> Statement {
    let every_column_set = entry.clone().into_active_model().reset_all();
    log_entry::Entity::insert(every_column_set).build(DbBackend::Postgres)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_statement_is_sea_orms_for_any_entry() {
        let mut entry = placeholder_entry();
        entry.id = uuid::Uuid::now_v7();
        entry.project_id = Some(uuid::Uuid::now_v7());
        entry.title = "Review \"the\" patch".into();
        entry.description = Some("with $1 in it".into());
        entry.activity_type = "review".into();
        entry.source = Some("ics".into());
        entry.duration_minutes = 45;
        // Compared in full here whatever the build profile.
        assert_eq!(insert(&entry), built_by_sea_orm(&entry));
        assert_eq!(
            insert(&placeholder_entry()),
            built_by_sea_orm(&placeholder_entry())
        );
        assert!(SQL.starts_with(r#"INSERT INTO "log_entries""#));
    }
}
