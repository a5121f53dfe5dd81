//! Who is calling: resolved from the `Authorization: Bearer` header before a
//! request executes, and read by resolvers through [`require_user`].

use async_graphql::Context;
use uuid::Uuid;

use crate::error::AppError;

/// The authenticated user of a request.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub user_id: Uuid,
}

/// The caller's user id, or UNAUTHENTICATED.
pub fn require_user(ctx: &Context<'_>) -> Result<Uuid, AppError> {
    ctx.data_opt::<Caller>()
        .map(|c| c.user_id)
        .ok_or(AppError::Unauthenticated)
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
