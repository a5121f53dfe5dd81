use dioxus::prelude::*;
use englog_core::quick_add::{self, QuickAdd as Parsed};

use crate::api::{self, ops};
use crate::components::{TagInput, error_message, quick_add_help, quick_add_preview};
use crate::components::{choice_field, field_error, project_field, time_field, time_inputs};
use crate::dates::{self, Zone, use_zone};
use crate::entry_form::{Problems, graphql_name, project_named, split_tags, times};
use crate::format::{ACTIVITY_TYPES, IMPACT_LEVELS, VALUE_RATINGS, enum_value};
use crate::state::use_session;

type Project = ops::projects::ProjectsProjects;

/// What the form starts with: the last entry's type, project and duration.
#[derive(Clone, PartialEq)]
pub struct QuickDefaults {
    pub activity: String,
    pub project_id: Option<String>,
    pub minutes: i64,
}

/// Logs an entry in a few keystrokes: a title and Enter logs "just now,
/// for the usual duration, of the usual type and project". Tokens in the
/// title (`#tag +Project !high @company ~debug -45m`, the terminal
/// client's grammar from `englog_core::quick_add`) set the other fields and
/// win over them; what they set shows before saving.
#[component]
pub fn QuickAdd(
    defaults: QuickDefaults,
    projects: Vec<Project>,
    on_saved: EventHandler<()>,
) -> Element {
    let session = use_session();
    let zone = use_zone();
    let mut title = use_signal(String::new);
    let activity = use_signal(|| defaults.activity.clone());
    let project = use_signal(|| defaults.project_id.clone().unwrap_or_default());
    let value = use_signal(|| "MEDIUM".to_owned());
    let impact = use_signal(|| "PERSONAL".to_owned());
    let duration = use_signal(|| format!("{}m", defaults.minutes));
    let start = use_signal(String::new);
    let end = use_signal(String::new);
    let tags = use_signal(String::new);
    let mut notes = use_signal(String::new);
    let mut busy = use_signal(|| false);
    let mut error = use_signal(|| None::<String>);
    let mut problems = use_signal(Problems::default);
    let parsed = quick_add::parse(&title());

    let submit = {
        let projects = projects.clone();
        move |event: FormEvent| {
            event.prevent_default();
            if busy() {
                return;
            }
            let form = Form {
                line: title(),
                activity: activity(),
                project: project(),
                value: value(),
                impact: impact(),
                duration: duration(),
                start: start(),
                end: end(),
                tags: tags(),
                notes: notes(),
            };
            let input = match form.input(&projects, &zone, js_sys::Date::now()) {
                Ok(input) => input,
                Err(found) => {
                    problems.set(found);
                    return;
                }
            };
            problems.set(Problems::default());
            busy.set(true);
            error.set(None);
            spawn(async move {
                let variables = ops::create_log_entry::Variables { input };
                match api::authed_unit::<ops::CreateLogEntry>(session, variables).await {
                    Ok(_) => {
                        for mut field in [title, start, end, tags, notes] {
                            field.set(String::new());
                        }
                        on_saved.call(());
                    }
                    Err(e) => error.set(Some(session.message_for(&e))),
                }
                busy.set(false);
            });
        }
    };
    let found = problems();

    rsx! {
        form { id: "quick-add", class: "card quick-add", onsubmit: submit, aria_label: "Quick add", novalidate: true,
            {error_message(error())}
            div { class: "quick-main",
                label { class: "visually-hidden", r#for: "quick-title", "What did you work on?" }
                input { id: "quick-title", placeholder: "What did you work on? #tag +Project !high @team -45m (n)",
                    autocomplete: "off", value: "{title}", aria_invalid: found.get("title").is_some(),
                    aria_describedby: found.described_by("title", "quick-title"),
                    oninput: move |e| title.set(e.value()) }
                {quick_add_help()}
                button { id: "quick-save", r#type: "submit", disabled: busy(),
                    if busy() { "Saving…" } else { "Add" }
                }
            }
            {field_error("quick-title", found.get("title"))}
            {quick_add_preview(&parsed, &projects)}
            div { class: "quick-row",
                {choice_field("quick-type", "Type", activity, &ACTIVITY_TYPES)}
                {project_field("quick-project", project, &projects)}
                for (spec, value) in time_inputs("quick").into_iter().zip([start, duration, end]).take(2) {
                    {time_field(spec, value, &found)}
                }
            }
            TagInput { id: "quick-tags", value: tags }
            // The rest folded away (the title's tokens set value and impact
            // faster); opened when one of its fields is refused.
            details { class: "more-fields", open: found.get("end").is_some(),
                summary { "More: value, impact, end, notes" }
                div { class: "quick-row",
                    {choice_field("quick-value", "Value", value, &VALUE_RATINGS)}
                    {choice_field("quick-impact", "Impact", impact, &IMPACT_LEVELS)}
                    for (spec, value) in time_inputs("quick").into_iter().zip([start, duration, end]).skip(2) {
                        {time_field(spec, value, &found)}
                    }
                }
                div { class: "field",
                    label { r#for: "quick-notes", "Notes" }
                    textarea { id: "quick-notes", rows: 2, placeholder: "Details, links, what you learned (optional)",
                        value: "{notes}", oninput: move |e| notes.set(e.value()) }
                }
            }
        }
    }
}

/// The form as typed, read into an entry (or the refusals).
struct Form {
    line: String,
    activity: String,
    project: String,
    value: String,
    impact: String,
    duration: String,
    start: String,
    end: String,
    tags: String,
    notes: String,
}

impl Form {
    fn input(
        self,
        projects: &[Project],
        zone: &Zone,
        now: f64,
    ) -> Result<ops::create_log_entry::CreateLogEntryInput, Problems> {
        let parsed: Parsed = quick_add::parse(&self.line);
        let mut problems = Problems::default();
        if parsed.title.is_empty() {
            problems.add(
                "title",
                if self.line.trim().is_empty() {
                    "Give the entry a title."
                } else {
                    "Only tokens so far: add words for the title."
                },
            );
        }
        let project_id = match &parsed.project {
            Some(name) => match project_named(projects, name) {
                Some(p) => Some(p.id.clone()),
                None => {
                    // The live warning is already on screen; it also blocks.
                    problems.add("project", format!("No project is named “{name}”."));
                    None
                }
            },
            None => (!self.project.is_empty()).then_some(self.project),
        };
        let window = match parsed.started_ago {
            Some(ago) => Some((now - ago.num_minutes() as f64 * 60_000.0, now)),
            None => times(
                &self.start,
                &self.duration,
                &self.end,
                zone,
                now,
                &mut problems,
            ),
        };
        let (Some((start_ms, end_ms)), true) = (window, problems.is_empty()) else {
            return Err(problems);
        };
        let mut tags = split_tags(&self.tags);
        for tag in parsed.tags {
            if !tags.iter().any(|t| t.eq_ignore_ascii_case(&tag)) {
                tags.push(tag);
            }
        }
        let chosen = |token: Option<&str>, field: String| token.map(graphql_name).unwrap_or(field);
        let notes = self.notes.trim();
        Ok(ops::create_log_entry::CreateLogEntryInput {
            title: parsed.title,
            activity_type: enum_value(&chosen(
                parsed.activity_type.map(|t| t.as_str()),
                self.activity,
            ))
            .unwrap_or(ops::create_log_entry::ActivityType::CODE),
            start_time: dates::iso(start_ms),
            end_time: dates::iso(end_ms),
            project_id,
            tags,
            description: (!notes.is_empty()).then(|| notes.to_owned()),
            value_rating: enum_value(&chosen(parsed.value.map(|v| v.as_str()), self.value)),
            impact_level: enum_value(&chosen(parsed.impact.map(|i| i.as_str()), self.impact)),
            is_draft: false,
        })
    }
}
