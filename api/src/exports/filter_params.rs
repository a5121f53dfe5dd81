//! The entries list filter from a query string, so a download selects the
//! same entries as the `logEntries(filter:)` query.
//!
//! Names follow the GraphQL `LogEntryFilter`: `from`, `to` (RFC 3339),
//! `projectId`, `types`, `tags`, `valueRatings`, `impactLevels`, `search`.
//! A list is given by repeating its key or comma-separating values; enum
//! values are accepted as in GraphQL (`CODE`) or lowercase (`code`).

use chrono::{DateTime, Utc};
use std::str::FromStr;
use uuid::Uuid;

use crate::entries::list::EntryFilter;
use crate::error::{AppError, AppResult};

fn values<'a>(pairs: &'a [(String, String)], key: &'a str) -> impl Iterator<Item = &'a str> {
    pairs
        .iter()
        .filter(move |(k, _)| k == key)
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

fn single<'a>(pairs: &'a [(String, String)], key: &'a str) -> AppResult<Option<&'a str>> {
    let mut found = pairs
        .iter()
        .filter(|(k, _)| k == key)
        .map(|(_, v)| v.trim());
    let first = found.next();
    if found.next().is_some() {
        return Err(AppError::field(key, "may be given once"));
    }
    Ok(first.filter(|v| !v.is_empty()))
}

fn instant(pairs: &[(String, String)], key: &str) -> AppResult<Option<DateTime<Utc>>> {
    single(pairs, key)?
        .map(|v| {
            DateTime::parse_from_rfc3339(v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|_| AppError::field(key, "must be an RFC 3339 date-time"))
        })
        .transpose()
}

fn enums<T: FromStr>(pairs: &[(String, String)], key: &str) -> AppResult<Vec<T>> {
    values(pairs, key)
        .map(|v| {
            v.to_lowercase()
                .parse()
                .map_err(|_| AppError::field(key, format!("`{v}` is not a known value")))
        })
        .collect()
}

/// Parses a raw query string (`a=1&b=2`).
pub fn parse(query: Option<&str>) -> AppResult<EntryFilter> {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    const KNOWN: [&str; 9] = [
        "from",
        "to",
        "projectId",
        "types",
        "tags",
        "valueRatings",
        "impactLevels",
        "search",
        "draft",
    ];
    if let Some((unknown, _)) = pairs.iter().find(|(k, _)| !KNOWN.contains(&k.as_str())) {
        return Err(AppError::field(unknown.clone(), "is not a filter"));
    }
    let project_id = single(&pairs, "projectId")?
        .map(|v| Uuid::parse_str(v).map_err(|_| AppError::field("projectId", "must be a UUID")))
        .transpose()?;
    Ok(EntryFilter {
        from: instant(&pairs, "from")?,
        to: instant(&pairs, "to")?,
        project_id,
        types: enums(&pairs, "types")?,
        tags: values(&pairs, "tags").map(str::to_owned).collect(),
        value_ratings: enums(&pairs, "valueRatings")?,
        impact_levels: enums(&pairs, "impactLevels")?,
        search: single(&pairs, "search")?.map(str::to_owned),
        draft: single(&pairs, "draft")?
            .map(|v| match v {
                "true" => Ok(true),
                "false" => Ok(false),
                _ => Err(AppError::field("draft", "must be true or false")),
            })
            .transpose()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use englog_core::{ActivityType, ValueRating};

    #[test]
    fn lists_repeat_or_comma_separate_and_enums_ignore_case() {
        let f = parse(Some(
            "types=CODE,meeting&types=DOCS&tags=rust&tags=a%2Bb&valueRatings=HIGH&search=100%25",
        ))
        .unwrap();
        assert_eq!(
            f.types,
            [
                ActivityType::Code,
                ActivityType::Meeting,
                ActivityType::Docs
            ]
        );
        assert_eq!(f.tags, ["rust", "a+b"]);
        assert_eq!(f.value_ratings, [ValueRating::High]);
        assert_eq!(f.search.as_deref(), Some("100%"));
    }

    #[test]
    fn bad_values_name_their_parameter() {
        let field = |q: &str| match parse(Some(q)) {
            Err(AppError::Validation(f)) => f[0].field.clone(),
            _ => panic!("{q} should be refused"),
        };
        assert_eq!(field("from=yesterday"), "from");
        assert_eq!(field("types=SLEEP"), "types");
        assert_eq!(field("projectId=12"), "projectId");
        assert_eq!(field("colour=red"), "colour");
        assert_eq!(field("search=a&search=b"), "search");
    }
}
