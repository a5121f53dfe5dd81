//! The report prompt (seed: summary, activity distribution, project
//! breakdown, value and impact, detailed activities, analysis requirements)
//! fitted to a token budget.
//!
//! Long periods are summarised in layers: every entry listed (`Detailed`);
//! weeks summarised with their key entries listed (`Weekly`); months
//! summarised likewise (`Monthly`); finally months with key entries under
//! shortened titles (`KeyOnly`). A key entry — high value or company impact —
//! is listed individually at every layer, so the model can cite it; only if
//! even those lines exceed the budget are the least important of them
//! dropped, and the count of dropped ones is reported.

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;
use std::collections::BTreeMap;
use std::fmt::Write;
use uuid::Uuid;

use super::context::summary_block;
use super::tokens::estimate_tokens;
use crate::jobs::{EntrySnapshot, ReportJob};
use crate::{ImpactLevel, ReportType, ValueRating};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Layer {
    Detailed,
    Weekly,
    Monthly,
    KeyOnly,
}

#[derive(Debug, Clone)]
pub struct BuiltPrompt {
    pub system: String,
    pub prompt: String,
    /// Marker `[En]` cites `refs[n - 1]`.
    pub refs: Vec<Uuid>,
    pub layer: Layer,
    pub estimated_tokens: usize,
    pub key_entries: usize,
    /// Key entries left out because even their short lines exceeded the
    /// budget (0 in every realistic case; see the annual-report test).
    pub key_entries_omitted: usize,
}

/// High value or company impact: always listed individually.
pub fn is_key(e: &EntrySnapshot) -> bool {
    e.value_rating == ValueRating::High || e.impact_level == ImpactLevel::Company
}

/// Importance order when key entries must be cut: company and high first.
fn importance(e: &EntrySnapshot) -> u8 {
    u8::from(e.impact_level == ImpactLevel::Company) * 2
        + u8::from(e.value_rating == ValueRating::High)
}

fn requirements(report_type: ReportType) -> &'static str {
    match report_type {
        ReportType::Daily => "an end-of-day recap: what got done, what is blocked, what comes next",
        ReportType::Weekly => {
            "a weekly report: key achievements, time allocation, collaboration, focus for next week"
        }
        ReportType::Sprint => {
            "a sprint analysis: contributions to the sprint's goals, delivery, carry-over"
        }
        ReportType::Monthly => "monthly insights: patterns and trends in time, value and impact",
        ReportType::Quarterly => {
            "a quarterly review ready for a performance conversation: impact, growth, evidence"
        }
        ReportType::Annual => {
            "an annual assessment of career growth: themes, biggest impact, skills developed"
        }
        ReportType::Custom => "a summary centred on the requested focus areas",
    }
}

const SYSTEM: &str = "You are a senior software engineering manager helping an engineer \
turn their work log into an honest, specific, professional report. Use only facts from the log.";

fn truncate(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut t: String = text.chars().take(max.saturating_sub(1)).collect();
    t.push('…');
    t
}

struct Listing<'a> {
    tz: Tz,
    entries: &'a [EntrySnapshot],
}

