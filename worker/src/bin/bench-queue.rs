//! Queue overhead per job: the time from `publish_job` to the worker's
//! `next_job` returning it, for the Redis Streams broker and the in-process
//! one (docs/PERFORMANCE.md, issue 4).
//!
//! ```sh
//! cargo run --release -p englog-worker --bin bench-queue -- \
//!     --redis redis://127.0.0.1:6379 --jobs 2000
//! ```
//!
//! A consumer task loops on `next_job` with a 30 s wait and acknowledges each
//! delivery. The producer publishes one job at a time, stamped with its send
//! instant (nanoseconds since a shared `Instant`, in `focus_areas[0]`), and
//! waits until the consumer has received and acknowledged it before sending
//! the next. With `--gap-ms` > 0 (the default, 5 ms) it also waits that long,
//! so the worker is idle — blocked in XREADGROUP — when each job arrives;
//! `--gap-ms 0` sends the next job as soon as the ack is done, so it races
//! the worker's ZRANGEBYSCORE + XAUTOCLAIM before its blocking read.
//!
//! The Redis keys live under a fresh prefix `englog-bench-queue:<uuid>` and
//! are deleted at the end.

use anyhow::{Context, bail};
use chrono::{Duration as ChronoDuration, NaiveDate, TimeZone, Utc};
use englog_core::jobs::{CONTRACT_VERSION, EntrySnapshot, Job, ReportJob};
use englog_core::{ActivityType, ImpactLevel, ReportType, ValueRating};
use englog_worker::Broker;
use englog_worker::broker::{BrokerTiming, MemoryBroker, RedisBroker};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;
use uuid::Uuid;

/// Jobs sent before measuring (connections, allocator, branch predictors).
const WARM_UP: usize = 50;

struct Args {
    redis: String,
    jobs: usize,
    gap: Duration,
}

fn parse_args() -> anyhow::Result<Args> {
    let mut args = Args {
        redis: "redis://127.0.0.1:6379".to_owned(),
        jobs: 2_000,
        gap: Duration::from_millis(5),
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().with_context(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--redis" => args.redis = value()?,
            "--jobs" => args.jobs = value()?.parse().context("--jobs")?,
            "--gap-ms" => args.gap = Duration::from_millis(value()?.parse().context("--gap-ms")?),
            "-h" | "--help" => {
                println!("bench-queue [--redis URL] [--jobs N] [--gap-ms MS]");
                std::process::exit(0);
            }
            other => bail!("unknown argument {other}"),
        }
    }
    Ok(args)
}

/// A job with `n` entries over a week, like the API would publish.
fn job(n: usize) -> ReportJob {
    let start = Utc.with_ymd_and_hms(2026, 1, 5, 8, 0, 0).unwrap();
    let entries = (0..n)
        .map(|i| {
            let begin = start
                + ChronoDuration::days((i * 7 / n.max(1)) as i64)
                + ChronoDuration::minutes((i * 37 % 480) as i64);
            let minutes = 15 + (i * 53 % 165) as i64;
            EntrySnapshot {
                project_id: None,
                id: Uuid::from_u128(i as u128 + 1),
                title: format!("Implement pagination for the entries API #{i}"),
                description: Some("Context the engineer wrote down about the work, ".repeat(2)),
                activity_type: ActivityType::ALL[i % ActivityType::ALL.len()],
                project: Some(["API v2", "Website", "Billing"][i % 3].to_owned()),
                tags: vec!["backend".into()],
                start_time: begin,
                end_time: begin + ChronoDuration::minutes(minutes),
                duration_minutes: minutes as i32,
                value_rating: [ValueRating::High, ValueRating::Medium, ValueRating::Low][i % 3],
                impact_level: [ImpactLevel::Team, ImpactLevel::Product][i % 2],
            }
        })
        .collect();
    let from = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    ReportJob {
        version: CONTRACT_VERSION,
        job_id: Uuid::now_v7(),
        insight_id: Uuid::now_v7(),
        user_id: Uuid::now_v7(),
        report_type: ReportType::Weekly,
        period_start: from,
        period_end: from + ChronoDuration::days(7),
        timezone: "Europe/Paris".into(),
        language: "en".into(),
        focus_areas: vec![String::new()],
        entries,
        notify_email: None,
        attempt: 1,
        signals: vec![],
        traceparent: None,
        model_wait_since: None,
    }
}

