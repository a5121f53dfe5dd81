//! `[oauth]` settings: where EngLog is reached (redirect URIs are built from
//! it, exactly) and the providers, by name.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use crate::config::Secret;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct OAuthSettings {
    /// The public base URL, e.g. `https://englog.example.org`. OAuth sign-in
    /// is off while it is unset. The redirect URI registered at each provider
    /// is `<public_url>/auth/oauth/<name>/callback`.
    pub public_url: Option<String>,
    /// Where the browser lands after signing in (tokens in the fragment) or
    /// failing (`#error=<code>`), relative to `public_url`.
    pub after_login_path: Option<String>,
    pub providers: BTreeMap<String, ProviderSettings>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ProviderKind {
    Github,
    Google,
    /// Any OpenID Connect provider; its endpoints must be given.
    Oidc,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ProviderSettings {
    pub kind: ProviderKind,
    pub client_id: String,
    pub client_secret: Secret,
    /// Override (required for `oidc`) of the authorization endpoint.
    #[serde(default)]
    pub auth_url: Option<String>,
    #[serde(default)]
    pub token_url: Option<String>,
    #[serde(default)]
    pub userinfo_url: Option<String>,
    /// Scopes to ask for; each kind has sensible defaults.
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
}

/// A provider's resolved endpoints.
pub struct Endpoints {
    pub auth_url: String,
    pub token_url: String,
    pub userinfo_url: String,
    pub scopes: Vec<String>,
}

impl ProviderSettings {
    /// The configured endpoints, or the kind's well-known ones.
    pub fn endpoints(&self) -> Option<Endpoints> {
        let (auth, token, userinfo, scopes): (&str, &str, &str, &[&str]) = match self.kind {
            ProviderKind::Github => (
                "https://github.com/login/oauth/authorize",
                "https://github.com/login/oauth/access_token",
                "https://api.github.com/user",
                &["read:user", "user:email"],
            ),
            ProviderKind::Google => (
                "https://accounts.google.com/o/oauth2/v2/auth",
                "https://oauth2.googleapis.com/token",
                "https://openidconnect.googleapis.com/v1/userinfo",
                &["openid", "email", "profile"],
            ),
            ProviderKind::Oidc => ("", "", "", &["openid", "email", "profile"]),
        };
        let pick = |configured: &Option<String>, default: &str| {
            configured
                .clone()
                .or_else(|| (!default.is_empty()).then(|| default.to_owned()))
        };
        Some(Endpoints {
            auth_url: pick(&self.auth_url, auth)?,
            token_url: pick(&self.token_url, token)?,
            userinfo_url: pick(&self.userinfo_url, userinfo)?,
            scopes: self
                .scopes
                .clone()
                .unwrap_or_else(|| scopes.iter().map(|s| (*s).to_owned()).collect()),
        })
    }
}
