//! On PostgreSQL, each entry–tag link carries its entry's `user_id` and
//! `start_time`, kept in step by triggers, with an index that answers "the
//! links of this person's entries starting in this window" on its own.
//!
//! Why: the dashboard's tag statement joined the window's entries to
//! `log_entry_tags`, and PostgreSQL could only do that by hashing every
//! link of every user (a sequential scan) or by one index probe per entry;
//! for a year of 20,000 entries in a table of 180,000 links that statement
//! alone took ~49 ms of the dashboard's 50 ms budget (issue 18). With the
//! copy it is one index-only range scan: ~3 ms.
//!
//! Triggers rather than application code, so no write path (entries,
//! imports, connectors, the account import) can leave a link stale. The
//! entities do not declare the two columns: SQLite keeps the join (its
//! embedded, single-person databases never had the problem).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DbBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

const UP: &[&str] = &[
    "ALTER TABLE log_entry_tags ADD COLUMN user_id uuid, ADD COLUMN start_time timestamptz",
    "UPDATE log_entry_tags AS l SET user_id = e.user_id, start_time = e.start_time \
     FROM log_entries AS e WHERE e.id = l.log_entry_id",
    "ALTER TABLE log_entry_tags ALTER COLUMN user_id SET NOT NULL, \
     ALTER COLUMN start_time SET NOT NULL",
    // A link is written after its entry, in another statement: the entry
    // is visible here. A link to no entry fails the NOT NULL, as the
    // foreign key would.
    "CREATE FUNCTION log_entry_tags_copy_entry_window() RETURNS trigger AS $$ \
     BEGIN \
       SELECT e.user_id, e.start_time INTO NEW.user_id, NEW.start_time \
         FROM log_entries AS e WHERE e.id = NEW.log_entry_id; \
       RETURN NEW; \
     END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER log_entry_tags_copy_entry_window \
     BEFORE INSERT OR UPDATE OF log_entry_id ON log_entry_tags \
     FOR EACH ROW EXECUTE FUNCTION log_entry_tags_copy_entry_window()",
    "CREATE FUNCTION log_entries_move_tag_links() RETURNS trigger AS $$ \
     BEGIN \
       UPDATE log_entry_tags SET user_id = NEW.user_id, start_time = NEW.start_time \
         WHERE log_entry_id = NEW.id; \
       RETURN NULL; \
     END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER log_entries_move_tag_links \
     AFTER UPDATE OF start_time, user_id ON log_entries \
     FOR EACH ROW \
     WHEN (OLD.start_time IS DISTINCT FROM NEW.start_time OR OLD.user_id IS DISTINCT FROM NEW.user_id) \
     EXECUTE FUNCTION log_entries_move_tag_links()",
    "CREATE INDEX ix_log_entry_tags_user_start ON log_entry_tags (user_id, start_time) \
     INCLUDE (log_entry_id, tag_id)",
];

const DOWN: &[&str] = &[
    "DROP TRIGGER log_entries_move_tag_links ON log_entries",
    "DROP FUNCTION log_entries_move_tag_links()",
    "DROP TRIGGER log_entry_tags_copy_entry_window ON log_entry_tags",
    "DROP FUNCTION log_entry_tags_copy_entry_window()",
    "ALTER TABLE log_entry_tags DROP COLUMN user_id, DROP COLUMN start_time",
];

async fn run(manager: &SchemaManager<'_>, statements: &[&str]) -> Result<(), DbErr> {
    if manager.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    let db = manager.get_connection();
    for statement in statements {
        db.execute_unprepared(statement).await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        run(manager, DOWN).await
    }
}
