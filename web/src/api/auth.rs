//! Sign-in, registration, token refresh and sign-out: the calls made
//! without (or about) the session itself.

use super::ApiError;
use super::client::post_graphql;
use super::ops::{
    Login, Logout, RefreshToken, Register, login, logout as logout_op, refresh_token,
    register as register_op,
};
use crate::state::Tokens;

pub struct Credentials {
    pub email: String,
    pub password: String,
}

pub struct NewAccount {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub password: String,
}

pub async fn login(credentials: Credentials) -> Result<Tokens, ApiError> {
    let input = login::LoginInput {
        email: credentials.email,
        password: credentials.password,
    };
    let data = post_graphql::<Login>(None, login::Variables { input }).await?;
    let p = data.login;
    Ok(Tokens::new(
        p.access_token,
        p.refresh_token,
        &p.access_token_expires_at,
    ))
}

pub async fn register(account: NewAccount) -> Result<Tokens, ApiError> {
    let input = register_op::RegisterInput {
        email: account.email,
        password: account.password,
        first_name: account.first_name,
        last_name: account.last_name,
        timezone: browser_timezone(),
    };
    let data = post_graphql::<Register>(None, register_op::Variables { input }).await?;
    let p = data.register;
    Ok(Tokens::new(
        p.access_token,
        p.refresh_token,
        &p.access_token_expires_at,
    ))
}

/// Trades a refresh token for a new pair (the old one is spent).
pub async fn refresh(refresh_token: String) -> Result<Tokens, ApiError> {
    let variables = refresh_token::Variables { refresh_token };
    let data = post_graphql::<RefreshToken>(None, variables).await?;
    let p = data.refresh_token;
    Ok(Tokens::new(
        p.access_token,
        p.refresh_token,
        &p.access_token_expires_at,
    ))
}

/// Ends the server-side session the refresh token belongs to.
pub async fn logout(refresh_token: String) -> Result<(), ApiError> {
    let variables = logout_op::Variables { refresh_token };
    post_graphql::<Logout>(None, variables).await.map(drop)
}

/// The browser's IANA time zone (e.g. "Europe/Lisbon"), so reports and
/// analytics use the person's day boundaries from the start.
pub fn browser_timezone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::default().resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|tz| !tz.is_empty())
}
