//! The single place that talks HTTP: POST to the same-origin `/graphql`, with
//! the bearer token when there is one.

use gloo_net::http::Request;
use graphql_client::{GraphQLQuery, Response};
use serde::de::DeserializeOwned;

use super::ApiError;
use crate::state::Session;

const GRAPHQL_PATH: &str = "/graphql";

/// An operation without the session (sign-in, registration, refresh).
pub async fn post_graphql<Q: GraphQLQuery>(
    token: Option<&str>,
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError> {
    let body = serde_json::to_string(&Q::build_query(variables))
        .map_err(|e| ApiError::Network(e.to_string()))?;
    post_body(token, &body).await
}

/// An operation as the signed-in person. The access token is refreshed
/// first when it is about to expire; an UNAUTHENTICATED answer (a token
/// revoked or expired meanwhile) refreshes and retries once.
pub async fn authed<Q: GraphQLQuery>(
    session: Session,
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError> {
    let body = serde_json::to_string(&Q::build_query(variables))
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let token = session.fresh_access_token().await?;
    match post_body(Some(&token), &body).await {
        Err(error) if error.is_unauthenticated() => {
            let token = session.refresh().await?;
            post_body(Some(&token), &body).await
        }
        result => result,
    }
}

async fn post_body<D: DeserializeOwned>(token: Option<&str>, body: &str) -> Result<D, ApiError> {
    let mut request = Request::post(GRAPHQL_PATH)
        .header("Accept", "application/json")
        .header("Content-Type", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .body(body)
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let body: Response<D> = response.json().await.map_err(|_| ApiError::Http(status))?;
    match (body.data, body.errors) {
        (_, Some(errors)) if !errors.is_empty() => Err(ApiError::from_graphql(&errors)),
        (Some(data), _) => Ok(data),
        (None, _) => Err(ApiError::Empty),
    }
}
