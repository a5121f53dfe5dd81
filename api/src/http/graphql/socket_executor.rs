//! The schema as one WebSocket connection runs it: at most
//! `max_operations_per_socket` operations (subscriptions included) active
//! at once on a connection. HTTP requests take execution slots
//! ([`super::limiter`]); a socket multiplexes many operations, so it gets
//! its own bound, or one connection could start thousands of them.

use async_graphql::{Data, Executor, Request, Response};
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
}

impl SocketExecutor {
    pub fn new(schema: EnglogSchema, limit: usize) -> Self {
        let limit = limit.max(1);
        Self {
            schema,
            active: Arc::new(Semaphore::new(limit)),
            limit,
        }
    }
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
