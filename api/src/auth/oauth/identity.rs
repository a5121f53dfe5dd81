//! Who the provider says signed in: a stable subject and an email with its
//! verification status (the only thing that may link to an existing
//! account).

use anyhow::Context;
use serde::Deserialize;

use super::settings::ProviderKind;

#[derive(Debug, Clone)]
pub struct ExternalIdentity {
    pub subject: String,
    pub email: Option<String>,
    pub email_verified: bool,
    pub name: Option<String>,
}

/// OpenID Connect userinfo (Google, generic OIDC, the test server).
#[derive(Deserialize)]
struct OidcUserinfo {
    sub: String,
    email: Option<String>,
    #[serde(default)]
    email_verified: bool,
    name: Option<String>,
}

#[derive(Deserialize)]
struct GithubUser {
    id: u64,
    name: Option<String>,
    login: String,
}

#[derive(Deserialize)]
struct GithubEmail {
    email: String,
    primary: bool,
    verified: bool,
}

pub async fn fetch(
    http: &reqwest::Client,
    kind: ProviderKind,
    userinfo_url: &str,
    access_token: &str,
) -> anyhow::Result<ExternalIdentity> {
    match kind {
        ProviderKind::Google | ProviderKind::Oidc => {
            let info: OidcUserinfo = get_json(http, userinfo_url, access_token).await?;
            Ok(ExternalIdentity {
                subject: info.sub,
                email: info.email,
                email_verified: info.email_verified,
                name: info.name,
            })
        }
        ProviderKind::Github => {
            let user: GithubUser = get_json(http, userinfo_url, access_token).await?;
            // The profile email may be unverified: ask for the primary,
            // verified address explicitly.
            let emails_url = format!("{}/emails", userinfo_url.trim_end_matches('/'));
            let emails: Vec<GithubEmail> = get_json(http, &emails_url, access_token).await?;
            let primary = emails.into_iter().find(|e| e.primary && e.verified);
            Ok(ExternalIdentity {
                subject: user.id.to_string(),
                email_verified: primary.is_some(),
                email: primary.map(|e| e.email),
                name: user.name.or(Some(user.login)),
            })
        }
    }
}

async fn get_json<T: serde::de::DeserializeOwned>(
    http: &reqwest::Client,
    url: &str,
    access_token: &str,
) -> anyhow::Result<T> {
    http.get(url)
        .bearer_auth(access_token)
        .header(reqwest::header::ACCEPT, "application/json")
        .send()
        .await
        .with_context(|| format!("calling {url}"))?
        .error_for_status()
        .with_context(|| format!("calling {url}"))?
        .json()
        .await
        .with_context(|| format!("reading {url}"))
}
