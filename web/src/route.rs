//! A small hash router (`#/dashboard`, `#/reports/<id>`): the server always
//! serves `index.html`, links are plain anchors, and the back button works
//! through `hashchange`. A query after the path (`#/?tag=ops`) is the
//! journal's filters ([`RouteQuery`]).

use dioxus::prelude::*;

use crate::dom;

#[derive(Clone, PartialEq)]
pub enum Route {
    Journal,
    Entry(String),
    Dashboard,
    Reports,
    Report(String),
    Projects,
    Tags,
    Data,
    Settings,
    Connections,
    /// A path no page has (kept to say which).
    NotFound(String),
}

impl Route {
    /// The route of a location hash (`#/reports/…`); no path opens the
    /// journal, a path no page has is [`Route::NotFound`].
    pub fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or("").trim_end_matches('/');
        match path.split_once('/') {
            None => match path {
                "" => Self::Journal,
                "dashboard" => Self::Dashboard,
                "reports" => Self::Reports,
                "projects" => Self::Projects,
                "tags" => Self::Tags,
                "data" => Self::Data,
                "settings" => Self::Settings,
                _ => Self::NotFound(path.to_owned()),
            },
            Some(("entries", id)) if !id.contains('/') => Self::Entry(id.to_owned()),
            Some(("reports", id)) if !id.contains('/') => Self::Report(id.to_owned()),
            Some(("settings", "connections")) => Self::Connections,
            Some(_) => Self::NotFound(path.to_owned()),
        }
    }

    pub fn href(&self) -> String {
        match self {
            Self::Journal => "#/".into(),
            Self::Entry(id) => format!("#/entries/{id}"),
            Self::Dashboard => "#/dashboard".into(),
            Self::Reports => "#/reports".into(),
            Self::Report(id) => format!("#/reports/{id}"),
            Self::Projects => "#/projects".into(),
            Self::Tags => "#/tags".into(),
            Self::Data => "#/data".into(),
            Self::Settings => "#/settings".into(),
            Self::Connections => "#/settings/connections".into(),
            Self::NotFound(path) => format!("#/{path}"),
        }
    }
}

/// The journal on the drafts waiting for review (the nudge's link; the
/// dashboard's links use the same `draft=true`).
pub const REVIEW_DRAFTS: &str = "#/?draft=true";

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// The query of the location hash: `#/?from=2026-03-01&tag=ops` →
/// `from=2026-03-01&tag=ops` (the journal's filters; links from other pages
/// set them). Followed like the route.
#[derive(Clone, Copy)]
pub struct RouteQuery(pub Signal<String>);

fn query_of(hash: &str) -> String {
    hash.split_once('?')
        .map(|(_, q)| q.to_owned())
        .unwrap_or_default()
}

/// The value of `key` in a query (`a=1&b=x%20y`), percent-decoded.
pub fn query_value(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == key).then(|| {
            js_sys::decode_uri_component(v)
                .ok()
                .and_then(|v| v.as_string())
                .unwrap_or_else(|| v.to_owned())
        })
    })
}

/// `key=value` with the value percent-encoded, for building a query.
pub fn query_pair(key: &str, value: &str) -> String {
    format!(
        "{key}={}",
        String::from(js_sys::encode_uri_component(value))
    )
}

/// Shows `query` in the address bar without a new history entry or a
/// `hashchange`: the page already shows what it says.
pub fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hash = current_hash();
    let path = hash.split('?').next().unwrap_or("#/");
    let url = if query.is_empty() {
        path.to_owned()
    } else {
        format!("{path}?{query}")
    };
    if url != hash
        && let Ok(history) = window.history()
    {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

/// Provides the current route and its query, following the location hash.
pub fn use_route_provider() -> Signal<Route> {
    let mut route = use_context_provider(|| Signal::new(Route::parse(&current_hash())));
    let RouteQuery(mut query) =
        use_context_provider(|| RouteQuery(Signal::new(query_of(&current_hash()))));
    use_hook(move || {
        dom::listen_window("hashchange", move |_| {
            let hash = current_hash();
            route.set(Route::parse(&hash));
            query.set(query_of(&hash));
        })
    });
    route
}

/// Opens `route` (a history entry, like following a link).
pub fn navigate(route: &Route) {
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_hash(&route.href());
    }
}
