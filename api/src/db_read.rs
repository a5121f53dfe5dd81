//! Reading a column of a row by position, for the hot paths (a list page,
//! a dashboard's entry rows).
//!
//! On PostgreSQL the value is decoded straight from sqlx's row. sea-orm's
//! reader wraps the same decode, but for every NULL it reads as an
//! `Option` it first formats an error message naming the column, then
//! drops it: a 50-entry page with a few empty optional columns per row
//! spent ~2 % of its CPU formatting those (issue 18, call-graph profile of
//! the list). SQLite keeps sea-orm's reader.
//!
//! In release builds the column's type is not compared with `T` first:
//! sqlx's check walks the compatible types of `T` for every value and was
//! ~13 % of a 50-entry page's server instructions (callgrind, issue 18).
//! The statements read here are this crate's own, over columns whose types
//! the migrations fix; debug builds, which every test runs, keep the check,
//! so a mismatch fails the tests. The decode itself still refuses bytes it
//! cannot read (a wrong length, invalid UTF-8).

use sea_orm::sqlx::{self, Postgres, Row};
use sea_orm::{DbErr, QueryResult, RuntimeErr, TryGetable};
use std::sync::Arc;

/// The value of column `at` of `row`, as `T` (an `Option` for a nullable
/// column).
pub fn column<T>(row: &QueryResult, at: usize) -> Result<T, DbErr>
where
    T: TryGetable + for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    pg_column(row, at).unwrap_or_else(|| row.try_get_by_index(at))
}

/// The value of column `at` of `row` as `T` when the row is PostgreSQL's;
/// `None` for another backend's row, which the caller reads as that
/// backend stores it.
pub fn pg_column<T>(row: &QueryResult, at: usize) -> Option<Result<T, DbErr>>
where
    T: for<'r> sqlx::Decode<'r, Postgres> + sqlx::Type<Postgres>,
{
    let pg = row.try_as_pg_row()?;
    let value = if cfg!(debug_assertions) {
        pg.try_get(at)
    } else {
        pg.try_get_unchecked(at)
    };
    Some(value.map_err(|err| DbErr::Query(RuntimeErr::SqlxError(Arc::new(err)))))
}

/// Column `at` of `row`, a stored enum's text, parsed as `T`. On
/// PostgreSQL the text is parsed where sqlx holds it, without a `String`
/// per value (a year's dashboard reads 60,000 of them); other backends
/// read it as sea-orm does.
pub fn parsed_column<T>(row: &QueryResult, at: usize) -> anyhow::Result<T>
where
    T: std::str::FromStr,
    T::Err: std::error::Error + Send + Sync + 'static,
{
    let parse = |text: &str| crate::graphql::enums::parse_stored::<T>(text);
    match row.try_as_pg_row() {
        Some(pg) => {
            let text: Result<&str, sqlx::Error> = if cfg!(debug_assertions) {
                pg.try_get(at)
            } else {
                pg.try_get_unchecked(at)
            };
            parse(text.map_err(|err| DbErr::Query(RuntimeErr::SqlxError(Arc::new(err))))?)
        }
        None => parse(&row.try_get_by_index::<String>(at)?),
    }
}
