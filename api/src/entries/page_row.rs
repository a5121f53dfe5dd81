//! A page's row read where sqlx holds it, as PostgreSQL sent it (binary),
//! for the page written straight to JSON ([`super::listed_page`]).
//!
//! Decoding a 50-entry page into entries — a `String` for each title, tag
//! and project name, each checked as sqlx checks it, the entry model and
//! then the GraphQL object built from it — was ~200,000 of the page's
//! ~630,000 server instructions (callgrind, issue 18, eighteenth pass).
//! Here each selected column is read in place into an [`EntryRef`] that
//! borrows the row's text, and only what the JSON needs is checked: text is
//! still checked as UTF-8, lengths as PostgreSQL's binary formats fix them.
//! A value that does not read is an error (logged, opaque to the caller),
//! as it is when the page is decoded.
//!
//! The formats are PostgreSQL's `*send` functions': `uuid` 16 bytes;
//! `timestamptz` microseconds since 2000-01-01 UTC and `date` days since
//! then, big-endian; `int4` big-endian; `bool` one byte; text as is; a
//! one-dimensional array as its header, then each element's length and
//! bytes (`array_send`). sqlx asks for every result column in binary.

use anyhow::{Context, anyhow, bail};
use chrono::{DateTime, Days, NaiveDate, Utc};
use englog_core::{ActivityType, ImpactLevel, ProjectStatus, ValueRating};
use entity::{log_entry, project};
use sea_orm::sqlx::postgres::{PgRow, PgValueFormat};
use sea_orm::sqlx::{Postgres, Row, Type, ValueRef};
use uuid::Uuid;

use super::listed_json::{EntryRef, ProjectRef, TagList};
use super::views::EntryParts;
use crate::graphql::enums::parse_stored;

/// Microseconds from the Unix epoch to PostgreSQL's, 2000-01-01 UTC.
const PG_EPOCH_MICROS: i64 = 946_684_800_000_000;

/// The entry in `row`, a row of a page's statement for `parts`
/// (`views::page_statement`): the columns `parts` selects, placeholders
/// for the others.
pub(super) fn entry_ref<'r>(row: &'r PgRow, parts: &EntryParts) -> anyhow::Result<EntryRef<'r>> {
    use log_entry::Column as C;
    let at = Columns(row);
    let mut entry = placeholder();
    for (index, column) in parts.columns().iter().enumerate() {
        match column {
            C::Id => entry.id = at.uuid(index)?,
            C::ProjectId => entry.project_id = at.nullable(index, uuid)?,
            C::Title => entry.title = at.text(index)?,
            C::Description => entry.description = at.nullable(index, text)?,
            C::ActivityType => {
                entry.activity_type = parse_stored::<ActivityType>(at.text(index)?)?.into()
            }
            C::StartTime => entry.start_time = at.instant(index)?,
            C::EndTime => entry.end_time = at.instant(index)?,
            C::DurationMinutes => entry.duration_minutes = at.int(index)?,
            C::ValueRating => {
                entry.value_rating = parse_stored::<ValueRating>(at.text(index)?)?.into()
            }
            C::ImpactLevel => {
                entry.impact_level = parse_stored::<ImpactLevel>(at.text(index)?)?.into()
            }
            C::IsDraft => entry.is_draft = at.bool(index)?,
            C::CreatedAt => entry.created_at = at.instant(index)?,
            C::UpdatedAt => entry.updated_at = at.instant(index)?,
            // Not part of the GraphQL type, so never selected for a page.
            C::UserId | C::Source | C::ExternalUid => {}
        }
    }
    if let Some(columns) = parts.project_columns() {
        entry.project = project_ref(&at, parts.project_at(), columns)?;
    }
    if parts.reads_tags() {
        // No tags is NULL.
        if let Some(names) = at.nullable(parts.tags_at(), text_array)? {
            entry.tags = names;
        }
    }
    Ok(entry)
}

