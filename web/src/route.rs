//! A small hash router (`#/dashboard`, `#/reports/<id>`): the server always
//! serves `index.html`, links are plain anchors, and the back button works
//! through `hashchange`.

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
}

impl Route {
    /// The route of a location hash (`#/reports/…`); unknown paths open the
    /// journal.
    pub fn parse(hash: &str) -> Self {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let path = path.split('?').next().unwrap_or("");
        let mut parts = path.splitn(2, '/');
        match (parts.next().unwrap_or(""), parts.next()) {
            ("entries", Some(id)) if !id.is_empty() => Self::Entry(id.to_owned()),
            ("dashboard", _) => Self::Dashboard,
            ("reports", Some(id)) if !id.is_empty() => Self::Report(id.to_owned()),
            ("reports", _) => Self::Reports,
            ("projects", _) => Self::Projects,
            ("tags", _) => Self::Tags,
            ("data", _) => Self::Data,
            ("settings", Some("connections")) => Self::Connections,
            ("settings", _) => Self::Settings,
            _ => Self::Journal,
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
        }
    }
}

/// The journal on the drafts waiting for review (the nudge's link; the
/// dashboard's links use the same `draft=true`).
pub const REVIEW_DRAFTS: &str = "#/?draft=true";

/// Whether the location hash's query asks for drafts only (`#/?draft=true`).
pub fn drafts_asked() -> bool {
    current_hash()
        .split_once('?')
        .is_some_and(|(_, query)| query.split('&').any(|pair| pair == "draft=true"))
}

fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Provides the current route, following the location hash.
pub fn use_route_provider() -> Signal<Route> {
    let mut route = use_context_provider(|| Signal::new(Route::parse(&current_hash())));
    use_hook(move || {
        dom::listen_window("hashchange", move |_| {
            route.set(Route::parse(&current_hash()));
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
