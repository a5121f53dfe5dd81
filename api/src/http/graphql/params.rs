//! A GraphQL-over-HTTP request read into an async-graphql `Request`:
//! `POST` with an `application/json` body, or `GET` with URL parameters.
//! Anything else is refused before it is decoded or executed.

use async_graphql::{Request, Value, Variables};
use axum::http::{HeaderMap, StatusCode, header};
use serde::Deserialize;

use super::json_scan::count_values;
use crate::config::GraphqlLimits;

/// A request refused before execution, with the status to answer.
#[derive(Debug)]
pub struct Refused {
    pub status: StatusCode,
    pub message: String,
}

impl Refused {
    fn bad_request(message: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            message: message.into(),
        }
    }
}

/// The parameters of the GraphQL-over-HTTP specification.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Params {
    query: Option<String>,
    operation_name: Option<String>,
    variables: Option<Variables>,
    extensions: Option<serde_json::Map<String, serde_json::Value>>,
}

/// Reads a `POST` body. Only `application/json` (in UTF-8) is accepted:
/// form encodings and `text/plain` are what a cross-site form can send
/// without a preflight, and no upload exists to need multipart.
pub fn from_post(
    headers: &HeaderMap,
    body: &[u8],
    limits: &GraphqlLimits,
) -> Result<Request, Refused> {
    check_content_type(headers)?;
    if count_values(body, limits.max_json_values) > limits.max_json_values {
        return Err(Refused {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            message: format!(
                "The request body holds more than {} JSON values.",
                limits.max_json_values
            ),
        });
    }
    // A JSON array is a batch (serde would also read a struct from one).
    if body.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
        return Err(Refused::bad_request(
            "Batched requests are not supported: send one operation per request.",
        ));
    }
    // Straight into the parameters, with no intermediate JSON tree.
    let params: Params = serde_json::from_slice(body).map_err(|err| {
        if err.is_data() {
            Refused::bad_request(format!("Invalid request parameters: {err}"))
        } else {
            Refused::bad_request(format!("The body is not valid JSON: {err}"))
        }
    })?;
    into_request(params)
}

/// Reads the parameters of a `GET` URL; `variables` and `extensions` are
/// JSON in their parameter.
pub fn from_get(raw_query: Option<&str>, limits: &GraphqlLimits) -> Result<Request, Refused> {
    let mut params = Params {
        query: None,
        operation_name: None,
        variables: None,
        extensions: None,
    };
    for (key, value) in form_urlencoded::parse(raw_query.unwrap_or_default().as_bytes()) {
        match key.as_ref() {
            "query" => params.query = Some(value.into_owned()),
            "operationName" => params.operation_name = Some(value.into_owned()),
            "variables" => {
                params.variables = json_object("variables", &value, limits)?
                    .map(|map| Variables::from_json(serde_json::Value::Object(map)));
            }
            "extensions" => params.extensions = json_object("extensions", &value, limits)?,
            _ => {}
        }
    }
    into_request(params)
}

fn check_content_type(headers: &HeaderMap) -> Result<(), Refused> {
    let unsupported = |what: &str| Refused {
        status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
        message: format!("{what}; send the request as application/json."),
    };
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(unsupported("The request has no Content-Type"));
    };
    let value = value
        .to_str()
        .map_err(|_| unsupported("The Content-Type is not readable"))?;
    let mut parts = value.split(';').map(str::trim);
    let media_type = parts.next().unwrap_or_default();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(unsupported(&format!(
            "Content-Type {media_type} is not supported"
        )));
    }
    for parameter in parts {
        if let Some((name, charset)) = parameter.split_once('=')
            && name.trim().eq_ignore_ascii_case("charset")
            && !charset
                .trim()
                .trim_matches('"')
                .eq_ignore_ascii_case("utf-8")
        {
            return Err(unsupported("Only the UTF-8 charset is supported"));
        }
    }
    Ok(())
}