/// The left-joined project from position `at` on (`columns`, its `id`
/// first); `None` when the join found none.
fn project_ref<'r>(
    row: &Columns<'r>,
    at: usize,
    columns: &[project::Column],
) -> anyhow::Result<Option<ProjectRef<'r>>> {
    use project::Column as P;
    let Some(id) = row.nullable(at, uuid)? else {
        return Ok(None);
    };
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    let mut project = ProjectRef {
        id,
        name: "",
        description: None,
        status: ProjectStatus::default().into(),
        start_date: None,
        end_date: None,
        color: None,
        created_at: epoch,
        updated_at: epoch,
    };
    for (index, column) in (at..).zip(columns) {
        match column {
            P::Id | P::UserId => {}
            P::Name => project.name = row.text(index)?,
            P::Description => project.description = row.nullable(index, text)?,
            P::Status => project.status = parse_stored::<ProjectStatus>(row.text(index)?)?.into(),
            P::StartDate => project.start_date = row.nullable(index, date)?,
            P::EndDate => project.end_date = row.nullable(index, date)?,
            P::Color => project.color = row.nullable(index, text)?,
            P::CreatedAt => project.created_at = row.instant(index)?,
            P::UpdatedAt => project.updated_at = row.instant(index)?,
        }
    }
    Ok(Some(project))
}

/// What an entry holds in a column that was not selected; never written.
fn placeholder<'r>() -> EntryRef<'r> {
    let epoch = DateTime::<Utc>::UNIX_EPOCH;
    EntryRef {
        id: Uuid::nil(),
        title: "",
        description: None,
        activity_type: ActivityType::Code.into(),
        project_id: None,
        project: None,
        tags: TagList::new(),
        start_time: epoch,
        end_time: epoch,
        duration_minutes: 0,
        value_rating: ValueRating::default().into(),
        impact_level: ImpactLevel::default().into(),
        is_draft: false,
        created_at: epoch,
        updated_at: epoch,
    }
}

/// A row's columns by position, as raw binary values.
struct Columns<'r>(&'r PgRow);

impl<'r> Columns<'r> {
    /// Column `at`'s bytes, `None` for NULL. In debug builds, which every
    /// test runs, the column's type must be `T`'s as well (sqlx's check;
    /// release builds skip it, as `db_read` explains).
    fn raw<T: Type<Postgres>>(&self, at: usize) -> anyhow::Result<Option<&'r [u8]>> {
        let value = self
            .0
            .try_get_raw(at)
            .with_context(|| format!("column {at} of a page's row"))?;
        if value.format() != PgValueFormat::Binary {
            bail!("column {at} of a page's row came as text");
        }
        if value.is_null() {
            return Ok(None);
        }
        if cfg!(debug_assertions) && !T::compatible(&value.type_info()) {
            bail!(
                "column {at} of a page's row is a {}, not a {}",
                value.type_info(),
                T::type_info()
            );
        }
        value
            .as_bytes()
            .map(Some)
            .map_err(|err| anyhow!("column {at} of a page's row: {err}"))
    }

    /// Column `at`, which may be NULL, read by `read`.
    fn nullable<T: Binary<'r>>(
        &self,
        at: usize,
        read: fn(&'r [u8]) -> Option<T>,
    ) -> anyhow::Result<Option<T>> {
        match self.raw::<T::Sql>(at)? {
            Some(bytes) => read(bytes).map(Some).ok_or_else(|| {
                anyhow!(
                    "column {at} of a page's row does not read as a {}",
                    T::Sql::type_info()
                )
            }),
            None => Ok(None),
        }
    }

    /// Column `at`, which must not be NULL, read by `read`.
    fn required<T: Binary<'r>>(
        &self,
        at: usize,
        read: fn(&'r [u8]) -> Option<T>,
    ) -> anyhow::Result<T> {
        self.nullable(at, read)?
            .ok_or_else(|| anyhow!("column {at} of a page's row is NULL"))
    }

    fn uuid(&self, at: usize) -> anyhow::Result<Uuid> {
        self.required(at, uuid)
    }

    fn text(&self, at: usize) -> anyhow::Result<&'r str> {
        self.required(at, text)
    }

    fn instant(&self, at: usize) -> anyhow::Result<DateTime<Utc>> {
        self.required(at, instant)
    }

    fn int(&self, at: usize) -> anyhow::Result<i32> {
        self.required(at, |bytes| Some(i32::from_be_bytes(bytes.try_into().ok()?)))
    }

    fn bool(&self, at: usize) -> anyhow::Result<bool> {
        self.required(at, |bytes| match bytes {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        })
    }
}

/// A value read from its binary form, and the SQL type it is read from.
trait Binary<'r> {
    type Sql: Type<Postgres>;
}

impl Binary<'_> for Uuid {
    type Sql = Uuid;
}

impl<'r> Binary<'r> for &'r str {
    type Sql = String;
}

impl Binary<'_> for DateTime<Utc> {
    type Sql = DateTime<Utc>;
}

impl Binary<'_> for NaiveDate {
    type Sql = NaiveDate;
}

impl Binary<'_> for i32 {
    type Sql = i32;
}

