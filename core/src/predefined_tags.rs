//! The seed's predefined tags, created for every new user so the journal is
//! useful from the first entry.

use crate::TagCategory;

/// A tag every account starts with.
pub struct PredefinedTag {
    pub name: &'static str,
    pub category: TagCategory,
    pub color: &'static str,
}

const fn tag(name: &'static str, category: TagCategory, color: &'static str) -> PredefinedTag {
    PredefinedTag {
        name,
        category,
        color,
    }
}

/// Seed document §3 "Predefined Tag Categories", in its order.
pub const PREDEFINED_TAGS: &[PredefinedTag] = &[
    tag("p0-critical", TagCategory::Priority, "#d32f2f"),
    tag("p1-high", TagCategory::Priority, "#f57c00"),
    tag("p2-medium", TagCategory::Priority, "#fbc02d"),
    tag("p3-low", TagCategory::Priority, "#7cb342"),
    tag("api-design", TagCategory::Technology, "#1976d2"),
    tag("database", TagCategory::Technology, "#0288d1"),
    tag("backend", TagCategory::Technology, "#0097a7"),
    tag("devops", TagCategory::Technology, "#00796b"),
    tag("bug-fix", TagCategory::ActivityFocus, "#c2185b"),
    tag("feature", TagCategory::ActivityFocus, "#7b1fa2"),
    tag("refactor", TagCategory::ActivityFocus, "#512da8"),
    tag("performance", TagCategory::ActivityFocus, "#303f9f"),
    tag("security", TagCategory::ActivityFocus, "#455a64"),
    tag("testing", TagCategory::ActivityFocus, "#388e3c"),
    tag("junior-dev", TagCategory::Collaboration, "#5d4037"),
    tag("cross-team", TagCategory::Collaboration, "#e64a19"),
    tag(
        "external-stakeholder",
        TagCategory::Collaboration,
        "#afb42b",
    ),
    tag("solo-work", TagCategory::Collaboration, "#616161"),
    tag("leadership", TagCategory::Skills, "#ffa000"),
    tag("technical-design", TagCategory::Skills, "#689f38"),
    tag("problem-solving", TagCategory::Skills, "#0277bd"),
    tag("communication", TagCategory::Skills, "#ad1457"),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validation::validate_tag_name;

    #[test]
    fn predefined_tags_are_valid_and_unique() {
        let mut names: Vec<_> = PREDEFINED_TAGS.iter().map(|t| t.name).collect();
        for name in &names {
            assert!(validate_tag_name("name", name).is_ok(), "{name}");
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PREDEFINED_TAGS.len());
    }
}