fn json_object(
    name: &str,
    text: &str,
    limits: &GraphqlLimits,
) -> Result<Option<serde_json::Map<String, serde_json::Value>>, Refused> {
    if count_values(text.as_bytes(), limits.max_json_values) > limits.max_json_values {
        return Err(Refused::bad_request(format!(
            "The {name} parameter holds more than {} JSON values.",
            limits.max_json_values
        )));
    }
    match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Object(map)) => Ok(Some(map)),
        Ok(serde_json::Value::Null) => Ok(None),
        _ => Err(Refused::bad_request(format!(
            "The {name} parameter must be a JSON object."
        ))),
    }
}

fn into_request(params: Params) -> Result<Request, Refused> {
    // A persisted query (APQ) may come as its hash alone.
    let by_hash = params
        .extensions
        .as_ref()
        .is_some_and(|extensions| extensions.contains_key("persistedQuery"));
    let query = match params.query {
        Some(query) => query,
        None if by_hash => String::new(),
        None => return Err(Refused::bad_request("The request has no query.")),
    };
    let mut request = Request::new(query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        request = request.variables(variables);
    }
    if let Some(extensions) = params.extensions {
        for (key, value) in extensions {
            let value = Value::from_json(value)
                .map_err(|_| Refused::bad_request("The extensions parameter is not valid."))?;
            request.extensions.0.insert(key, value);
        }
    }
    Ok(request)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn json_headers(content_type: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap(),
        );
        headers
    }

    #[test]
    fn only_json_bodies_are_read() {
        let limits = GraphqlLimits::default();
        let body = br#"{"query":"{ __typename }"}"#;
        for accepted in [
            "application/json",
            "application/json; charset=utf-8",
            "Application/JSON;charset=\"UTF-8\"",
        ] {
            assert!(
                from_post(&json_headers(accepted), body, &limits).is_ok(),
                "{accepted}"
            );
        }
        for refused in [
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/graphql",
            "application/json; charset=latin1",
        ] {
            let error = from_post(&json_headers(refused), body, &limits).unwrap_err();
            assert_eq!(
                error.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{refused}"
            );
        }
        let none = from_post(&HeaderMap::new(), body, &limits).unwrap_err();
        assert_eq!(none.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[test]
    fn malformed_parameters_are_bad_requests() {
        let limits = GraphqlLimits::default();
        let headers = json_headers("application/json");
        for body in [
            &br#"{"query":"#[..],
            br#"[{"query":"{ a }"}]"#,
            br#"{"variables":{}}"#,
            br#"{"query":1}"#,
            br#"{"query":"{ a }","variables":[1]}"#,
            br#"{"query":"{ a }","operationName":{}}"#,
        ] {
            let error = from_post(&headers, body, &limits).unwrap_err();
            assert_eq!(
                error.status,
                StatusCode::BAD_REQUEST,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }

    #[test]
    fn huge_variables_are_refused_before_decoding() {
        let limits = GraphqlLimits::default();
        let body = format!(
            r#"{{"query":"query($x: [Int]) {{ __typename }}","variables":{{"x":[{}1]}}}}"#,
            "1,".repeat(limits.max_json_values)
        );
        let error =
            from_post(&json_headers("application/json"), body.as_bytes(), &limits).unwrap_err();
        assert_eq!(error.status, StatusCode::PAYLOAD_TOO_LARGE);
        let get = format!(
            "query=%7Ba%7D&variables=%7B%22x%22%3A%5B{}1%5D%7D",
            "1%2C".repeat(limits.max_json_values)
        );
        assert_eq!(
            from_get(Some(&get), &limits).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }

    #[test]
    fn get_parameters_are_read() {
        let limits = GraphqlLimits::default();
        let request = from_get(
            Some("query=query%20Q(%24n%3A%20Int)%20%7B%20a%20%7D&operationName=Q&variables=%7B%22n%22%3A1%7D"),
            &limits,
        )
        .unwrap();
        assert_eq!(request.query, "query Q($n: Int) { a }");
        assert_eq!(request.operation_name.as_deref(), Some("Q"));
        assert_eq!(
            request.variables.get(&async_graphql::Name::new("n")),
            Some(&Value::from(1))
        );
    }
}