/// Receives `total` jobs, acknowledging each, and reports each pickup
/// latency (send instant to `next_job` returning).
async fn consume(
    broker: Broker,
    origin: Instant,
    total: usize,
    picked: mpsc::UnboundedSender<Duration>,
) -> anyhow::Result<()> {
    let mut received = 0;
    while received < total {
        let Some(delivery) = broker.next_job("bench", Duration::from_secs(30)).await? else {
            continue;
        };
        let now = origin.elapsed();
        let Job::Report(report) = &delivery.job else {
            bail!("the bench publishes reports only");
        };
        let sent: u64 = report.focus_areas[0].parse().context("send stamp")?;
        broker.ack(&delivery).await?;
        received += 1;
        picked.send(now.saturating_sub(Duration::from_nanos(sent)))?;
    }
    Ok(())
}

struct Run {
    pickup: Vec<Duration>,
    publish: Vec<Duration>,
    payload_bytes: usize,
}

async fn run(broker: Broker, jobs: usize, entries: usize, gap: Duration) -> anyhow::Result<Run> {
    let origin = Instant::now();
    let total = WARM_UP + jobs;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let consumer = tokio::spawn(consume(broker.clone(), origin, total, tx));
    let mut template = job(entries);
    let payload_bytes = serde_json::to_string(&template)?.len();
    let mut pickup = Vec::with_capacity(jobs);
    let mut publish = Vec::with_capacity(jobs);
    // Let the consumer reach its blocking read before the first job.
    tokio::time::sleep(Duration::from_millis(100)).await;
    for i in 0..total {
        template.job_id = Uuid::now_v7();
        let sent = origin.elapsed();
        template.focus_areas[0] = sent.as_nanos().to_string();
        broker.publish_job(&Job::Report(template.clone())).await?;
        let published = origin.elapsed() - sent;
        let latency = rx.recv().await.context("the consumer stopped early")?;
        if i >= WARM_UP {
            pickup.push(latency);
            publish.push(published);
        }
        if !gap.is_zero() {
            tokio::time::sleep(gap).await;
        }
    }
    consumer.await??;
    Ok(Run {
        pickup,
        publish,
        payload_bytes,
    })
}

/// Nearest-rank percentile of sorted samples.
fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let rank = ((p / 100.0) * sorted.len() as f64).ceil().max(1.0) as usize;
    sorted[rank.min(sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}

async fn delete_keys(url: &str, prefix: &str) -> anyhow::Result<usize> {
    let client = redis::Client::open(url)?;
    let mut conn = client.get_multiplexed_async_connection().await?;
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}:*"))
        .query_async(&mut conn)
        .await?;
    if !keys.is_empty() {
        let _: usize = redis::cmd("DEL").arg(&keys).query_async(&mut conn).await?;
    }
    Ok(keys.len())
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = parse_args()?;
    let prefix = format!("englog-bench-queue:{}", Uuid::new_v4());
    let timing = BrokerTiming::default();
    let redis = RedisBroker::connect(&args.redis, &prefix, timing)
        .await
        .with_context(|| format!("connecting to {}", args.redis))?;
    println!(
        "{} jobs per run after {WARM_UP} warm-up jobs; gap between jobs {} ms (worker {}).",
        args.jobs,
        args.gap.as_millis(),
        if args.gap.is_zero() {
            "re-entering next_job as each job arrives"
        } else {
            "idle, blocked in its read"
        }
    );
    println!();
    println!(
        "| broker | entries | payload bytes | pickup p50 ms | p90 ms | p99 ms | max ms | mean ms | publish p50 ms | publish p99 ms |"
    );
    println!("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    let mut result = Ok(());
    for entries in [10, 60] {
        for (name, broker) in [
            ("memory", Broker::Memory(MemoryBroker::new(timing))),
            ("redis", Broker::Redis(redis.clone())),
        ] {
            let mut r = match run(broker, args.jobs, entries, args.gap).await {
                Ok(r) => r,
                Err(err) => {
                    result = Err(err);
                    break;
                }
            };
            r.pickup.sort();
            r.publish.sort();
            let mean = r.pickup.iter().sum::<Duration>() / r.pickup.len() as u32;
            println!(
                "| {name} | {entries} | {} | {} | {} | {} | {} | {} | {} | {} |",
                r.payload_bytes,
                ms(percentile(&r.pickup, 50.0)),
                ms(percentile(&r.pickup, 90.0)),
                ms(percentile(&r.pickup, 99.0)),
                ms(*r.pickup.last().unwrap()),
                ms(mean),
                ms(percentile(&r.publish, 50.0)),
                ms(percentile(&r.publish, 99.0)),
            );
        }
        if result.is_err() {
            break;
        }
    }
    let deleted = delete_keys(&args.redis, &prefix).await?;
    println!();
    println!("Deleted {deleted} keys under {prefix}:*.");
    result
}
