//! Logging and tracing for both binaries: `tracing` to stdout (pretty or
//! JSON) and, when an OTLP endpoint is configured, spans exported over
//! OTLP/HTTP (protobuf) to a collector. The trace context travels with
//! jobs and their events (W3C `traceparent`), so a report's trace runs
//! API → Redis → worker → model → the API's event handling.

use opentelemetry::propagation::TextMapPropagator;
use opentelemetry::trace::TracerProvider as _;
use opentelemetry_otlp::WithExportConfig;
use opentelemetry_sdk::propagation::TraceContextPropagator;
use opentelemetry_sdk::trace::{
    BatchConfigBuilder, BatchSpanProcessor, Sampler, SdkTracerProvider,
};
use std::collections::HashMap;
use std::time::Duration;
use tracing_opentelemetry::OpenTelemetrySpanExt;
use tracing_subscriber::{EnvFilter, Layer, fmt, prelude::*};

/// Where spans go; `endpoint: None` exports nothing.
#[derive(Debug, Clone)]
pub struct TracingConfig {
    /// The collector's OTLP/HTTP traces URL, e.g.
    /// `http://collector:4318/v1/traces`.
    pub endpoint: Option<String>,
    pub service_name: String,
    /// Share of traces kept (0.0–1.0); a job follows its request's choice.
    pub sample_ratio: f64,
}

/// Flushes and stops the exporter when dropped (at the end of `main`).
pub struct TelemetryGuard {
    provider: Option<SdkTracerProvider>,
}

impl Drop for TelemetryGuard {
    fn drop(&mut self) {
        if let Some(provider) = self.provider.take()
            && let Err(err) = provider.shutdown()
        {
            eprintln!("flushing traces failed: {err}");
        }
    }
}

/// Installs the global subscriber. `RUST_LOG` wins over `filter`. A second
/// call (tests) changes nothing.
pub fn init(json: bool, filter: &str, tracing: &TracingConfig) -> TelemetryGuard {
    let directives = std::env::var("RUST_LOG").unwrap_or_else(|_| filter.to_owned());
    let filter = EnvFilter::try_new(&directives).unwrap_or_else(|_| EnvFilter::new("info"));
    // What is exported does not follow the log filter (a quiet log must not
    // break traces): spans at `info` and above, sea-orm's per-statement
    // spans (`trace` level; they carry no SQL text), and nothing of the HTTP
    // clients or of the exporter itself, since exporting those would create
    // more of them.
    let exported = EnvFilter::try_new(
        "info,sea_orm=trace,hyper=off,hyper_util=off,reqwest=off,h2=off,tower=off,opentelemetry=off,opentelemetry_sdk=off,opentelemetry_otlp=off",
    )
    .unwrap_or_else(|_| EnvFilter::new("info"));
    let output = if json {
        fmt::layer()
            .json()
            .flatten_event(true)
            .with_current_span(true)
            .boxed()
    } else {
        fmt::layer().boxed()
    };
    let (otel, provider) = match tracing.endpoint.as_deref().filter(|e| !e.is_empty()) {
        Some(endpoint) => match provider(endpoint, tracing) {
            Ok(provider) => {
                let tracer = provider.tracer("englog");
                let layer = tracing_opentelemetry::layer()
                    .with_tracer(tracer)
                    .with_filter(exported)
                    .boxed();
                (Some(layer), Some(provider))
            }
            Err(err) => {
                eprintln!("traces will not be exported: {err:#}");
                (None, None)
            }
        },
        None => (None, None),
    };
    let installed = tracing_subscriber::registry()
        .with(output.with_filter(filter))
        .with(otel)
        .try_init();
    if installed.is_err() {
        return TelemetryGuard { provider: None };
    }
    if provider.is_some() {
        opentelemetry::global::set_text_map_propagator(TraceContextPropagator::new());
    }
    TelemetryGuard { provider }
}

fn provider(endpoint: &str, config: &TracingConfig) -> anyhow::Result<SdkTracerProvider> {
    let exporter = opentelemetry_otlp::SpanExporter::builder()
        .with_http()
        .with_endpoint(endpoint)
        .with_timeout(Duration::from_secs(5))
        .build()?;
    // Exported every second: a trace shows up while the person still looks.
    let batch = BatchSpanProcessor::builder(exporter)
        .with_batch_config(
            BatchConfigBuilder::default()
                .with_scheduled_delay(Duration::from_secs(1))
                .build(),
        )
        .build();
    let resource = opentelemetry_sdk::Resource::builder()
        .with_service_name(config.service_name.clone())
        .build();
    Ok(SdkTracerProvider::builder()
        .with_span_processor(batch)
        .with_sampler(Sampler::ParentBased(Box::new(Sampler::TraceIdRatioBased(
            config.sample_ratio.clamp(0.0, 1.0),
        ))))
        .with_resource(resource)
        .build())
}

/// The W3C `traceparent` of `span`, to send along with a job or an event;
/// `None` when traces are not exported.
pub fn traceparent(span: &tracing::Span) -> Option<String> {
    let mut carrier = HashMap::new();
    TraceContextPropagator::new().inject_context(&span.context(), &mut carrier);
    carrier.remove("traceparent")
}

/// Makes `span` a child of the trace `traceparent` names.
pub fn continue_trace(span: &tracing::Span, traceparent: Option<&str>) {
    let Some(traceparent) = traceparent else {
        return;
    };
    let carrier = HashMap::from([("traceparent".to_owned(), traceparent.to_owned())]);
    let parent = TraceContextPropagator::new().extract(&carrier);
    let _ = span.set_parent(parent);
}
