//! Value parsers shared by the subcommands' flags: the domain's words,
//! case-insensitive (`-t review`, `--value HIGH`).

use englog_core::{ActivityType, ImpactLevel, ValueRating};
use std::str::FromStr;

fn word<T: FromStr>(text: &str, all: &[T], show: fn(&T) -> &'static str) -> Result<T, String> {
    text.trim().to_lowercase().parse().map_err(|_| {
        let names: Vec<&str> = all.iter().map(show).collect();
        format!("expected one of: {}", names.join(", "))
    })
}

pub fn activity_type(text: &str) -> Result<ActivityType, String> {
    word(text, ActivityType::ALL, |t| t.as_str())
}

pub fn value_rating(text: &str) -> Result<ValueRating, String> {
    word(text, ValueRating::ALL, |t| t.as_str())
}

pub fn impact_level(text: &str) -> Result<ImpactLevel, String> {
    word(text, ImpactLevel::ALL, |t| t.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_case_insensitive_and_errors_list_the_choices() {
        assert_eq!(activity_type("Review"), Ok(ActivityType::Review));
        assert_eq!(value_rating("HIGH"), Ok(ValueRating::High));
        let err = impact_level("world").unwrap_err();
        assert!(err.contains("personal, team, product, company"), "{err}");
    }
}
