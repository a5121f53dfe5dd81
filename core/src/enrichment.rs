//! Entry enrichment: what the worker asks the model about one entry, the
//! JSON schema the answer must follow, and the checks that turn an answer
//! into suggestions. The model's word is never trusted: every value is
//! checked here, and projects, tags and skills outside the person's own are
//! left out.

use serde::{Deserialize, Serialize};
use std::fmt::Write;
use uuid::Uuid;

use crate::{ActivityType, ImpactLevel, ValueRating};

/// Skills every vocabulary starts with; people add and remove their own.
pub const DEFAULT_SKILLS: &[&str] = &[
    "architecture",
    "communication",
    "debugging",
    "documentation",
    "leadership",
    "mentoring",
    "operations",
    "planning",
    "programming",
    "security",
    "testing",
];

/// At most this many tags or skills are suggested for one entry.
pub const MAX_LISTED: usize = 5;
const MAX_REASON_CHARS: usize = 200;

/// How the work felt, as read from its words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sentiment {
    Frustrated,
    Neutral,
    Satisfied,
    Energised,
}

impl Sentiment {
    pub const ALL: [Sentiment; 4] = [
        Sentiment::Frustrated,
        Sentiment::Neutral,
        Sentiment::Satisfied,
        Sentiment::Energised,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Sentiment::Frustrated => "frustrated",
            Sentiment::Neutral => "neutral",
            Sentiment::Satisfied => "satisfied",
            Sentiment::Energised => "energised",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// The fields a suggestion can be about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionField {
    ActivityType,
    Project,
    Tags,
    ValueRating,
    ImpactLevel,
    Sentiment,
    Skills,
}

impl SuggestionField {
    pub const ALL: [SuggestionField; 7] = [
        SuggestionField::ActivityType,
        SuggestionField::Project,
        SuggestionField::Tags,
        SuggestionField::ValueRating,
        SuggestionField::ImpactLevel,
        SuggestionField::Sentiment,
        SuggestionField::Skills,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SuggestionField::ActivityType => "activity_type",
            SuggestionField::Project => "project",
            SuggestionField::Tags => "tags",
            SuggestionField::ValueRating => "value_rating",
            SuggestionField::ImpactLevel => "impact_level",
            SuggestionField::Sentiment => "sentiment",
            SuggestionField::Skills => "skills",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s)
    }
}

/// A project the entry may belong to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedProject {
    pub id: Uuid,
    pub name: String,
}

/// The entry as the enrichment sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichmentEntry {
    pub id: Uuid,
    pub title: String,
    pub description: Option<String>,
}

/// Suggest what an entry leaves out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichmentJob {
    pub version: u32,
    pub job_id: Uuid,
    pub user_id: Uuid,
    pub entry: EnrichmentEntry,
    /// [`text_hash`] of the entry's text when the job was written; a result
    /// for older text is dropped.
    pub text_hash: String,
    /// The person's projects: the only ones that may be suggested.
    pub projects: Vec<NamedProject>,
    /// The person's tags: the only ones that may be suggested.
    pub tags: Vec<String>,
    /// The person's skills vocabulary.
    pub skills: Vec<String>,
    /// Set when the job belongs to a bulk `enrichEntries` run.
    pub batch_id: Option<Uuid>,
    pub attempt: u32,
    /// Like [`crate::jobs::ReportJob::model_wait_since`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model_wait_since: Option<chrono::DateTime<chrono::Utc>>,
}

/// One suggested value with the model's one-line reason.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldSuggestion {
    pub field: SuggestionField,
    /// `"code"`, `{"id":…,"name":…}`, `["rust"]`, `{"label":"satisfied","score":0.6}`.
    pub value: serde_json::Value,
    pub reason: String,
}

/// What an enrichment job sends back.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EnrichmentOutput {
    pub entry_id: Uuid,
    pub text_hash: String,
    pub batch_id: Option<Uuid>,
    pub suggestions: Vec<FieldSuggestion>,
    pub model: String,
}

