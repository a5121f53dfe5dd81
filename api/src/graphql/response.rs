//! Gives every error a stable `extensions.code`.

use async_graphql::{ErrorExtensionValues, Response, ServerError};

/// Errors raised by our resolvers already carry a code. The others come from
/// parsing, validation or input coercion (an unknown enum value, a wrong
/// type, a limit exceeded): those are the client's input, hence VALIDATION.
pub fn with_codes(mut response: Response) -> Response {
    for error in &mut response.errors {
        let ext = error
            .extensions
            .get_or_insert_with(ErrorExtensionValues::default);
        if ext.get("code").is_none() {
            ext.set("code", "VALIDATION");
        }
    }
    response
}

/// An error raised outside the resolvers (limits, protocol steps) with its
/// stable `extensions.code`.
pub fn coded_error(message: impl Into<String>, code: &str) -> ServerError {
    let mut error = ServerError::new(message, None);
    let mut extensions = ErrorExtensionValues::default();
    extensions.set("code", code);
    error.extensions = Some(extensions);
    error
}