impl Listing<'_> {
    fn local_date(&self, e: &EntrySnapshot) -> NaiveDate {
        e.start_time.with_timezone(&self.tz).date_naive()
    }

    fn detailed_line(&self, n: usize, e: &EntrySnapshot) -> String {
        let local = e.start_time.with_timezone(&self.tz);
        let mut line = format!(
            "[E{n}] {} {}, {} min, {}, {} value, {} impact",
            local.format("%a %Y-%m-%d"),
            local.format("%H:%M"),
            e.duration_minutes,
            e.activity_type,
            e.value_rating,
            e.impact_level
        );
        if let Some(p) = &e.project {
            let _ = write!(line, ", project {p}");
        }
        let _ = write!(line, " — {}", truncate(&e.title, 200));
        if let Some(d) = e.description.as_deref().filter(|d| !d.trim().is_empty()) {
            let _ = write!(line, ": {}", truncate(&d.replace('\n', " "), 200));
        }
        for t in &e.tags {
            let _ = write!(line, " #{t}");
        }
        line
    }

    /// A key entry's line; shorter at the outer layers.
    fn key_line(&self, n: usize, e: &EntrySnapshot, layer: Layer) -> String {
        let local = e.start_time.with_timezone(&self.tz);
        let flags = match (
            e.value_rating == ValueRating::High,
            e.impact_level == ImpactLevel::Company,
        ) {
            (true, true) => "HC",
            (true, false) => "H",
            _ => "C",
        };
        match layer {
            Layer::Weekly => format!(
                "[E{n}] {} {}m {}/{} {}{}",
                local.format("%b %d"),
                e.duration_minutes,
                e.value_rating,
                e.impact_level,
                truncate(&e.title, 100),
                e.project
                    .as_deref()
                    .map(|p| format!(" ({p})"))
                    .unwrap_or_default()
            ),
            Layer::Monthly => format!(
                "[E{n}] {} {}m {flags} {}",
                local.format("%m-%d"),
                e.duration_minutes,
                truncate(&e.title, 60)
            ),
            _ => format!(
                "[E{n}] {} {flags} {}",
                local.format("%m-%d"),
                truncate(&e.title, 34)
            ),
        }
    }

    /// One summary line for a group of entries, with its other activities
    /// named within `others_max` characters.
    fn group_line(
        &self,
        label: &str,
        members: &[(usize, &EntrySnapshot)],
        others_max: usize,
    ) -> String {
        let minutes: i64 = members
            .iter()
            .map(|(_, e)| i64::from(e.duration_minutes))
            .sum();
        let mut by_type: BTreeMap<&str, i64> = BTreeMap::new();
        for (_, e) in members {
            *by_type.entry(e.activity_type.as_str()).or_default() += i64::from(e.duration_minutes);
        }
        let mut types: Vec<_> = by_type.into_iter().collect();
        types.sort_by_key(|t| std::cmp::Reverse(t.1));
        let types: Vec<String> = types
            .iter()
            .take(3)
            .map(|(t, m)| format!("{t} {}%", m * 100 / minutes.max(1)))
            .collect();
        let mut titles: BTreeMap<&str, usize> = BTreeMap::new();
        for (_, e) in members.iter().filter(|(_, e)| others_max > 0 && !is_key(e)) {
            *titles.entry(e.title.as_str()).or_default() += 1;
        }
        let mut titles: Vec<_> = titles.into_iter().collect();
        titles.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
        let mut others = String::new();
        for (title, count) in titles {
            let item = if count > 1 {
                format!("{} ×{count}", truncate(title, 40))
            } else {
                truncate(title, 40)
            };
            if others.chars().count() + item.chars().count() + 2 > others_max {
                others.push_str("; …");
                break;
            }
            if !others.is_empty() {
                others.push_str("; ");
            }
            others.push_str(&item);
        }
        let mut line = format!(
            "### {label}: {} activities, {:.1} h ({})",
            members.len(),
            minutes as f64 / 60.0,
            types.join(", ")
        );
        if !others.is_empty() {
            let _ = write!(line, "\nOther activities: {others}");
        }
        line
    }

    fn grouped(&self, layer: Layer, budget_for_list: usize) -> (String, usize) {
        let numbered: Vec<(usize, &EntrySnapshot)> = self
            .entries
            .iter()
            .enumerate()
            .map(|(i, e)| (i + 1, e))
            .collect();
        if layer == Layer::Detailed {
            let lines: Vec<String> = numbered
                .iter()
                .map(|(n, e)| self.detailed_line(*n, e))
                .collect();
            return (lines.join("\n"), 0);
        }
        let others_max = match layer {
            Layer::Weekly => 200,
            Layer::Monthly => 120,
            _ => 0,
        };
        let mut groups: BTreeMap<(i32, u32), Vec<(usize, &EntrySnapshot)>> = BTreeMap::new();
        for (n, e) in &numbered {
            let d = self.local_date(e);
            let key = if layer == Layer::Weekly {
                (d.iso_week().year(), d.iso_week().week())
            } else {
                (d.year(), d.month())
            };
            groups.entry(key).or_default().push((*n, e));
        }
        // Key entries that fit, most important first, within what the group
        // summaries leave of the budget.
        let mut summaries = Vec::new();
        for ((y, p), members) in &groups {
            let label = if layer == Layer::Weekly {
                format!("Week {y}-W{p:02}")
            } else {
                format!("Month {y}-{p:02}")
            };
            summaries.push(self.group_line(&label, members, others_max));
        }
        let mut remaining = budget_for_list.saturating_sub(estimate_tokens(&summaries.join("\n")));
        let mut keys: Vec<(usize, &EntrySnapshot)> = numbered
            .iter()
            .copied()
            .filter(|(_, e)| is_key(e))
            .collect();
        keys.sort_by(|a, b| importance(b.1).cmp(&importance(a.1)).then(a.0.cmp(&b.0)));
        let mut listed = std::collections::HashSet::new();
        let mut omitted = 0;
        for (n, e) in &keys {
            let cost = estimate_tokens(&self.key_line(*n, e, layer)) + 1;
            if cost <= remaining {
                remaining -= cost;
                listed.insert(*n);
            } else {
                omitted += 1;
            }
        }
        let mut out = String::from(
            "Key activities are listed under their period (H = high value, C = company impact).\n",
        );
        for (summary, members) in summaries.iter().zip(groups.values()) {
            out.push_str(summary);
            out.push('\n');
            for (n, e) in members.iter().filter(|(n, _)| listed.contains(n)) {
                out.push_str(&self.key_line(*n, e, layer));
                out.push('\n');
            }
        }
        if omitted > 0 {
            let _ = writeln!(out, "({omitted} more key activities not listed for space)");
        }
        (out, omitted)
    }
}

