//! The PostgreSQL statement that links an entry to a person's tags by name,
//! creating the missing ones: one round trip whatever the number of tags,
//! answering the names in the database's order (issue 18: a create went
//! from 13 statements down). Given the entry's own `INSERT`, the new entry
//! and its tags are one statement, atomic without a transaction.
//!
//! SQLite allows no writes inside `WITH`; it takes the lookup, inserts and
//! links of `super::service::link_by_names` instead.

use chrono::Utc;
use englog_core::TagCategory;
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};
use uuid::Uuid;

use crate::error::AppResult;

/// Which entry the tags go to.
pub enum LinkedEntry {
    /// One already stored.
    Existing(Uuid),
    /// One this statement inserts: a PostgreSQL `INSERT` with its values
    /// (numbered `$1`…), without `RETURNING`.
    Inserted(Statement),
}

/// Links the entry to the user's tags named `names` (clean, distinct, at
/// least one) and answers their names in name order.
pub async fn link(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    entry: LinkedEntry,
    names: &[String],
) -> AppResult<Vec<String>> {
    let statement = build(user_id, entry, names);
    let rows = db.query_all_raw(statement).await?;
    let found: Vec<String> = rows
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<_, _>>()?;
    // `ON CONFLICT … DO UPDATE` answers a tag a concurrent request created
    // after this statement's snapshot, so every name is found.
    if found.len() != names.len() {
        return Err(anyhow::anyhow!(
            "tag link statement found {} of {} tags",
            found.len(),
            names.len()
        )
        .into());
    }
    Ok(found)
}

fn build(user_id: Uuid, entry: LinkedEntry, names: &[String]) -> Statement {
    let (mut sql, mut values, entry_id, link_from) = match entry {
        LinkedEntry::Existing(id) => (
            String::from("WITH "),
            vec![Value::from(id)],
            "$1::uuid",
            "found f",
        ),
        LinkedEntry::Inserted(insert) => (
            format!("WITH entry AS ({} RETURNING id), ", insert.sql),
            insert.values.map(|v| v.0).unwrap_or_default(),
            "n.id",
            // Reading `entry` makes the links wait for its row, which the
            // link trigger then sees (it copies the entry's owner and start).
            "entry n CROSS JOIN found f",
        ),
    };
    let user = param(&mut values, user_id.into());
    let category = param(&mut values, TagCategory::Custom.as_str().into());
    let now = param(&mut values, Utc::now().into());
    let rows: Vec<String> = names
        .iter()
        .map(|name| {
            let id = param(&mut values, Uuid::now_v7().into());
            let name = param(&mut values, name.as_str().into());
            format!("({id}::uuid, {name}::text)")
        })
        .collect();
    sql.push_str(&format!(
        "wanted (id, name) AS (VALUES {rows}), \
         existing AS (SELECT t.id, t.name FROM tags t \
           WHERE t.user_id = {user} AND t.name IN (SELECT name FROM wanted)), \
         created AS (INSERT INTO tags (id, user_id, name, category, color, created_at, updated_at) \
           SELECT w.id, {user}, w.name, {category}, NULL, {now}, {now} FROM wanted w \
           WHERE NOT EXISTS (SELECT 1 FROM existing e WHERE e.name = w.name) \
           ON CONFLICT (user_id, name) DO UPDATE SET name = EXCLUDED.name RETURNING id, name), \
         found AS (SELECT id, name FROM existing UNION ALL SELECT id, name FROM created), \
         linked AS (INSERT INTO log_entry_tags (log_entry_id, tag_id) \
           SELECT {entry_id}, f.id FROM {link_from} ON CONFLICT DO NOTHING) \
         SELECT name FROM found ORDER BY name",
        rows = rows.join(", ")
    ));
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// Adds `value` to the statement's parameters; answers its placeholder.
fn param(values: &mut Vec<Value>, value: Value) -> String {
    values.push(value);
    format!("${}", values.len())
}
