//! GraphQL operation metrics with bounded label values: operation names
//! come from clients, so only the first `MAX_NAMES` distinct names get a
//! series of their own; anonymous operations and every later name share
//! one value each.

use async_graphql::parser::types::OperationType;
use std::collections::HashSet;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use super::handles::Handles;

const MAX_NAMES: usize = 200;
const ANONYMOUS: &str = "anonymous";
const OTHER: &str = "other";

fn known() -> &'static Mutex<HashSet<String>> {
    static KNOWN: OnceLock<Mutex<HashSet<String>>> = OnceLock::new();
    KNOWN.get_or_init(Mutex::default)
}

/// The label value for `name`.
pub fn operation_label(name: Option<&str>) -> String {
    let Some(name) = name.filter(|n| !n.is_empty() && n.len() <= 64) else {
        return ANONYMOUS.to_owned();
    };
    let Ok(mut known) = known().lock() else {
        return OTHER.to_owned();
    };
    if known.contains(name) {
        return name.to_owned();
    }
    if known.len() < MAX_NAMES {
        known.insert(name.to_owned());
        return name.to_owned();
    }
    OTHER.to_owned()
}

pub fn type_label(kind: Option<OperationType>) -> &'static str {
    match kind {
        Some(OperationType::Query) => "query",
        Some(OperationType::Mutation) => "mutation",
        Some(OperationType::Subscription) => "subscription",
        None => "unknown",
    }
}

/// A label set of the two metrics, by the name the client sent (its label
/// value is [`operation_label`]'s).
struct Labels {
    name: Option<String>,
    kind: &'static str,
    outcome: String,
}

static KEPT: Handles<Labels> = Handles::new();

pub fn record(name: Option<&str>, kind: Option<OperationType>, outcome: &str, took: Duration) {
    let kind = type_label(kind);
    let (operations, duration) = KEPT.handles(
        |kept| kept.kind == kind && kept.outcome == outcome && kept.name.as_deref() == name,
        || Labels {
            name: name.map(str::to_owned),
            kind,
            outcome: outcome.to_owned(),
        },
        || {
            let operation = operation_label(name);
            (
                metrics::counter!(
                    "englog_graphql_operations_total",
                    "operation" => operation.clone(),
                    "type" => kind,
                    "outcome" => outcome.to_owned()
                ),
                metrics::histogram!(
                    "englog_graphql_operation_duration_seconds",
                    "operation" => operation,
                    "type" => kind
                ),
            )
        },
    );
    operations.increment(1);
    duration.record(took.as_secs_f64());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_bounded() {
        assert_eq!(operation_label(None), ANONYMOUS);
        assert_eq!(operation_label(Some("")), ANONYMOUS);
        assert_eq!(operation_label(Some("LogEntries")), "LogEntries");
        for i in 0..MAX_NAMES + 10 {
            operation_label(Some(&format!("Op{i}")));
        }
        assert_eq!(operation_label(Some("OneTooMany")), OTHER);
        assert_eq!(
            operation_label(Some("LogEntries")),
            "LogEntries",
            "known names stay"
        );
    }
}
