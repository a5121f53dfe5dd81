//! The plain-HTTP surface: probes, GraphiQL, the SPA, and the embedded
//! default keeping its data across restarts.

use serde_json::{Value, json};

use crate::helpers::{Backend, PASSWORD, TestApp, session_of, spawn_app, spawn_app_with, start};

async fn get(app: &TestApp, path: &str) -> reqwest::Response {
    app.client.get(app.url(path)).send().await.expect("GET")
}

#[tokio::test]
async fn probes_report_liveness_and_database_readiness() {
    let app = spawn_app().await;
    assert_eq!(get(&app, "/live").await.status(), 200);
    assert_eq!(get(&app, "/health").await.status(), 200);
    let ready = get(&app, "/ready").await;
    assert_eq!(ready.status(), 200);
    let body: Value = ready.json().await.unwrap();
    assert_eq!(body["checks"]["database"], "ok");
    assert_eq!(body["checks"]["redis"], "not configured");
}

#[tokio::test]
async fn a_configured_but_unreachable_redis_stops_startup_with_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = crate::helpers::test_settings();
    settings.data_dir = dir.path().to_path_buf();
    // Port 1 on loopback refuses connections.
    settings.redis_url = Some(englog_api::config::Secret::new("redis://127.0.0.1:1"));
    let err = englog_api::startup::Application::build(settings)
        .await
        .err()
        .expect("startup refused");
    assert!(
        format!("{err:#}").contains("connecting to Redis"),
        "{err:#}"
    );
}

#[tokio::test]
async fn readiness_checks_a_configured_redis() {
    let redis =
        std::env::var("ENGLOG_TEST_REDIS_URL").unwrap_or_else(|_| "redis://127.0.0.1:6379".into());
    let app = spawn_app_with(Backend::Sqlite, |s| {
        s.redis_url = Some(englog_api::config::Secret::new(redis));
    })
    .await;
    let body: Value = get(&app, "/ready").await.json().await.unwrap();
    assert_eq!(body["checks"]["redis"], "ok", "{body}");
}

#[tokio::test]
async fn graphiql_is_served_from_our_own_assets() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let page = get(&app, "/graphiql").await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("/graphiql/assets/"), "{html}");
    for needle in ["http://", "https://", "unpkg", "jsdelivr", "cdn"] {
        assert!(!html.contains(needle), "GraphiQL page references {needle}");
    }
    // Every script and stylesheet it references is served here.
    for asset in html
        .split(['"', '\''])
        .filter(|s| s.starts_with("/graphiql/assets/"))
    {
        let res = get(&app, asset).await;
        assert_eq!(res.status(), 200, "{asset}");
    }
    assert_eq!(get(&app, "/graphiql/assets/nope.js").await.status(), 404);
}

#[tokio::test]
async fn the_web_app_is_served_at_the_root_with_client_routes_falling_back() {
    let web = tempfile::tempdir().unwrap();
    std::fs::write(
        web.path().join("index.html"),
        "<html><body>EngLog SPA</body></html>",
    )
    .unwrap();
    std::fs::create_dir(web.path().join("pkg")).unwrap();
    std::fs::write(web.path().join("pkg/app.js"), "export default 1;").unwrap();
    let dir = web.path().to_path_buf();
    let app = spawn_app_with(Backend::Sqlite, move |s| s.web_dir = dir).await;

    let root = get(&app, "/").await;
    assert_eq!(root.status(), 200);
    assert_eq!(root.headers()["cache-control"], "no-cache");
    assert!(root.text().await.unwrap().contains("EngLog SPA"));
    let js = get(&app, "/pkg/app.js").await;
    assert_eq!(js.status(), 200);
    assert!(
        js.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    assert_eq!(
        js.headers()["cache-control"],
        "public, max-age=31536000, immutable",
        "hashed files are cached for good"
    );
    let missing = get(&app, "/pkg/app.0123456789.js").await;
    assert_eq!(missing.status(), 404);
    assert_eq!(missing.headers()["cache-control"], "no-store");
    let deep = get(&app, "/journal/some-client-route").await;
    assert_eq!(deep.status(), 200);
    assert_eq!(deep.headers()["cache-control"], "no-cache");
    assert!(deep.text().await.unwrap().contains("EngLog SPA"));
}

#[tokio::test]
async fn the_embedded_default_keeps_its_data_across_restarts() {
    let first = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let me = first.register("persist@example.com").await;
    first
        .create_entry(&me.access, json!({ "title": "Survives restarts" }))
        .await;
    let (settings, database) = first.stop().await;

    let second = start(settings, database).await;
    // Same file, same generated-or-configured key: the old token still works.
    assert_eq!(
        second.entry_titles(&me.access, json!({})).await,
        ["Survives restarts"]
    );
    let login = second.login("persist@example.com", PASSWORD).await;
    session_of(&login, "login");
}

#[tokio::test]
async fn the_embedded_default_generates_and_keeps_its_signing_key() {
    let first = spawn_app_with(Backend::Sqlite, |s| {
        s.jwt_secret = englog_api::config::Secret::default();
    })
    .await;
    let me = first.register("key@example.com").await;
    let (settings, database) = first.stop().await;
    assert!(settings.data_dir.join("jwt-secret").exists());
    let second = start(settings, database).await;
    assert_eq!(
        second.ok("{ me { email } }", json!({}), &me.access).await["me"]["email"],
        "key@example.com"
    );
}
