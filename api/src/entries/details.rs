//! What an entry says apart from its times, given for a new entry or for a
//! timer that becomes one when stopped: one type, checked and stored the
//! same way by both.

use englog_core::validation::{validate_optional_text, validate_required_text};
use englog_core::{ActivityType, FieldError, ImpactLevel, Limits, ValueRating};
use uuid::Uuid;

use crate::tags::service::clean_names;

#[derive(Clone, Debug)]
pub struct EntryDetails {
    pub title: String,
    pub description: Option<String>,
    pub activity_type: ActivityType,
    pub project_id: Option<Uuid>,
    /// Tag names as given; [`clean_tags`](Self::clean_tags) normalises them.
    pub tags: Vec<String>,
    /// MEDIUM when not given.
    pub value_rating: Option<ValueRating>,
    /// PERSONAL when not given.
    pub impact_level: Option<ImpactLevel>,
}

/// `prefix` locates an input inside a bulk request (`inputs[3].`).
pub fn field_at(prefix: &str, field: &str) -> String {
    format!("{prefix}{field}")
}

/// The errors of a title and a description, each checked when given.
pub fn check_text(prefix: &str, title: Option<&str>, description: Option<&str>) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(t) = title {
        errors
            .extend(validate_required_text(&field_at(prefix, "title"), t, Limits::TITLE_MAX).err());
    }
    if let Some(d) = description {
        let field = field_at(prefix, "description");
        errors.extend(validate_optional_text(&field, d, Limits::DESCRIPTION_MAX).err());
    }
    errors
}

impl EntryDetails {
    /// The errors of the title and the description.
    pub fn check_text(&self, prefix: &str) -> Vec<FieldError> {
        check_text(prefix, Some(&self.title), self.description.as_deref())
    }

    /// Normalises the tag names (`Code Review` → `code-review`), or says
    /// which one is not a tag name.
    pub fn clean_tags(&mut self, prefix: &str) -> Result<(), FieldError> {
        self.tags = clean_names(&field_at(prefix, "tags"), &self.tags)?;
        Ok(())
    }

    /// The title as stored: trimmed.
    pub fn stored_title(&self) -> String {
        self.title.trim().to_owned()
    }

    /// The description as stored: none when blank.
    pub fn stored_description(&self) -> Option<String> {
        self.description.clone().filter(|d| !d.trim().is_empty())
    }

    pub fn stored_value_rating(&self) -> String {
        self.value_rating.unwrap_or_default().as_str().to_owned()
    }

    pub fn stored_impact_level(&self) -> String {
        self.impact_level.unwrap_or_default().as_str().to_owned()
    }
}