impl Binary<'_> for bool {
    type Sql = bool;
}

impl<'r> Binary<'r> for TagList<'r> {
    type Sql = Vec<String>;
}

fn uuid(bytes: &[u8]) -> Option<Uuid> {
    Uuid::from_slice(bytes).ok()
}

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

fn instant(bytes: &[u8]) -> Option<DateTime<Utc>> {
    let micros = i64::from_be_bytes(bytes.try_into().ok()?);
    DateTime::from_timestamp_micros(micros.checked_add(PG_EPOCH_MICROS)?)
}

fn date(bytes: &[u8]) -> Option<NaiveDate> {
    let days = i32::from_be_bytes(bytes.try_into().ok()?);
    let epoch = NaiveDate::from_ymd_opt(2000, 1, 1)?;
    if days >= 0 {
        epoch.checked_add_days(Days::new(days as u64))
    } else {
        epoch.checked_sub_days(Days::new(u64::from(days.unsigned_abs())))
    }
}

/// The elements of a one-dimensional text array without NULLs, in
/// PostgreSQL's binary form; `None` unless every element is UTF-8 and the
/// array reads to its end. An entry's few tags need no heap list.
fn text_array(bytes: &[u8]) -> Option<TagList<'_>> {
    let word = |at: usize| -> Option<i32> {
        Some(i32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let (dimensions, has_nulls) = (word(0)?, word(4)?);
    let (header, expected) = match dimensions {
        0 => (12, 0),
        // The length and lower bound of the one dimension.
        1 => (20, usize::try_from(word(12)?).ok()?),
        _ => return None,
    };
    if has_nulls != 0 {
        return None;
    }
    let mut names = TagList::new();
    let mut rest = bytes.get(header..)?;
    while !rest.is_empty() {
        let length = usize::try_from(i32::from_be_bytes(rest.get(..4)?.try_into().ok()?)).ok()?;
        let element = rest.get(4..4 + length)?;
        names.push(text(element)?);
        rest = &rest[4 + length..];
    }
    (names.len() == expected).then_some(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `array_send`'s form of a one-dimensional text array.
    fn array(elements: &[&str]) -> Vec<u8> {
        let mut bytes = Vec::new();
        for word in [1, 0, 25, elements.len() as i32, 1] {
            bytes.extend_from_slice(&i32::to_be_bytes(word));
        }
        for element in elements {
            bytes.extend_from_slice(&(element.len() as i32).to_be_bytes());
            bytes.extend_from_slice(element.as_bytes());
        }
        bytes
    }

    #[test]
    fn a_text_array_reads_its_elements_and_refuses_what_it_cannot_read() {
        let names = ["alpha", "", "é ✓ 🚀", "d", "e"];
        let bytes = array(&names);
        assert_eq!(text_array(&bytes).expect("an array").as_slice(), names);
        let empty = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25];
        assert_eq!(text_array(&empty).map(|names| names.len()), Some(0));
        // Cut short, a count that does not match, invalid UTF-8, a NULL.
        assert!(text_array(&bytes[..bytes.len() - 1]).is_none());
        let mut miscounted = bytes.clone();
        miscounted[15] = 6;
        assert!(text_array(&miscounted).is_none());
        let mut not_utf8 = array(&["ab"]);
        let last = not_utf8.len() - 1;
        not_utf8[last] = 0xff;
        assert!(text_array(&not_utf8).is_none());
        let mut with_null = array(&["a"]);
        with_null[20..24].copy_from_slice(&(-1i32).to_be_bytes());
        with_null.truncate(24);
        assert!(text_array(&with_null).is_none());
    }

    #[test]
    fn instants_and_dates_read_from_the_2000_epoch() {
        let at = DateTime::parse_from_rfc3339("2026-03-06T07:08:09.123456Z")
            .unwrap()
            .with_timezone(&Utc);
        let micros = at.timestamp_micros() - PG_EPOCH_MICROS;
        assert_eq!(instant(&micros.to_be_bytes()), Some(at));
        assert_eq!(instant(&[0; 7]), None);
        assert_eq!(
            date(&0i32.to_be_bytes()),
            NaiveDate::from_ymd_opt(2000, 1, 1)
        );
        assert_eq!(
            date(&(-1i32).to_be_bytes()),
            NaiveDate::from_ymd_opt(1999, 12, 31)
        );
        assert_eq!(
            date(&9_561i32.to_be_bytes()),
            NaiveDate::from_ymd_opt(2026, 3, 6)
        );
    }
}
