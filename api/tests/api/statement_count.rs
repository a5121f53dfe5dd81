//! Counting the SQL statements one GraphQL request costs: a schema over a
//! connection of its own whose metric callback records every statement.

use std::sync::{Arc, Mutex};

use crate::helpers::{TestApp, state_on};

/// A schema over a connection of its own that records every SQL
/// statement; its requests share one server state (its memos), as
/// requests to one instance do.
pub struct CountingSchema {
    schema: englog_api::graphql::EnglogSchema,
    statements: Arc<Mutex<Vec<String>>>,
}

impl CountingSchema {
    pub async fn new(app: &TestApp) -> Self {
        let statements = Arc::new(Mutex::new(Vec::<String>::new()));
        let mut db = englog_api::db::connect(&app.settings)
            .await
            .expect("connect");
        let counter = statements.clone();
        db.set_metric_callback(move |info| {
            if let Ok(mut seen) = counter.lock() {
                seen.push(info.statement.to_string());
            }
        });
        let mut state = state_on(app, db, None);
        // The hottest statements run on warm connections, outside sea-orm's
        // pool and its callback; they are counted as they start.
        let counter = statements.clone();
        state.warm = englog_api::db_warm::WarmConnections::observed(Arc::new(move |sql: &str| {
            if let Ok(mut seen) = counter.lock() {
                seen.push(sql.to_owned());
            }
        }));
        let schema = englog_api::graphql::schema_builder(
            &app.settings.graphql,
            englog_api::graphql::persisted::PersistedQueries::Off,
        )
        .data(state)
        .finish();
        Self { schema, statements }
    }

    /// Runs one GraphQL request as `user_id` and answers the response with
    /// the statements it ran (in order).
    pub async fn execute(
        &self,
        user_id: &str,
        request: async_graphql::Request,
    ) -> (async_graphql::Response, Vec<String>) {
        self.statements.lock().expect("statements").clear();
        let caller = englog_api::auth::Caller {
            user_id: user_id.parse().expect("uuid"),
            credential: englog_api::auth::caller::Credential::Session {
                session_id: uuid::Uuid::now_v7(),
            },
        };
        let response = self.schema.execute(request.data(caller)).await;
        let seen = std::mem::take(&mut *self.statements.lock().expect("statements"));
        (response, seen)
    }
}

/// Runs one GraphQL request as `user_id` on a fresh [`CountingSchema`].
pub async fn execute_counting_statements(
    app: &TestApp,
    user_id: &str,
    request: async_graphql::Request,
) -> (async_graphql::Response, Vec<String>) {
    CountingSchema::new(app)
        .await
        .execute(user_id, request)
        .await
}
