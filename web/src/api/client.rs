//! The single place that talks HTTP: POST to the same-origin `/graphql`, with
//! the bearer token when there is one.

use gloo_net::http::Request;
use graphql_client::{GraphQLQuery, Response};

use super::ApiError;

const GRAPHQL_PATH: &str = "/graphql";

pub async fn post_graphql<Q: GraphQLQuery>(
    token: Option<&str>,
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError> {
    let mut request = Request::post(GRAPHQL_PATH).header("Accept", "application/json");
    if let Some(token) = token {
        request = request.header("Authorization", &format!("Bearer {token}"));
    }
    let response = request
        .json(&Q::build_query(variables))
        .map_err(|e| ApiError::Network(e.to_string()))?
        .send()
        .await
        .map_err(|e| ApiError::Network(e.to_string()))?;
    let status = response.status();
    let body: Response<Q::ResponseData> =
        response.json().await.map_err(|_| ApiError::Http(status))?;
    match (body.data, body.errors) {
        (_, Some(errors)) if !errors.is_empty() => Err(ApiError::from_graphql(&errors)),
        (Some(data), _) => Ok(data),
        (None, _) => Err(ApiError::Empty),
    }
}
