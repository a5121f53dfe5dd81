//! `englog report KIND`: requests a report of a period; with `--follow`,
//! prints its text as the model writes it and ends with the report's fate
//! (exit 0 when written, 5 when it failed or was cancelled).

use chrono::NaiveDate;
use std::io::Write;
use std::time::Duration;
use uuid::Uuid;

use super::print_json;
use crate::error::CliError;
use crate::gql::Api;
use crate::gql::enums::InsightStatus;
use crate::gql::ops::{
    Insight, InsightUpdates, RequestInsight, insight, insight_updates, request_insight,
};
use crate::gql::subscription::{Event, Subscription};
use crate::lookup;
use crate::period::{self, Days};
use crate::profile::{self, Profile};

/// How often the stored report is re-read when no update came meanwhile
/// (or the live connection could not be kept).
const RECHECK: Duration = Duration::from_secs(20);
/// Reconnections tried before falling back to reading the stored state.
const RECONNECTS: u32 = 3;

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Kind {
    Weekly,
    Daily,
    Sprint,
    Monthly,
    Quarterly,
    Annual,
    Custom,
}

impl Kind {
    fn report_type(self) -> englog_core::ReportType {
        use englog_core::ReportType as R;
        match self {
            Kind::Weekly => R::Weekly,
            Kind::Daily => R::Daily,
            Kind::Sprint => R::Sprint,
            Kind::Monthly => R::Monthly,
            Kind::Quarterly => R::Quarterly,
            Kind::Annual => R::Annual,
            Kind::Custom => R::Custom,
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// The kind of report; its default period is the current day, week,
    /// last two weeks (sprint), month, quarter or year.
    #[arg(value_enum)]
    pub kind: Kind,
    /// The period as FROM..TO (dates, inclusive), e.g. 2026-03-02..2026-03-08.
    #[arg(long, value_name = "FROM..TO", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<String>,
    /// Last day (inclusive).
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<String>,
    /// A theme to centre the report on (repeatable).
    #[arg(long = "focus", value_name = "TEXT")]
    pub focus: Vec<String>,
    /// Only this project (by name; repeatable).
    #[arg(short, long = "project", value_name = "PROJECT")]
    pub projects: Vec<String>,
    /// Print the report as it is written and wait for it to finish.
    #[arg(long)]
    pub follow: bool,
    /// Print JSON: the request (or, with --follow, the finished report).
    #[arg(long)]
    pub json: bool,
}

pub async fn run(a: ReportArgs) -> Result<(), CliError> {
    let (api, profile) = profile::connect().await?;
    let days = days(&a, &profile)?;
    let mut project_ids = Vec::new();
    for name in &a.projects {
        project_ids.push(lookup::project_id(&api, name).await?);
    }
    let input = request_insight::RequestInsightInput {
        // The same id on a resend: a timeout then a retry is one report.
        client_request_id: Some(Uuid::new_v4().to_string()),
        focus_areas: a.focus.clone(),
        period_start: days.from,
        period_end: days.to,
        project_ids,
        report_type: a.kind.report_type().into(),
    };
    let requested = request(&api, input).await?;
    if !a.follow {
        if a.json {
            return print_json(&serde_json::json!({
                "id": requested.id,
                "status": requested.status,
                "reportType": requested.report_type,
                "periodStart": requested.period_start,
                "periodEnd": requested.period_end,
            }));
        }
        println!(
            "Requested {} report {} for {} to {}: {}. Read it in the web app under Reports, or use --follow to watch it being written.",
            requested.report_type,
            requested.id,
            requested.period_start,
            requested.period_end,
            requested.status
        );
        return Ok(());
    }
    if !a.json {
        eprintln!(
            "Writing the {} report {} for {} to {}…",
            requested.report_type, requested.id, requested.period_start, requested.period_end
        );
    }
    let done = follow(&api, requested.id, !a.json).await?;
    if a.json {
        print_json(&serde_json::json!({
            "id": requested.id,
            "status": done.status,
            "content": done.content,
            "error": done.error,
        }))?;
    }
    match done.status.0 {
        englog_core::InsightStatus::Succeeded => Ok(()),
        _ => Err(CliError::ReportFailed {
            id: requested.id.to_string(),
            status: done.status.to_string(),
            reason: done.error.unwrap_or_else(|| "no reason given".into()),
        }),
    }
}

/// Requests the report, resending once (same `clientRequestId`) when the
/// first answer did not arrive.
async fn request(
    api: &Api,
    input: request_insight::RequestInsightInput,
) -> Result<request_insight::RequestInsightRequestInsight, CliError> {
    let vars = || request_insight::Variables {
        input: input.clone(),
    };
    match api.run::<RequestInsight>(vars()).await {
        Err(CliError::Unreachable { .. }) => api.run::<RequestInsight>(vars()).await,
        other => other,
    }
    .map(|d| d.request_insight)
}

fn days(a: &ReportArgs, profile: &Profile) -> Result<Days, CliError> {
    let clock = profile.clock();
    let explicit = match (&a.period, &a.from, &a.to) {
        (Some(p), _, _) => {
            let (from, to) = p.split_once("..").ok_or_else(|| {
                CliError::usage(format!(
                    "`{p}` is not a period; write FROM..TO, e.g. 2026-03-02..2026-03-08"
                ))
            })?;
            Some((clock.date(from)?, clock.date(to)?))
        }
        (None, Some(from), Some(to)) => Some((clock.date(from)?, clock.date(to)?)),
        _ => None,
    };
    if let Some((from, to)) = explicit {
        return checked(from, to);
    }
    period::report_default(a.kind.report_type(), clock.today(), profile.week_start).ok_or_else(
        || {
            CliError::usage(
                "a custom report needs a period: --period FROM..TO or --from DATE --to DATE",
            )
        },
    )
}

fn checked(from: NaiveDate, to: NaiveDate) -> Result<Days, CliError> {
    if to < from {
        return Err(CliError::usage("the period ends before it starts"));
    }
    Ok(Days { from, to })
}

/// The end state of a followed report.
struct Done {
    status: InsightStatus,
    content: Option<String>,
    error: Option<String>,
}

/// Follows the report to its end, printing text as it comes when `print`.
/// A dropped connection is reopened a few times; after that, or whenever
/// nothing arrives for a while, the stored report is read instead.
async fn follow(api: &Api, id: Uuid, print: bool) -> Result<Done, CliError> {
    let mut out = Printer::new(print);
    let mut failures = 0;
    loop {
        let opened = Subscription::open::<InsightUpdates>(
            &api.server,
            api.token(),
            insight_updates::Variables { id },
        )
        .await;
        match opened {
            Ok(mut sub) => loop {
                let event = tokio::time::timeout(RECHECK, sub.next()).await;
                match event {
                    Ok(Ok(Some(Event::Data(data)))) => {
                        let update: insight_updates::ResponseData = serde_json::from_value(data)
                            .map_err(|e| {
                                CliError::Refused(format!("unexpected report update: {e}"))
                            })?;
                        let u = update.insight_updates;
                        if let Some(delta) = &u.delta {
                            out.delta(delta);
                        }
                        if u.status.is_final() {
                            let content = u.insight.as_ref().and_then(|i| i.content.clone());
                            let error = u.error.or_else(|| u.insight.and_then(|i| i.error));
                            return Ok(out.finish(Done {
                                status: u.status,
                                content,
                                error,
                            }));
                        }
                    }
                    Ok(Err(e)) => return Err(e),
                    // Quiet for a while: make sure nothing was missed.
                    Err(_) => {
                        if let Some(done) = stored_if_final(api, id).await? {
                            return Ok(out.finish(done));
                        }
                    }
                    // Closed or completed before the end: reconnect below.
                    Ok(Ok(_)) => {
                        failures += 1;
                        break;
                    }
                }
            },
            Err(dropped) => {
                failures += 1;
                if failures == 1 {
                    eprintln!(
                        "englog: live updates unavailable ({}); checking the report every {}s",
                        dropped.0,
                        RECHECK.as_secs()
                    );
                }
            }
        }
        if let Some(done) = stored_if_final(api, id).await? {
            return Ok(out.finish(done));
        }
        let wait = if failures >= RECONNECTS {
            RECHECK
        } else {
            Duration::from_secs(1)
        };
        tokio::time::sleep(wait).await;
    }
}

async fn stored_if_final(api: &Api, id: Uuid) -> Result<Option<Done>, CliError> {
    let i = api.run::<Insight>(insight::Variables { id }).await?.insight;
    Ok(i.status.is_final().then_some(Done {
        status: i.status,
        content: i.content,
        error: i.error,
    }))
}

/// Writes the report's text to stdout as it arrives, and at the end
/// whatever of the final text was not streamed (all of it when the report
/// was finished before the connection was).
struct Printer {
    enabled: bool,
    printed: String,
}

impl Printer {
    fn new(enabled: bool) -> Self {
        Self {
            enabled,
            printed: String::new(),
        }
    }

    fn delta(&mut self, text: &str) {
        self.write(text);
        self.printed.push_str(text);
    }

    fn finish(&mut self, done: Done) -> Done {
        if done.status.0 == englog_core::InsightStatus::Succeeded
            && let Some(content) = &done.content
        {
            if let Some(rest) = content.strip_prefix(self.printed.as_str()) {
                let rest = rest.to_owned();
                self.delta(&rest);
            } else if self.printed.is_empty() {
                self.delta(&content.clone());
            }
        }
        if !self.printed.is_empty() && !self.printed.ends_with('\n') {
            self.write("\n");
        }
        done
    }

    fn write(&self, text: &str) {
        if self.enabled {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn done(content: &str) -> Done {
        Done {
            status: InsightStatus(englog_core::InsightStatus::Succeeded),
            content: Some(content.into()),
            error: None,
        }
    }

    #[test]
    fn the_final_text_completes_what_was_streamed() {
        let mut p = Printer::new(false);
        p.delta("## Week\n- a");
        p.finish(done("## Week\n- a\n- b\n"));
        assert_eq!(p.printed, "## Week\n- a\n- b\n");
        let mut late = Printer::new(false);
        late.finish(done("whole"));
        assert_eq!(late.printed, "whole");
    }
}
