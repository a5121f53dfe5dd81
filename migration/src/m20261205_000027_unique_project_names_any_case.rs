//! Project names are unique per person whatever their case: "Payments" and
//! "payments" would be one project to anyone reading a report, and quick
//! add's `+payments` finds a project by name case-insensitively.
//!
//! Existing duplicates (allowed until now) are renamed first, keeping the
//! oldest as it was: "payments" → "payments (2)". The index on
//! `(user_id, lower(name))` replaces the case-sensitive one and still
//! serves "the projects of a person" through its first column.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, FromQueryResult, Statement};
use std::collections::HashSet;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    Name,
}

#[derive(FromQueryResult)]
struct Row {
    id: uuid::Uuid,
    user_id: uuid::Uuid,
    name: String,
}

/// The first free "name (n)" for a person, case-insensitively.
fn free_name(name: &str, taken: &HashSet<String>) -> String {
    (2..)
        .map(|n| format!("{name} ({n})"))
        .find(|candidate| !taken.contains(&candidate.to_lowercase()))
        .unwrap_or_else(|| name.to_owned())
}

async fn rename_duplicates(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = manager.get_database_backend();
    let rows = Row::find_by_statement(Statement::from_string(
        backend,
        "SELECT id, user_id, name FROM projects ORDER BY user_id, created_at, id",
    ))
    .all(db)
    .await?;
    let mut taken: HashSet<(uuid::Uuid, String)> = HashSet::new();
    let mut names_of_user: HashSet<String> = HashSet::new();
    let mut current_user = None;
    for row in &rows {
        if current_user != Some(row.user_id) {
            current_user = Some(row.user_id);
            names_of_user = rows
                .iter()
                .filter(|r| r.user_id == row.user_id)
                .map(|r| r.name.to_lowercase())
                .collect();
        }
        if taken.insert((row.user_id, row.name.to_lowercase())) {
            continue;
        }
        let renamed = free_name(&row.name, &names_of_user);
        names_of_user.insert(renamed.to_lowercase());
        taken.insert((row.user_id, renamed.to_lowercase()));
        manager
            .exec_stmt(
                Query::update()
                    .table(Projects::Table)
                    .value(Projects::Name, renamed)
                    .and_where(Expr::col(Projects::Id).eq(row.id))
                    .to_owned(),
            )
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        rename_duplicates(manager).await?;
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_projects_user_lower_name ON projects (user_id, lower(name))",
        )
        .await?;
        db.execute_unprepared("DROP INDEX ux_projects_user_name")
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared(
            "CREATE UNIQUE INDEX ux_projects_user_name ON projects (user_id, name)",
        )
        .await?;
        db.execute_unprepared("DROP INDEX ux_projects_user_lower_name")
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_takes_the_first_free_number() {
        let taken: HashSet<String> = ["payments", "payments (2)", "infra"]
            .into_iter()
            .map(str::to_owned)
            .collect();
        assert_eq!(free_name("Payments", &taken), "Payments (3)");
        assert_eq!(free_name("INFRA", &taken), "INFRA (2)");
    }
}
