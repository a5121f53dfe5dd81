//! One subscriber factory for every binary: logs, and spans over OTLP when
//! `tracing.otlp_endpoint` is set (shared with the worker:
//! `englog_worker::telemetry`).

use crate::config::{LogFormat, Settings};
use englog_worker::telemetry::{TelemetryGuard, TracingConfig};

/// Installs the global subscriber. `RUST_LOG` wins over the configured filter
/// so an operator can turn up one module without editing configuration.
/// Keep the guard until the process ends: dropping it flushes the spans.
pub fn init(settings: &Settings) -> TelemetryGuard {
    init_with(settings.log_format, &settings.log_filter, settings)
}

/// [`init`] with an explicit format and filter (tests).
pub fn init_with(format: LogFormat, filter: &str, settings: &Settings) -> TelemetryGuard {
    englog_worker::telemetry::init(
        format == LogFormat::Json,
        filter,
        &TracingConfig {
            endpoint: settings.tracing.otlp_endpoint.clone(),
            service_name: settings.tracing.service_name.clone(),
            sample_ratio: settings.tracing.sample_ratio,
        },
    )
}