/// Builds the prompt for `job` within `budget_tokens` (system + prompt).
pub fn build_prompt(job: &ReportJob, budget_tokens: usize) -> BuiltPrompt {
    let tz: Tz = job.timezone.parse().unwrap_or(chrono_tz::UTC);
    let mut entries = job.entries.clone();
    entries.sort_by(|a, b| a.start_time.cmp(&b.start_time).then(a.id.cmp(&b.id)));
    let listing = Listing {
        tz,
        entries: &entries,
    };
    let head = format!(
        "Analyze the following work log and write a {} ({}).\n\n{}",
        job.report_type,
        requirements(job.report_type),
        summary_block(job)
    );
    let energy = super::energy::energy_block(job, &entries);
    let focus = if job.focus_areas.is_empty() {
        String::new()
    } else {
        format!("Focus areas requested: {}.\n", job.focus_areas.join(", "))
    };
    let tail = format!(
        "\n## Analysis Requirements\n{focus}Write {} in Markdown with `##` section headings:\n\
1. Key accomplishments and deliverables\n2. Time allocation and productivity insights\n\
3. Technical contributions and skill development\n4. Collaboration and mentorship\n\
5. Value: the high-value activities and their outcomes\n\
6. Impact at personal, team, product and company level\n\
7. Areas of focus and possible improvements\n8. Notable patterns\n{energy_item}\
Use bullet points. End every statement about work with the markers of the activities it rests on, \
like [E3] or [E3, E7]. Use only markers that appear in the log above; never invent one. \
Write in the language with code `{}`.\n",
        requirements(job.report_type),
        job.language,
        energy_item = if energy.is_empty() {
            ""
        } else {
            "9. Energy and growth: how the work felt and the skills exercised (a section headed `## Energy and growth`)\n"
        },
    );
    let tail = format!("{energy}{tail}");
    let fixed = estimate_tokens(SYSTEM) + estimate_tokens(&head) + estimate_tokens(&tail) + 16;
    let budget_for_list = budget_tokens.saturating_sub(fixed);
    let key_entries = entries.iter().filter(|e| is_key(e)).count();
    let mut chosen = None;
    for layer in [
        Layer::Detailed,
        Layer::Weekly,
        Layer::Monthly,
        Layer::KeyOnly,
    ] {
        let (list, omitted) = listing.grouped(layer, budget_for_list);
        // A layer fits when it lists every key entry within the budget.
        let fits = omitted == 0 && estimate_tokens(&list) <= budget_for_list;
        if fits || layer == Layer::KeyOnly {
            chosen = Some((layer, list, omitted));
            if fits {
                break;
            }
        }
    }
    let (layer, list, omitted) = chosen.unwrap_or((Layer::KeyOnly, String::new(), key_entries));
    let prompt = format!("{head}## Activities\n{list}\n{tail}");
    BuiltPrompt {
        estimated_tokens: estimate_tokens(SYSTEM) + estimate_tokens(&prompt),
        system: SYSTEM.to_owned(),
        prompt,
        refs: entries.iter().map(|e| e.id).collect(),
        layer,
        key_entries,
        key_entries_omitted: omitted,
    }
}
