//! Who is calling: resolved from the `Authorization: Bearer` header before a
//! request executes, and read by resolvers through [`require_user`].

use async_graphql::Context;
use uuid::Uuid;

use crate::error::AppError;

/// The authenticated user of a request and the credential they used.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub user_id: Uuid,
    pub credential: Credential,
}

/// How a caller authenticated: a signed-in session or an API token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Credential {
    /// An access token of a live session (refresh-token family).
    Session { session_id: Uuid },
    /// A personal API token.
    ApiToken { token_id: Uuid, scope: TokenScope },
}

/// What an API token may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
#[graphql(name = "ApiTokenScope")]
pub enum TokenScope {
    /// Queries only: every mutation answers FORBIDDEN.
    Read,
    ReadWrite,
}

impl TokenScope {
    /// The stored form (`api_tokens.scope`).
    pub fn as_str(self) -> &'static str {
        match self {
            TokenScope::Read => "read",
            TokenScope::ReadWrite => "read_write",
        }
    }

    /// Unknown stored values read as the narrower scope.
    pub fn parse(stored: &str) -> Self {
        match stored {
            "read_write" => TokenScope::ReadWrite,
            _ => TokenScope::Read,
        }
    }
}

impl Caller {
    /// True for an API token that may only read.
    pub fn is_read_only(&self) -> bool {
        matches!(
            self.credential,
            Credential::ApiToken {
                scope: TokenScope::Read,
                ..
            }
        )
    }
}

/// The caller's user id, or UNAUTHENTICATED.
pub fn require_user(ctx: &Context<'_>) -> Result<Uuid, AppError> {
    ctx.data_opt::<Caller>()
        .map(|c| c.user_id)
        .ok_or(AppError::Unauthenticated)
}

/// The caller's user and session id, for what only a signed-in person may
/// do (managing sessions and API tokens, changing the password): an API
/// token gets FORBIDDEN, so a leaked token cannot mint more credentials or
/// take over the account.
pub fn require_session(ctx: &Context<'_>) -> Result<(Uuid, Uuid), AppError> {
    let caller = ctx.data_opt::<Caller>().ok_or(AppError::Unauthenticated)?;
    match caller.credential {
        Credential::Session { session_id } => Ok((caller.user_id, session_id)),
        Credential::ApiToken { .. } => Err(AppError::Forbidden),
    }
}

/// Extracts the token of an `Authorization: Bearer <token>` header value.
pub fn bearer_token(header: &str) -> Option<&str> {
    let (scheme, token) = header.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_bearer_headers_carry_a_token() {
        assert_eq!(bearer_token("Bearer abc"), Some("abc"));
        assert_eq!(bearer_token("bearer  abc "), Some("abc"));
        assert_eq!(bearer_token("Basic abc"), None);
        assert_eq!(bearer_token("Bearer "), None);
    }
}
