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
use crate::kept::Kept;

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
    let (insert_sql, mut values) = match entry {
        LinkedEntry::Existing(id) => (None, vec![Value::from(id)]),
        LinkedEntry::Inserted(insert) => (
            Some(insert.sql),
            insert.values.map(|v| v.0).unwrap_or_default(),
        ),
    };
    let shape = Shape {
        entry_values: values.len(),
        tags: names.len(),
    };
    values.reserve(3 + 2 * names.len());
    values.extend([
        user_id.into(),
        TagCategory::Custom.as_str().into(),
        Utc::now().into(),
    ]);
    for name in names {
        values.extend([Uuid::now_v7().into(), name.as_str().into()]);
    }
    let sql = kept_text(insert_sql.as_deref(), shape);
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

/// What the statement's text depends on besides the entry's `INSERT`.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Shape {
    /// Parameters before the tags' own: the entry's.
    entry_values: usize,
    tags: usize,
}

/// The statement's text for each entry `INSERT` and [`Shape`] seen, made
/// once: a create sends the same text every time, and formatting it was
/// ~5 % of a create's instructions (callgrind, issue 18, twelfth pass).
/// A handful of shapes exist (one entry `INSERT`, one per tag count up to
/// `Limits::TAGS_PER_ENTRY_MAX`); past 64 the text is made and not kept.
static KEPT: Kept<(Option<String>, Shape), String> = Kept::new(64);

fn kept_text(insert_sql: Option<&str>, shape: Shape) -> String {
    KEPT.get_or_make(
        |(insert, kept)| *kept == shape && insert.as_deref() == insert_sql,
        || (insert_sql.map(str::to_owned), shape),
        || text(insert_sql, shape),
    )
}

/// The statement's text, its parameters numbered as [`build`] lists them:
/// the entry's (for an existing entry, its id), the user, the category,
/// the time, then each tag's id and name.
fn text(insert_sql: Option<&str>, shape: Shape) -> String {
    let (mut sql, entry_id, link_from) = match insert_sql {
        None => (String::from("WITH "), "$1::uuid", "found f"),
        Some(insert) => (
            format!("WITH entry AS ({insert} RETURNING id), "),
            "n.id",
            // Reading `entry` makes the links wait for its row, which the
            // link trigger then sees (it copies the entry's owner and start).
            "entry n CROSS JOIN found f",
        ),
    };
    let at = |offset: usize| format!("${}", shape.entry_values + offset);
    let (user, category, now) = (at(1), at(2), at(3));
    let rows: Vec<String> = (0..shape.tags)
        .map(|tag| format!("({}::uuid, {}::text)", at(4 + 2 * tag), at(5 + 2 * tag)))
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
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_are_numbered_as_the_values_are_listed_and_the_text_is_kept() {
        let names = ["a".to_owned(), "b".to_owned()];
        let first = build(Uuid::nil(), LinkedEntry::Existing(Uuid::nil()), &names);
        let values = first.values.clone().expect("values").0;
        assert_eq!(values.len(), 1 + 3 + 2 * names.len());
        for n in 1..=values.len() {
            assert!(first.sql.contains(&format!("${n}")), "${n} is used");
        }
        assert!(!first.sql.contains(&format!("${}", values.len() + 1)));
        // Another entry and other names of the same shape: the same text.
        let other = ["c".to_owned(), "d".to_owned()];
        let again = build(Uuid::nil(), LinkedEntry::Existing(Uuid::now_v7()), &other);
        assert_eq!(again.sql, first.sql);
        assert_ne!(again.values, first.values);
        // An entry inserted by the statement: its values come first.
        let insert = Statement::from_sql_and_values(
            DbBackend::Postgres,
            r#"INSERT INTO "x" ("a", "b") VALUES ($1, $2)"#,
            [Value::from(1), Value::from(2)],
        );
        let inserted = build(Uuid::nil(), LinkedEntry::Inserted(insert), &names);
        assert!(inserted.sql.starts_with(
            r#"WITH entry AS (INSERT INTO "x" ("a", "b") VALUES ($1, $2) RETURNING id), "#
        ));
        assert!(inserted.sql.contains("t.user_id = $3 "));
        assert!(
            inserted
                .sql
                .contains("($6::uuid, $7::text), ($8::uuid, $9::text)")
        );
    }
}
