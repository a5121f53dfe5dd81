//! `GET /auth/oauth/providers` lists the providers sign-in works with.
//! `GET /auth/oauth/{provider}/start` sends the browser to the provider with
//! a fresh `state`, a PKCE S256 challenge and an exact redirect URI, and
//! binds the state to the browser with a short-lived HttpOnly cookie.
//! `GET /auth/oauth/{provider}/callback` checks state and cookie (once),
//! trades the code with the PKCE verifier, reads the identity, signs the
//! user in and sends the browser to the app with the tokens in the URL
//! fragment (never sent to a server). Failures land there as `#error=<code>`.

use axum::{
    Extension, Router,
    extract::{ConnectInfo, Path, Query, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
    routing::get,
};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope, TokenResponse, TokenUrl,
    basic::BasicClient,
};
use serde::Deserialize;
use std::{net::SocketAddr, time::Duration};
use uuid::Uuid;

use super::settings::{Endpoints, ProviderSettings};
use super::{account, identity, login_state};
use crate::auth::client::ClientInfo;
use crate::auth::rate_limit::Action;
use crate::auth::service::start_session;
use crate::error::AppError;
use crate::state::AppState;

const COOKIE: &str = "englog_oauth";
const COOKIE_PATH: &str = "/auth/oauth";

type ConfiguredClient =
    BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

#[derive(Clone)]
struct OAuthState {
    app: AppState,
    /// No redirects (RFC 9700 §4.11), a timeout, a User-Agent (GitHub
    /// requires one). `None` if it could not be built: sign-in then fails.
    http: Option<reqwest::Client>,
}

pub fn router(app: AppState) -> Router {
    let http = reqwest::Client::builder()
        .user_agent("EngLog")
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .inspect_err(|err| tracing::error!(error = %err, "OAuth HTTP client unavailable"))
        .ok();
    Router::new()
        .route("/auth/oauth/providers", get(providers))
        .route("/auth/oauth/{provider}/start", get(start))
        .route("/auth/oauth/{provider}/callback", get(callback))
        .with_state(OAuthState { app, http })
}

/// A provider that is configured, with EngLog's public URL known.
struct Provider<'a> {
    name: &'a str,
    settings: &'a ProviderSettings,
    endpoints: Endpoints,
    public_url: String,
}

impl<'a> Provider<'a> {
    fn find(app: &'a AppState, name: &'a str) -> Option<Self> {
        let oauth = &app.settings.oauth;
        let public_url = oauth
            .public_url
            .as_deref()?
            .trim_end_matches('/')
            .to_owned();
        let settings = oauth.providers.get(name)?;
        Some(Self {
            name,
            settings,
            endpoints: settings.endpoints()?,
            public_url,
        })
    }

    /// The exact redirect URI registered at the provider.
    fn redirect_uri(&self) -> String {
        format!("{}/auth/oauth/{}/callback", self.public_url, self.name)
    }

    fn client(&self) -> Result<ConfiguredClient, oauth2::url::ParseError> {
        Ok(
            BasicClient::new(ClientId::new(self.settings.client_id.clone()))
                .set_client_secret(ClientSecret::new(
                    self.settings.client_secret.expose().to_owned(),
                ))
                .set_auth_uri(AuthUrl::new(self.endpoints.auth_url.clone())?)
                .set_token_uri(TokenUrl::new(self.endpoints.token_url.clone())?)
                .set_redirect_uri(RedirectUrl::new(self.redirect_uri())?),
        )
    }

    fn secure(&self) -> bool {
        self.public_url.starts_with("https://")
    }

    /// Where the browser goes afterwards, with `fragment`.
    fn landing(&self, app: &AppState, fragment: &str) -> String {
        let path = app
            .settings
            .oauth
            .after_login_path
            .as_deref()
            .unwrap_or("/");
        format!("{}{path}#{fragment}", self.public_url)
    }
}

fn cookie(value: &str, max_age: u64, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={value}; Path={COOKIE_PATH}; Max-Age={max_age}; HttpOnly; SameSite=Lax{secure}"
    ))
    .ok()
}

fn read_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
}