/// A stable fingerprint of an entry's text (FNV-1a, 64 bits): equal text,
/// equal hash, on every platform and version.
pub fn text_hash(title: &str, description: Option<&str>) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in title
        .trim()
        .bytes()
        .chain([0u8])
        .chain(description.unwrap_or("").trim().bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// A reason the grammar cannot leave empty: the model otherwise sometimes
/// closes the string at once, and an empty reason rejects the whole answer.
fn reason_schema() -> serde_json::Value {
    serde_json::json!({ "type": "string", "minLength": 1 })
}

fn reasoned(value: serde_json::Value) -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": { "value": value, "reason": reason_schema() },
        "required": ["value", "reason"]
    })
}

/// The JSON schema handed to Ollama's structured output (`format`).
pub fn output_schema(job: &EnrichmentJob) -> serde_json::Value {
    let names = |items: Vec<&str>| serde_json::json!(items);
    let activity: Vec<&str> = ActivityType::ALL.iter().map(|a| a.as_str()).collect();
    let values: Vec<&str> = ValueRating::ALL.iter().map(|a| a.as_str()).collect();
    let impacts: Vec<&str> = ImpactLevel::ALL.iter().map(|a| a.as_str()).collect();
    let sentiments: Vec<&str> = Sentiment::ALL.iter().map(|a| a.as_str()).collect();
    let projects: Vec<&str> = job.projects.iter().map(|p| p.name.as_str()).collect();
    let mut project = serde_json::json!({ "type": ["string", "null"] });
    if !projects.is_empty() {
        let mut allowed: Vec<serde_json::Value> = projects.into_iter().map(Into::into).collect();
        allowed.push(serde_json::Value::Null);
        project["enum"] = serde_json::Value::Array(allowed);
    }
    serde_json::json!({
        "type": "object",
        "properties": {
            "activity_type": reasoned(serde_json::json!({ "type": "string", "enum": names(activity) })),
            "project": reasoned(project),
            "tags": reasoned(serde_json::json!({ "type": "array", "items": { "type": "string" } })),
            "value_rating": reasoned(serde_json::json!({ "type": "string", "enum": names(values) })),
            "impact_level": reasoned(serde_json::json!({ "type": "string", "enum": names(impacts) })),
            "sentiment": {
                "type": "object",
                "properties": {
                    "value": { "type": "string", "enum": names(sentiments) },
                    "score": { "type": "number", "minimum": -1, "maximum": 1 },
                    "reason": reason_schema()
                },
                "required": ["value", "score", "reason"]
            },
            "skills": reasoned(serde_json::json!({ "type": "array", "items": { "type": "string" } })),
        },
        "required": ["activity_type", "project", "tags", "value_rating", "impact_level", "sentiment", "skills"]
    })
}

pub const SYSTEM: &str = "You read one entry of a software engineer's work journal and suggest \
the details it leaves out. Answer with JSON only, following the given schema. Every reason is \
one short sentence.";

/// Appended to the prompt when an answer was cut off at its token cap: the
/// reasons are what grows, so the retry asks for short ones.
pub const BRIEF_REMINDER: &str = "\nYour previous answer was too long and was cut off. \
Answer again with the same JSON fields, and keep every reason under ten words.\n";

/// The prompt for one entry.
pub fn build_prompt(job: &EnrichmentJob) -> String {
    let mut out = String::from("Enrich this work journal entry.\n\n");
    let _ = writeln!(out, "Title: {}", job.entry.title);
    if let Some(d) = &job.entry.description {
        let _ = writeln!(out, "Description: {d}");
    }
    let list = |items: &mut dyn Iterator<Item = &str>| {
        let v: Vec<&str> = items.collect();
        if v.is_empty() {
            "(none)".to_owned()
        } else {
            v.join(", ")
        }
    };
    let _ = writeln!(
        out,
        "\nProjects (choose one of these or null): {}",
        list(&mut job.projects.iter().map(|p| p.name.as_str()))
    );
    let _ = writeln!(
        out,
        "Existing tags (choose among these): {}",
        list(&mut job.tags.iter().map(String::as_str))
    );
    let _ = writeln!(
        out,
        "Skills vocabulary (choose among these): {}",
        list(&mut job.skills.iter().map(String::as_str))
    );
    out.push_str(
        "\nSuggest: activity_type, project, tags (at most 5), value_rating, impact_level, \
sentiment (frustrated, neutral, satisfied or energised, with a score from -1 to 1) and skills \
exercised (at most 5). Give each a one-line reason.\n",
    );
    out
}

