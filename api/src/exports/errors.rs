//! Export failures as HTTP answers: the same codes as GraphQL's
//! `extensions.code`, in a small JSON body; internal causes are logged and
//! never shown.

use axum::{
    Json,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use serde_json::json;

use crate::error::AppError;

pub struct ExportError(pub AppError);

impl From<AppError> for ExportError {
    fn from(err: AppError) -> Self {
        Self(err)
    }
}

impl IntoResponse for ExportError {
    fn into_response(self) -> Response {
        let status = match &self.0 {
            AppError::Unauthenticated | AppError::InvalidCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Validation(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        let code = self.0.code();
        let field = match &self.0 {
            AppError::Validation(fields) => fields.first().map(|f| f.field.clone()),
            _ => None,
        };
        // The GraphQL conversion words the message and logs internal causes.
        let message = async_graphql::Error::from(self.0).message;
        let mut response = (
            status,
            Json(json!({ "code": code, "message": message, "field": field })),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            response.headers_mut().insert(
                header::WWW_AUTHENTICATE,
                header::HeaderValue::from_static("Bearer"),
            );
        }
        response
    }
}