fn redirect(location: &str, set_cookie: Option<HeaderValue>) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    if let Some(cookie) = set_cookie {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

fn not_found() -> Response {
    (StatusCode::NOT_FOUND, "unknown sign-in provider").into_response()
}

/// `GET /auth/oauth/providers`: the names of the providers sign-in works
/// with (configured, with the public URL known), so the web app shows a
/// button for each. Public: it reveals only which buttons exist.
async fn providers(State(state): State<OAuthState>) -> axum::Json<Vec<String>> {
    let names = state
        .app
        .settings
        .oauth
        .providers
        .keys()
        .filter(|name| Provider::find(&state.app, name).is_some())
        .cloned()
        .collect();
    axum::Json(names)
}

/// Counts an OAuth request against the client's per-IP limit; `Err` holds
/// the seconds until the window ends.
async fn over_limit(
    state: &OAuthState,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
) -> Result<(), u64> {
    let client = ClientInfo::from_request(
        headers,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        state.app.settings.rate_limits.client_ip_header.as_deref(),
    );
    match state.app.limiter.hit(Action::OAuth, client.ip, None).await {
        Err(AppError::RateLimited { retry_after_secs }) => Err(retry_after_secs),
        _ => Ok(()),
    }
}

async fn start(
    State(state): State<OAuthState>,
    Path(name): Path<String>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    let Some(provider) = Provider::find(&state.app, &name) else {
        return not_found();
    };
    if let Err(retry_after) = over_limit(&state, peer, &headers).await {
        return (
            StatusCode::TOO_MANY_REQUESTS,
            [(header::RETRY_AFTER, retry_after.to_string())],
            "too many sign-in attempts; try again later",
        )
            .into_response();
    }
    let client = match provider.client() {
        Ok(client) => client,
        Err(err) => {
            tracing::error!(error = %err, provider = %name, "OAuth provider misconfigured");
            return (StatusCode::INTERNAL_SERVER_ERROR, "sign-in unavailable").into_response();
        }
    };
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, csrf) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(provider.endpoints.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .url();
    match login_state::start(
        &state.app.db,
        provider.name,
        verifier.secret(),
        csrf.secret(),
    )
    .await
    {
        Ok(started) => redirect(
            url.as_str(),
            cookie(&started.browser_binding, 600, provider.secure()),
        ),
        Err(err) => {
            internal(err);
            (StatusCode::INTERNAL_SERVER_ERROR, "sign-in unavailable").into_response()
        }
    }
}

#[derive(Deserialize)]
struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

async fn callback(
    State(state): State<OAuthState>,
    Path(name): Path<String>,
    Query(params): Query<CallbackParams>,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
) -> Response {
    let Some(provider) = Provider::find(&state.app, &name) else {
        return not_found();
    };
    // The binding cookie is spent whatever happens next.
    let clear = cookie("", 0, provider.secure());
    if over_limit(&state, peer, &headers).await.is_err() {
        return redirect(&provider.landing(&state.app, "error=rate_limited"), clear);
    }
    let fragment = match finish(&state, &provider, params, peer, &headers).await {
        Ok(fragment) => fragment,
        Err(code) => format!("error={code}"),
    };
    redirect(&provider.landing(&state.app, &fragment), clear)
}

/// The URL fragment for the app: tokens, or the error code as `Err`.
async fn finish(
    state: &OAuthState,
    provider: &Provider<'_>,
    params: CallbackParams,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: &HeaderMap,
) -> Result<String, &'static str> {
    if params.error.is_some() {
        return Err("denied");
    }
    let (Some(code), Some(returned_state)) = (params.code, params.state) else {
        return Err("invalid_request");
    };
    let db = &state.app.db;
    let binding = read_cookie(headers);
    let verifier =
        match login_state::consume(db, provider.name, &returned_state, binding.as_deref())
            .await
            .map_err(internal)?
        {
            Ok(verifier) => verifier,
            Err(login_state::Refusal::InvalidState) => return Err("invalid_state"),
            Err(login_state::Refusal::Expired) => return Err("expired"),
        };
    let http = state.http.as_ref().ok_or("unavailable")?;
    let client = provider.client().map_err(|_| "unavailable")?;
    let token = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier))
        .request_async(http)
        .await
        .map_err(|err| {
            tracing::warn!(error = %err, provider = %provider.name, "OAuth code exchange refused");
            "exchange_failed"
        })?;
    let identity = identity::fetch(
        http,
        provider.settings.kind,
        &provider.endpoints.userinfo_url,
        token.access_token().secret(),
    )
    .await
    .map_err(|err| {
        tracing::warn!(error = ?err, provider = %provider.name, "OAuth identity unavailable");
        "provider_error"
    })?;
    let user = match account::user_for(db, provider.name, &identity)
        .await
        .map_err(internal)?
    {
        Ok(user) => user,
        Err(account::Refusal::EmailUnverified) => return Err("email_unverified"),
    };
    let client_info = ClientInfo::from_request(
        headers,
        peer.map(|Extension(ConnectInfo(addr))| addr),
        state.app.settings.rate_limits.client_ip_header.as_deref(),
    );
    let session = start_session(&state.app, db, &client_info, user, Uuid::now_v7())
        .await
        .map_err(internal)?;
    Ok(format!(
        "access_token={}&refresh_token={}&expires_at={}",
        session.access_token,
        session.refresh_token,
        session.access_expires_at.timestamp()
    ))
}

/// Logs an error with its cause chain (never shown to the browser) and
/// names it for the fragment.
fn internal(err: AppError) -> &'static str {
    tracing::error!(error = ?err, "OAuth sign-in failed");
    "internal"
}