#[derive(Deserialize)]
struct Raw<T> {
    value: T,
    reason: String,
}

#[derive(Deserialize)]
struct RawSentiment {
    value: String,
    score: f64,
    reason: String,
}

#[derive(Deserialize)]
struct RawOutput {
    activity_type: Raw<String>,
    project: Raw<Option<String>>,
    tags: Raw<Vec<String>>,
    value_rating: Raw<String>,
    impact_level: Raw<String>,
    sentiment: RawSentiment,
    skills: Raw<Vec<String>>,
}

fn reason(field: &str, text: &str) -> Result<String, String> {
    let line = text.trim();
    if line.is_empty() {
        return Err(format!("{field}: the reason is empty"));
    }
    // One line: the first, cut to a length a list can show.
    let first = line.lines().next().unwrap_or_default().trim();
    Ok(first.chars().take(MAX_REASON_CHARS).collect())
}

fn parse_enum<T: std::str::FromStr>(field: &str, value: &str) -> Result<T, String> {
    value
        .trim()
        .to_lowercase()
        .parse()
        .map_err(|_| format!("{field}: `{value}` is not allowed"))
}

/// Keeps `wanted` names found in `allowed` (case-insensitively), spelled as
/// in `allowed`, without duplicates, at most [`MAX_LISTED`].
pub fn keep_known(wanted: &[String], allowed: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for w in wanted {
        if let Some(a) = allowed.iter().find(|a| a.eq_ignore_ascii_case(w.trim()))
            && !out.contains(a)
        {
            out.push(a.clone());
        }
    }
    out.truncate(MAX_LISTED);
    out
}

