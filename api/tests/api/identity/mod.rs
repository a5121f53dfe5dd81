//! Identity and access: forged tokens, sessions, API tokens, rate limits.

mod api_tokens;
mod forged_tokens;
mod oauth;
pub mod oauth_server;
mod rate_limits;
mod revocation_bound;
mod session_properties;
mod sessions;

use sea_orm::DatabaseConnection;
use serde_json::{Value, json};

use crate::helpers::TestApp;

pub const ME: &str = "{ me { id email } }";
pub const REFRESH: &str = "mutation($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken user { id } } }";

/// A direct connection to the app's database, to check what is stored or
/// to change it behind the API's back (delete a user, expire a token).
pub async fn database(app: &TestApp) -> DatabaseConnection {
    sea_orm::Database::connect(app.settings.effective_database_url())
        .await
        .expect("connect to the app's database")
}

/// Posts one operation with an explicit User-Agent.
pub async fn graphql_as(
    app: &TestApp,
    user_agent: &str,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let mut request = app
        .client
        .post(app.url("/graphql"))
        .header("user-agent", user_agent)
        .json(&json!({ "query": query, "variables": variables }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request
        .send()
        .await
        .expect("request sent")
        .json()
        .await
        .expect("JSON response")
}
