//! The root component: provides the session and the route, signs in from
//! an OAuth landing, and picks the page.

use dioxus::prelude::*;

use crate::components::Shell;
use crate::pages::SignIn;
use crate::route::use_route_provider;
use crate::state::{self, Session, Tokens};
use crate::undo::Deletions;
use crate::{dom, shortcuts};

#[component]
pub fn App() -> Element {
    // Before the session is restored: an OAuth landing brings its tokens.
    let oauth_error = use_hook(take_oauth_landing);
    let session = use_context_provider(Session::restore);
    use_future(move || session.keep_fresh());
    let route = use_route_provider();
    let deletions = use_context_provider(Deletions::new);
    use_hook(move || deletions.commit_on_leave(session));
    use_hook(shortcuts::install);
    use_hook(|| dom::performance_mark("englog-app-mounted"));

    rsx! {
        main { class: "app",
            if session.is_signed_in() {
                Shell { route: route() }
            } else {
                SignIn { oauth_error }
            }
        }
    }
}

/// The OAuth callback sends the browser to `/#access_token=…&refresh_token=…
/// &expires_at=<unix seconds>` (or `#error=<code>`): keep those tokens for
/// the session and clear them from the address bar. Returns the error to
/// show.
fn take_oauth_landing() -> Option<String> {
    let window = web_sys::window()?;
    let hash = window.location().hash().ok()?;
    let fragment = hash.strip_prefix('#')?;
    let field = |name: &str| {
        fragment.split('&').find_map(|pair| {
            let (key, value) = pair.split_once('=')?;
            (key == name).then(|| {
                js_sys::decode_uri_component(value)
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_else(|| value.to_owned())
            })
        })
    };
    let (access, refresh, error) = (
        field("access_token"),
        field("refresh_token"),
        field("error"),
    );
    if access.is_none() && error.is_none() {
        return None;
    }
    // Off the address bar and out of the history.
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some("/#/"));
    }
    if let (Some(access_token), Some(refresh_token)) = (access, refresh) {
        // Whole Unix seconds; an integer parse keeps float parsing out of the wasm.
        let seconds = field("expires_at")
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0) as f64;
        state::remember(&Tokens::issued(
            access_token,
            refresh_token,
            seconds * 1000.0,
        ));
        return None;
    }
    error.map(|code| match code.as_str() {
        "denied" => "Sign-in was cancelled at the provider.".to_owned(),
        "expired" => "The sign-in took too long. Please try again.".to_owned(),
        "email_unverified" => "The provider has no verified email address for your account. \
            Verify your email there, or sign in with your email and password, then try again."
            .to_owned(),
        "rate_limited" => {
            "Too many sign-in attempts from here. Wait a few minutes, then try again.".to_owned()
        }
        other => format!("Sign-in with the provider failed ({other}). Please try again."),
    })
}
