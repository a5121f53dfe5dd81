//! The single place that talks GraphQL over HTTP: POST `<server>/graphql`
//! with the API token, and turn every way that can fail into a
//! [`CliError`] with the right exit code.

use graphql_client::GraphQLQuery;
use serde::de::DeserializeOwned;
use serde_json::Value;
use std::time::Duration;

use crate::config::Credentials;
use crate::error::{CliError, from_graphql};

/// An HTTP request gives up after this long: reports are requested, not
/// awaited, so no operation of the client takes longer.
const TIMEOUT: Duration = Duration::from_secs(60);

/// A server and the token to call it with.
pub struct Api {
    http: reqwest::Client,
    pub server: String,
    token: String,
}

impl Api {
    pub fn new(credentials: &Credentials) -> Result<Self, CliError> {
        Ok(Self {
            http: http_client()?,
            server: credentials.server.clone(),
            token: credentials.token.clone(),
        })
    }

    pub fn token(&self) -> &str {
        &self.token
    }

    /// Runs `Q` and decodes its generated answer type.
    pub async fn run<Q: GraphQLQuery>(
        &self,
        variables: Q::Variables,
    ) -> Result<Q::ResponseData, CliError> {
        self.run_as::<Q, Q::ResponseData>(variables).await
    }

    /// Runs `Q` and decodes its `data` into `T` (operations sharing the
    /// entry fragment share [`crate::entry::Entry`]).
    pub async fn run_as<Q: GraphQLQuery, T: DeserializeOwned>(
        &self,
        variables: Q::Variables,
    ) -> Result<T, CliError> {
        let body = Q::build_query(variables);
        let url = format!("{}/graphql", self.server);
        let response = self
            .http
            .post(&url)
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await
            .map_err(|e| unreachable(&self.server, &e))?;
        let status = response.status();
        if status == reqwest::StatusCode::UNAUTHORIZED {
            return Err(CliError::TokenRejected(self.server.clone()));
        }
        if matches!(status.as_u16(), 502..=504) {
            return Err(CliError::Unreachable {
                url: self.server.clone(),
                reason: format!("the server answered {status}"),
            });
        }
        let text = response
            .text()
            .await
            .map_err(|e| unreachable(&self.server, &e))?;
        let answer: Value = serde_json::from_str(&text).map_err(|_| {
            CliError::Refused(format!(
                "{url} answered {status} with something that is not GraphQL; is {} an EngLog server?",
                self.server
            ))
        })?;
        decode(&self.server, answer)
    }
}

/// `data`, or the first error of the answer.
fn decode<T: DeserializeOwned>(server: &str, mut answer: Value) -> Result<T, CliError> {
    if let Some(first) = answer
        .get("errors")
        .and_then(Value::as_array)
        .and_then(|e| e.first())
    {
        let message = first
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the server refused the request");
        let code = first.pointer("/extensions/code").and_then(Value::as_str);
        return Err(from_graphql(server, code, message));
    }
    let data = answer.get_mut("data").map(Value::take).unwrap_or_default();
    serde_json::from_value(data).map_err(|e| {
        CliError::Refused(format!(
            "the server's answer does not have the expected shape ({e}); is this client as new as the server?"
        ))
    })
}

/// The HTTP client every request uses (also the MCP bridge).
pub fn http_client() -> Result<reqwest::Client, CliError> {
    reqwest::Client::builder()
        .timeout(TIMEOUT)
        .user_agent(concat!("englog-cli/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CliError::local(format!("cannot set up HTTP: {e}")))
}

/// A request that got no answer, with the reason in words.
pub fn unreachable(server: &str, e: &reqwest::Error) -> CliError {
    let reason = if e.is_timeout() {
        "no answer in time".to_owned()
    } else if e.is_connect() {
        // The innermost cause says "Connection refused", "dns error", …
        let mut source: Option<&dyn std::error::Error> = Some(e);
        let mut last = e.to_string();
        while let Some(s) = source {
            last = s.to_string();
            source = s.source();
        }
        format!("connection failed ({last})")
    } else {
        e.to_string()
    };
    CliError::Unreachable {
        url: server.to_owned(),
        reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_first_error_wins_with_its_code() {
        let answer = json!({ "data": null, "errors": [
            { "message": "title: must not be empty", "extensions": { "code": "VALIDATION" } },
            { "message": "other" }
        ]});
        match decode::<Value>("s", answer) {
            Err(CliError::Refused(m)) => assert_eq!(m, "title: must not be empty"),
            other => panic!("{other:?}"),
        }
        let denied = json!({ "errors": [{ "message": "authentication required", "extensions": { "code": "UNAUTHENTICATED" } }] });
        assert!(matches!(
            decode::<Value>("s", denied),
            Err(CliError::TokenRejected(_))
        ));
    }

    #[test]
    fn data_is_decoded() {
        let v: Value = decode("s", json!({ "data": { "a": 1 } })).unwrap();
        assert_eq!(v["a"], 1);
    }
}
