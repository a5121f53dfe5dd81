//! The single place that talks HTTP: POST to the same-origin `/graphql`, with
//! the bearer token when there is one.
//!
//! Only the JSON encoding of variables and decoding of `data` are generic
//! over the operation; the HTTP exchange and the retry are not, so the wasm
//! holds one copy of them rather than one per operation.

use gloo_net::http::Request;
use graphql_client::GraphQLQuery;
use serde_json::Value;

use super::ApiError;
use crate::state::Session;

const GRAPHQL_PATH: &str = "/graphql";

/// An operation without the session (sign-in, registration, refresh).
pub async fn post_graphql<Q: GraphQLQuery>(
    token: Option<&str>,
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError> {
    let data = post_body(token, encode::<Q>(variables)?).await?;
    decode(data)
}

/// An operation as the signed-in person. The access token is refreshed
/// first when it is about to expire; an UNAUTHENTICATED answer (a token
/// revoked or expired meanwhile) refreshes and retries once.
pub async fn authed<Q: GraphQLQuery>(
    session: Session,
    variables: Q::Variables,
) -> Result<Q::ResponseData, ApiError> {
    let data = post_authed(session, encode::<Q>(variables)?).await?;
    decode(data)
}

/// An operation as the signed-in person whose answer is not needed beyond
/// success (most mutations): `data` is not decoded, so the wasm holds no
/// deserialiser for its response type.
pub async fn authed_unit<Q: GraphQLQuery>(
    session: Session,
    variables: Q::Variables,
) -> Result<(), ApiError> {
    post_authed(session, encode::<Q>(variables)?)
        .await
        .map(drop)
}

/// An operation as the signed-in person, its `data` decoded into `T` rather
/// than the generated type: operations with the same answer (the two
/// imports) then share one deserialiser.
pub async fn authed_as<Q: GraphQLQuery, T: serde::de::DeserializeOwned>(
    session: Session,
    variables: Q::Variables,
) -> Result<T, ApiError> {
    decode(post_authed(session, encode::<Q>(variables)?).await?)
}

/// Sends an operation while the page unloads (`pagehide`): a `keepalive`
/// fetch outlives the page, so the request is delivered, but its answer is
/// never read and no token refresh can come first. Best effort.
pub fn send_while_leaving<Q: GraphQLQuery>(token: &str, variables: Q::Variables) {
    let Ok(body) = encode::<Q>(variables) else {
        return;
    };
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    // web-sys has no setter for `keepalive`; the init is a plain JS object.
    let _ = js_sys::Reflect::set(&init, &"keepalive".into(), &true.into());
    init.set_body(&wasm_bindgen::JsValue::from_str(&body));
    let Ok(headers) = web_sys::Headers::new() else {
        return;
    };
    let _ = headers.set("Content-Type", "application/json");
    let _ = headers.set("Authorization", &format!("Bearer {token}"));
    init.set_headers_headers(&headers);
    if let Some(window) = web_sys::window() {
        // The promise is dropped: nobody is left to read the answer.
        let _ = window.fetch_with_str_and_init(GRAPHQL_PATH, &init);
    }
}

fn encode<Q: GraphQLQuery>(variables: Q::Variables) -> Result<String, ApiError> {
    serde_json::to_string(&Q::build_query(variables)).map_err(|e| ApiError::Network(e.to_string()))
}

fn decode<D: serde::de::DeserializeOwned>(data: Value) -> Result<D, ApiError> {
    super::decode::from_value(data).map_err(|_| ApiError::Empty)
}

async fn post_authed(session: Session, body: String) -> Result<Value, ApiError> {
    let token = session.fresh_access_token().await?;
    match post_body(Some(&token), body.clone()).await {
        Err(error) if error.is_unauthenticated() => {
            let token = session.refresh().await?;
            post_body(Some(&token), body).await
        }
        result => result,
    }
}

/// POSTs a GraphQL request; returns `data`, or the errors as an ApiError.
async fn post_body(token: Option<&str>, body: String) -> Result<Value, ApiError> {
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
    // Read as a plain JSON value, not `graphql_client::Response`: one JSON
    // parser for every answer (live updates use it too), and no decoder for
    // the error paths and locations the app never shows.
    let text = response.text().await.map_err(|_| ApiError::Http(status))?;
    let Ok(Value::Object(mut body)) = serde_json::from_str::<Value>(&text) else {
        return Err(ApiError::Http(status));
    };
    match body.get("errors").and_then(Value::as_array) {
        Some(errors) if !errors.is_empty() => return Err(ApiError::from_graphql(errors)),
        _ => {}
    }
    match body.remove("data") {
        Some(data) if !data.is_null() => Ok(data),
        _ => Err(ApiError::Empty),
    }
}
