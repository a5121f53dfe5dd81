//! The schema as one WebSocket connection runs it: at most
//! `max_operations_per_socket` operations (subscriptions included) active
//! at once on a connection. HTTP requests take execution slots
//! ([`super::limiter`]); a socket multiplexes many operations, so it gets
//! its own bound, or one connection could start thousands of them.

use async_graphql::{Data, Executor, Request, Response, Value};
use futures_util::stream::{self, BoxStream, StreamExt};
use std::sync::Arc;
use tokio::sync::Semaphore;

use crate::graphql::EnglogSchema;
use crate::graphql::response::coded_error;

#[derive(Clone)]
pub struct SocketExecutor {
    schema: EnglogSchema,
    active: Arc<Semaphore>,
    limit: usize,
    /// Values the variables of one operation may hold (as over HTTP).
    max_values: usize,
}

impl SocketExecutor {
    pub fn new(schema: EnglogSchema, limit: usize, max_values: usize) -> Self {
        let limit = limit.max(1);
        Self {
            schema,
            active: Arc::new(Semaphore::new(limit)),
            limit,
            max_values,
        }
    }
}

/// Values in `value` (each scalar, list and object counts one), stopping
/// once past `limit`.
fn count_values(value: &Value, limit: usize, count: &mut usize) {
    *count += 1;
    if *count > limit {
        return;
    }
    match value {
        Value::List(items) => items.iter().for_each(|v| count_values(v, limit, count)),
        Value::Object(fields) => fields.values().for_each(|v| count_values(v, limit, count)),
        _ => {}
    }
}

fn refused(message: String) -> BoxStream<'static, Response> {
    let error = coded_error(message, "VALIDATION");
    stream::once(async move { Response::from_errors(vec![error]) }).boxed()
}

impl Executor for SocketExecutor {
    async fn execute(&self, request: Request) -> Response {
        self.schema.execute(request).await
    }

    fn execute_stream(
        &self,
        request: Request,
        session_data: Option<Arc<Data>>,
    ) -> BoxStream<'static, Response> {
        // The message was decoded already (its size is capped); the values
        // are counted before anything converts or validates them further.
        let mut values = 0;
        for value in request.variables.values() {
            count_values(value, self.max_values, &mut values);
        }
        if values > self.max_values {
            return refused(format!(
                "The variables hold more than {} values.",
                self.max_values
            ));
        }
        let Ok(permit) = self.active.clone().try_acquire_owned() else {
            let error = coded_error(
                format!(
                    "This connection already runs {} operations; complete one first.",
                    self.limit
                ),
                "RATE_LIMITED",
            );
            return stream::once(async move { Response::from_errors(vec![error]) }).boxed();
        };
        self.schema
            .execute_stream_with_session_data(request, session_data.unwrap_or_default())
            // The slot is held for as long as the operation's stream lives.
            .map(move |response| {
                let _held = &permit;
                response
            })
            .boxed()
    }
}
