//! Sign-in, registration and the current user.

use super::ApiError;
use super::client::post_graphql;
use super::operations::{
    Login, Logout, Me, Register, login, logout as logout_op, me as me_op, register as register_op,
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

#[derive(Clone, PartialEq)]
pub struct User {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
}

impl User {
    pub fn display_name(&self) -> String {
        let name = format!("{} {}", self.first_name, self.last_name);
        match name.trim() {
            "" => self.email.clone(),
            trimmed => trimmed.to_owned(),
        }
    }
}

pub async fn login(credentials: Credentials) -> Result<Tokens, ApiError> {
    let input = login::LoginInput {
        email: credentials.email,
        password: credentials.password,
    };
    let data = post_graphql::<Login>(None, login::Variables { input }).await?;
    Ok(Tokens {
        access_token: data.login.access_token,
        refresh_token: data.login.refresh_token,
    })
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
    Ok(Tokens {
        access_token: data.register.access_token,
        refresh_token: data.register.refresh_token,
    })
}

/// Ends the server-side session the refresh token belongs to.
pub async fn logout(refresh_token: String) -> Result<(), ApiError> {
    let variables = logout_op::Variables { refresh_token };
    post_graphql::<Logout>(None, variables).await.map(drop)
}

pub async fn me(token: Option<String>) -> Result<User, ApiError> {
    let data = post_graphql::<Me>(token.as_deref(), me_op::Variables).await?;
    Ok(User {
        first_name: data.me.first_name,
        last_name: data.me.last_name,
        email: data.me.email,
    })
}

/// The browser's IANA time zone (e.g. "Europe/Lisbon"), so reports and
/// analytics use the person's day boundaries from the start.
fn browser_timezone() -> Option<String> {
    let options = js_sys::Intl::DateTimeFormat::default().resolved_options();
    js_sys::Reflect::get(&options, &"timeZone".into())
        .ok()?
        .as_string()
        .filter(|tz| !tz.is_empty())
}
