use dioxus::prelude::*;
use gloo_net::http::Request;

/// "Continue with …" for each OAuth provider the server has configured
/// (`GET /auth/oauth/providers`); nothing when there are none. The buttons
/// are plain links: the server runs the redirect dance and lands back on
/// `/#access_token=…` (see `app.rs`).
#[component]
pub fn OAuthButtons() -> Element {
    let providers = use_resource(|| async {
        let response = Request::get("/auth/oauth/providers").send().await.ok()?;
        if !response.ok() {
            return None;
        }
        response.json::<Vec<String>>().await.ok()
    });
    let providers = providers.read().clone().flatten().unwrap_or_default();
    rsx! {
        if !providers.is_empty() {
            div { class: "oauth", role: "group", aria_label: "Sign in with another account",
                for name in providers {
                    a { key: "{name}", class: "button secondary", id: "oauth-{name}",
                        href: "/auth/oauth/{name}/start",
                        "Continue with {provider_label(&name)}"
                    }
                }
            }
        }
    }
}

fn provider_label(name: &str) -> String {
    match name {
        "github" => "GitHub".into(),
        "google" => "Google".into(),
        "gitlab" => "GitLab".into(),
        other => crate::format::label(other),
    }
}