/// Checks the model's answer against the schema. `Err` names the first
/// violation (the answer is retried); values outside the person's own
/// projects, tags and skills are left out, not errors.
pub fn parse_output(job: &EnrichmentJob, text: &str) -> Result<Vec<FieldSuggestion>, String> {
    let raw: RawOutput =
        serde_json::from_str(text.trim()).map_err(|e| format!("not the expected JSON: {e}"))?;
    let mut out = Vec::new();
    let activity: ActivityType = parse_enum("activity_type", &raw.activity_type.value)?;
    out.push(FieldSuggestion {
        field: SuggestionField::ActivityType,
        value: serde_json::json!(activity.as_str()),
        reason: reason("activity_type", &raw.activity_type.reason)?,
    });
    if let Some(name) = raw.project.value.as_deref().map(str::trim)
        && let Some(p) = job
            .projects
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
    {
        out.push(FieldSuggestion {
            field: SuggestionField::Project,
            value: serde_json::json!({ "id": p.id, "name": p.name }),
            reason: reason("project", &raw.project.reason)?,
        });
    }
    let tags = keep_known(&raw.tags.value, &job.tags);
    if !tags.is_empty() {
        out.push(FieldSuggestion {
            field: SuggestionField::Tags,
            value: serde_json::json!(tags),
            reason: reason("tags", &raw.tags.reason)?,
        });
    }
    let value: ValueRating = parse_enum("value_rating", &raw.value_rating.value)?;
    out.push(FieldSuggestion {
        field: SuggestionField::ValueRating,
        value: serde_json::json!(value.as_str()),
        reason: reason("value_rating", &raw.value_rating.reason)?,
    });
    let impact: ImpactLevel = parse_enum("impact_level", &raw.impact_level.value)?;
    out.push(FieldSuggestion {
        field: SuggestionField::ImpactLevel,
        value: serde_json::json!(impact.as_str()),
        reason: reason("impact_level", &raw.impact_level.reason)?,
    });
    let sentiment = Sentiment::parse(raw.sentiment.value.trim().to_lowercase().as_str())
        .ok_or_else(|| format!("sentiment: `{}` is not allowed", raw.sentiment.value))?;
    let score = raw.sentiment.score;
    // Grammars built from a JSON schema (Ollama's, llama.cpp's) do not
    // enforce a number's range, so a model can answer 5: that one
    // suggestion is left out, like a foreign tag, not the whole answer.
    if score.is_finite() && (-1.0..=1.0).contains(&score) {
        out.push(FieldSuggestion {
            field: SuggestionField::Sentiment,
            value: serde_json::json!({ "label": sentiment.as_str(), "score": score }),
            reason: reason("sentiment", &raw.sentiment.reason)?,
        });
    }
    let skills = keep_known(&raw.skills.value, &job.skills);
    if !skills.is_empty() {
        out.push(FieldSuggestion {
            field: SuggestionField::Skills,
            value: serde_json::json!(skills),
            reason: reason("skills", &raw.skills.reason)?,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job() -> EnrichmentJob {
        EnrichmentJob {
            version: 1,
            job_id: Uuid::nil(),
            user_id: Uuid::nil(),
            entry: EnrichmentEntry {
                id: Uuid::nil(),
                title: "Fixed the flaky login test".into(),
                description: None,
            },
            text_hash: text_hash("Fixed the flaky login test", None),
            projects: vec![NamedProject {
                id: Uuid::from_u128(7),
                name: "API".into(),
            }],
            tags: vec!["testing".into(), "auth".into()],
            skills: vec!["debugging".into(), "testing".into()],
            batch_id: None,
            attempt: 1,
            model_wait_since: None,
        }
    }

    fn answer(project: &str, score: f64) -> String {
        serde_json::json!({
            "activity_type": { "value": "debug", "reason": "It fixes a test." },
            "project": { "value": project, "reason": "Login lives in the API." },
            "tags": { "value": ["Testing", "secret-tag"], "reason": "A test." },
            "value_rating": { "value": "high", "reason": "Unblocks CI." },
            "impact_level": { "value": "team", "reason": "Everyone runs CI." },
            "sentiment": { "value": "satisfied", "score": score, "reason": "Fixed." },
            "skills": { "value": ["debugging", "juggling"], "reason": "Flaky tests." }
        })
        .to_string()
    }

    #[test]
    fn a_valid_answer_becomes_suggestions_within_the_persons_own() {
        let s = parse_output(&job(), &answer("api", 0.5)).unwrap();
        let by = |f| s.iter().find(|x| x.field == f).map(|x| x.value.clone());
        assert_eq!(
            by(SuggestionField::Project).unwrap()["id"],
            Uuid::from_u128(7).to_string()
        );
        assert_eq!(
            by(SuggestionField::Tags).unwrap(),
            serde_json::json!(["testing"])
        );
        assert_eq!(
            by(SuggestionField::Skills).unwrap(),
            serde_json::json!(["debugging"])
        );
        assert_eq!(by(SuggestionField::ActivityType).unwrap(), "debug");
    }

    #[test]
    fn foreign_values_are_left_out_and_violations_are_errors() {
        let s = parse_output(&job(), &answer("Someone else's", 0.5)).unwrap();
        assert!(s.iter().all(|x| x.field != SuggestionField::Project));
        // A score out of range (grammars do not enforce ranges): only the
        // sentiment is left out.
        let s = parse_output(&job(), &answer("API", 3.0)).unwrap();
        assert!(s.iter().all(|x| x.field != SuggestionField::Sentiment));
        assert!(s.iter().any(|x| x.field == SuggestionField::Project));
        assert!(parse_output(&job(), "{not json").is_err());
        assert!(parse_output(&job(), r#"{"activity_type": "code"}"#).is_err());
        let bad_enum = answer("API", 0.1).replace("\"debug\"", "\"napping\"");
        assert!(parse_output(&job(), &bad_enum).is_err());
    }

    #[test]
    fn text_hashes_follow_the_text() {
        assert_eq!(text_hash("a", None), text_hash(" a ", Some("")));
        assert_ne!(text_hash("a", None), text_hash("a", Some("b")));
        assert_ne!(text_hash("ab", None), text_hash("a", Some("b")));
    }

    #[test]
    fn the_schema_lists_the_persons_projects() {
        let schema = output_schema(&job());
        let allowed = &schema["properties"]["project"]["properties"]["value"]["enum"];
        assert_eq!(allowed, &serde_json::json!(["API", null]));
    }
}
