//! The one error type of the API and its mapping to stable
//! `extensions.code` values.
//!
//! `AppError` deliberately does not implement `Display`: async-graphql turns
//! any `Display` error into a client-visible message, so the only way out to
//! a client is the explicit conversion below, which hides internal causes.

use async_graphql::ErrorExtensions;
use englog_core::FieldError;
use sea_orm::{DbErr, SqlErr};

#[derive(Debug)]
pub enum AppError {
    Unauthenticated,
    /// A failed sign-in; worded the same for an unknown email and a wrong
    /// password.
    InvalidCredentials,
    Forbidden,
    /// The named kind of thing does not exist for this caller.
    NotFound(&'static str),
    Validation(Vec<FieldError>),
    Conflict(FieldError),
    RateLimited {
        retry_after_secs: u64,
    },
    Internal(anyhow::Error),
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        AppError::Validation(vec![FieldError::new(field, message)])
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::Unauthenticated | AppError::InvalidCredentials => "UNAUTHENTICATED",
            AppError::Forbidden => "FORBIDDEN",
            AppError::NotFound(_) => "NOT_FOUND",
            AppError::Validation(_) => "VALIDATION",
            AppError::Conflict(_) => "CONFLICT",
            AppError::RateLimited { .. } => "RATE_LIMITED",
            AppError::Internal(_) => "INTERNAL",
        }
    }

    /// Maps a unique-constraint violation to CONFLICT on `field`; anything
    /// else stays internal.
    pub fn conflict_on(field: &str, message: &str) -> impl FnOnce(DbErr) -> AppError {
        let (field, message) = (field.to_owned(), message.to_owned());
        move |err| match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                AppError::Conflict(FieldError::new(field, message))
            }
            _ => AppError::from(err),
        }
    }
}

impl From<FieldError> for AppError {
    fn from(err: FieldError) -> Self {
        AppError::Validation(vec![err])
    }
}

impl From<DbErr> for AppError {
    fn from(err: DbErr) -> Self {
        AppError::Internal(anyhow::Error::new(err).context("database"))
    }
}

impl From<anyhow::Error> for AppError {
    fn from(err: anyhow::Error) -> Self {
        AppError::Internal(err)
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(err: AppError) -> Self {
        let code = err.code();
        let gql = match &err {
            AppError::Unauthenticated => async_graphql::Error::new("authentication required"),
            AppError::InvalidCredentials => {
                async_graphql::Error::new("email or password is incorrect")
            }
            AppError::Forbidden => async_graphql::Error::new("not allowed"),
            AppError::NotFound(what) => async_graphql::Error::new(format!("{what} not found")),
            AppError::Validation(fields) => {
                let first = fields.first();
                let message = first
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .unwrap_or_else(|| "invalid input".into());
                let all: Vec<async_graphql::Value> = fields
                    .iter()
                    .map(|f| {
                        let mut map = async_graphql::indexmap::IndexMap::new();
                        map.insert(
                            async_graphql::Name::new("field"),
                            async_graphql::Value::from(f.field.clone()),
                        );
                        map.insert(
                            async_graphql::Name::new("message"),
                            async_graphql::Value::from(f.message.clone()),
                        );
                        async_graphql::Value::Object(map)
                    })
                    .collect();
                let field = first.map(|f| f.field.clone()).unwrap_or_default();
                return async_graphql::Error::new(message).extend_with(|_, e| {
                    e.set("code", code);
                    e.set("field", field.clone());
                    e.set("fields", async_graphql::Value::List(all.clone()));
                });
            }
            AppError::Conflict(f) => {
                let field = f.field.clone();
                return async_graphql::Error::new(format!("{}: {}", f.field, f.message))
                    .extend_with(|_, e| {
                        e.set("code", code);
                        e.set("field", field.clone());
                    });
            }
            AppError::RateLimited { retry_after_secs } => {
                let secs = *retry_after_secs;
                return async_graphql::Error::new("too many requests, retry later").extend_with(
                    |_, e| {
                        e.set("code", code);
                        e.set("retryAfter", secs);
                    },
                );
            }
            AppError::Internal(cause) => {
                // The cause chain goes to the log, never to the client.
                tracing::error!(error = ?cause, "internal error");
                async_graphql::Error::new("internal error")
            }
        };
        gql.extend_with(|_, e| e.set("code", code))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let err = AppError::from(DbErr::Custom("relation users does not exist".into()));
        let gql: async_graphql::Error = err.into();
        assert_eq!(gql.message, "internal error");
        let ext = gql.extensions.expect("extensions");
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("INTERNAL"))
        );
    }

    #[test]
    fn validation_names_the_field() {
        let gql: async_graphql::Error = AppError::field("title", "must not be empty").into();
        let ext = gql.extensions.expect("extensions");
        assert_eq!(ext.get("field"), Some(&async_graphql::Value::from("title")));
        assert_eq!(
            ext.get("code"),
            Some(&async_graphql::Value::from("VALIDATION"))
        );
    }
}
