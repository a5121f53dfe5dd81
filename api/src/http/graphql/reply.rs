//! The HTTP answer to a GraphQL request: the media type the client
//! accepts, the status the GraphQL-over-HTTP specification gives, and a
//! bounded body.

use async_graphql::{Response, ServerError, Value};
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use serde::Serialize;

use crate::graphql::guard::{LIMIT_EXTENSION, METHOD_NOT_ALLOWED};
use crate::graphql::persisted;
use crate::graphql::raw_json::{self, RawJson};
use crate::graphql::response::coded_error;

use super::chunked_body::ChunkedBody;

/// The two media types of GraphQL-over-HTTP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    /// `application/graphql-response+json`: request errors get 4xx.
    GraphqlResponse,
    /// `application/json`: the legacy type, answered 200 when the request
    /// was well-formed.
    Json,
}

impl MediaType {
    fn header_value(self) -> HeaderValue {
        HeaderValue::from_static(match self {
            MediaType::GraphqlResponse => "application/graphql-response+json; charset=utf-8",
            MediaType::Json => "application/json; charset=utf-8",
        })
    }
}

/// The media type to answer with, from the `Accept` header: the first
/// acceptable one in the client's order of preference; `application/json`
/// when there is no header; `None` when nothing offered is acceptable.
pub fn negotiate(headers: &HeaderMap) -> Option<MediaType> {
    let Some(accept) = headers.get(header::ACCEPT) else {
        return Some(MediaType::Json);
    };
    let accept = accept.to_str().ok()?;
    let mut best: Option<(f32, MediaType)> = None;
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media_range = parts.next().unwrap_or_default().to_ascii_lowercase();
        let quality = parts
            .filter_map(|p| p.split_once('='))
            .find(|(name, _)| name.trim().eq_ignore_ascii_case("q"))
            .and_then(|(_, q)| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        let media_type = match media_range.as_str() {
            "application/graphql-response+json" => MediaType::GraphqlResponse,
            "application/json" | "application/*" | "*/*" => MediaType::Json,
            _ => continue,
        };
        if quality <= 0.0 {
            continue;
        }
        if best.is_none_or(|(q, _)| quality > q) {
            best = Some((quality, media_type));
        }
    }
    best.map(|(_, media_type)| media_type)
}

/// A request error: no `data` entry (the operation never started).
#[derive(Serialize)]
struct RequestErrors<'a> {
    errors: &'a [ServerError],
}

/// The answer to an executed request or to a request error; `raw` holds
/// the parts its resolvers wrote as JSON.
pub fn reply(
    response: Response,
    executed: bool,
    raw: &RawJson,
    media_type: MediaType,
    max_bytes: usize,
) -> axum::response::Response {
    let status = if executed {
        StatusCode::OK
    } else {
        request_error_status(&response.errors, media_type)
    };
    let body = if executed {
        // Resolvers of this transport may have written parts as raw JSON.
        raw_json::to_chunks(raw, &response).map(ChunkedBody::new)
    } else {
        serde_json::to_vec(&RequestErrors {
            errors: &response.errors,
        })
        .map(|body| ChunkedBody::new(vec![body.into()]))
    };
    let body = match body {
        Ok(body) if body.len() <= max_bytes as u64 => body,
        Ok(body) => {
            tracing::warn!(
                bytes = body.len(),
                limit = max_bytes,
                "GraphQL response over the size limit replaced by an error"
            );
            let error = coded_error(
                format!(
                    "The answer is larger than {max_bytes} bytes; ask for fewer items \
                     or fewer fields."
                ),
                "RESPONSE_TOO_LARGE",
            );
            return errors_only(&[error], StatusCode::OK, media_type);
        }
        Err(err) => {
            tracing::error!(error = %err, "serialising a GraphQL response failed");
            let error = coded_error("Internal error.".to_owned(), "INTERNAL");
            return errors_only(&[error], StatusCode::INTERNAL_SERVER_ERROR, media_type);
        }
    };
    let mut answer = axum::response::Response::new(Body::new(body));
    *answer.status_mut() = status;
    let headers = answer.headers_mut();
    headers.insert(header::CONTENT_TYPE, media_type.header_value());
    // The media type follows Accept, and the data the caller: a cache
    // serving GETs by persisted-query hash must keep them apart.
    headers.insert(
        header::VARY,
        HeaderValue::from_static("Accept, Authorization"),
    );
    if status == StatusCode::METHOD_NOT_ALLOWED {
        headers.insert(header::ALLOW, HeaderValue::from_static("POST"));
    }
    if response.is_ok()
        && let Some(cache_control) = response.cache_control.value()
        && let Ok(value) = HeaderValue::from_str(&cache_control)
    {
        headers.insert(header::CACHE_CONTROL, value);
    }
    headers.extend(response.http_headers);
    answer
}

/// Refused before anything was decoded or executed (unsupported media
/// type, malformed parameters, too busy…).
pub fn refusal(
    status: StatusCode,
    message: String,
    code: &str,
    media_type: MediaType,
) -> axum::response::Response {
    errors_only(&[coded_error(message, code)], status, media_type)
}

/// Request errors: a document over a limit is always 400; with
/// `application/graphql-response+json` every request error is 400; with
/// `application/json` the specification keeps 200 for parse and validation
/// errors of a well-formed request.
fn request_error_status(errors: &[ServerError], media_type: MediaType) -> StatusCode {
    if has_code(errors, METHOD_NOT_ALLOWED) {
        return StatusCode::METHOD_NOT_ALLOWED;
    }
    // Apollo Client stops using persisted queries for good when a miss
    // comes with a 4xx; the miss is a protocol step, not a failure.
    if has_code(errors, persisted::NOT_FOUND_CODE) {
        return StatusCode::OK;
    }
    let over_a_limit = errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .is_some_and(|e| e.get(LIMIT_EXTENSION).is_some())
    });
    match (over_a_limit, media_type) {
        (true, _) | (false, MediaType::GraphqlResponse) => StatusCode::BAD_REQUEST,
        (false, MediaType::Json) => StatusCode::OK,
    }
}

fn has_code(errors: &[ServerError], code: &str) -> bool {
    let code = Value::from(code);
    errors.iter().any(|error| {
        error
            .extensions
            .as_ref()
            .and_then(|e| e.get("code"))
            .is_some_and(|found| *found == code)
    })
}

fn errors_only(
    errors: &[ServerError],
    status: StatusCode,
    media_type: MediaType,
) -> axum::response::Response {
    // Serialising a handful of plain errors cannot fail; an empty list is
    // the only conceivable fallback.
    let body = serde_json::to_vec(&RequestErrors { errors }).unwrap_or_default();
    let mut answer = axum::response::Response::new(Body::from(body));
    *answer.status_mut() = status;
    answer
        .headers_mut()
        .insert(header::CONTENT_TYPE, media_type.header_value());
    answer
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::ACCEPT, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn negotiation_follows_the_accept_header() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(MediaType::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(MediaType::Json));
        assert_eq!(
            negotiate(&accept("application/json")),
            Some(MediaType::Json)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json, application/json;q=0.9"
            )),
            Some(MediaType::GraphqlResponse)
        );
        assert_eq!(
            negotiate(&accept(
                "application/graphql-response+json;q=0.5, application/json"
            )),
            Some(MediaType::Json)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(negotiate(&accept("application/json;q=0")), None);
    }
}
