//! Third-party integrations out of the box: the GraphQL-over-HTTP audit,
//! standard introspection through graphql-core and get-graphql-schema,
//! Apollo Client with automatic persisted queries and graphql-ws, Python
//! `gql`; and the hostile-document limits still holding beside them.

mod clients;

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, error_code, spawn_app_with};

fn ws_url(app: &TestApp) -> String {
    format!("{}/graphql/ws", app.address.replacen("http://", "ws://", 1))
}

/// A read-write API token of a fresh user, as an integration holds one.
async fn api_token(app: &TestApp, email: &str) -> String {
    let me = app.register(email).await;
    let created = app
        .ok(
            "mutation { createApiToken(input: { name: \"integration\", scope: READ_WRITE }) { token } }",
            json!({}),
            &me.access,
        )
        .await;
    created["createApiToken"]["token"]
        .as_str()
        .expect("token")
        .to_owned()
}

/// Runs a client script (blocking: a child process) off the runtime's
/// threads, so the server it talks to keeps running, and reads its JSON.
async fn client_run(script: impl FnOnce() -> String + Send + 'static) -> Value {
    let output = tokio::task::spawn_blocking(script)
        .await
        .expect("client script");
    clients::json(&output)
}

#[tokio::test]
async fn the_graphql_over_http_audit_finds_no_error_warning_or_notice() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let url = app.url("/graphql");
    let report = tokio::task::spawn_blocking(move || clients::node("audit.mjs", &[&url]))
        .await
        .expect("audit");
    let report = clients::json(&report);
    assert!(
        report["counts"]["ok"].as_u64().unwrap_or(0) > 50,
        "the audit ran: {report}"
    );
    for status in ["error", "warn", "notice"] {
        assert_eq!(report["counts"][status], 0, "{status}s: {report:#}");
    }
}

#[tokio::test]
async fn graphql_core_builds_the_committed_schema_from_standard_introspection() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let url = app.url("/graphql");
    let schema = clients::schema_file().display().to_string();
    for options in [None, Some("--all-options")] {
        let (url, schema) = (url.clone(), schema.clone());
        let verdict = tokio::task::spawn_blocking(move || {
            let mut args = vec![url.as_str(), schema.as_str()];
            args.extend(options);
            clients::python("introspect.py", &args)
        })
        .await
        .expect("introspection");
        assert_eq!(verdict.trim(), "equal", "options {options:?}");
    }
}

#[tokio::test]
async fn get_graphql_schema_reads_the_schema_from_the_live_server() {
    let app = spawn_app_with(Backend::Sqlite, |_| {}).await;
    let url = app.url("/graphql");
    let sdl = tokio::task::spawn_blocking(move || {
        clients::node("node_modules/get-graphql-schema/dist/index.js", &[&url])
    })
    .await
    .expect("get-graphql-schema");
    let dir = tempfile::tempdir().expect("temporary directory");
    let fetched = dir.path().join("fetched.graphql");
    std::fs::write(&fetched, sdl).expect("write the fetched schema");
    let fetched = fetched.display().to_string();
    let committed = clients::schema_file().display().to_string();
    let verdict = tokio::task::spawn_blocking(move || {
        clients::node(
            "schema_equal.mjs",
            &["--without-specified-by", &fetched, &committed],
        )
    })
    .await
    .expect("compare");
    assert_eq!(verdict.trim(), "equal");
}

/// Apollo Client with an API token: the first query misses
/// (`PersistedQueryNotFound` on a GET by hash), the client sends the
/// document once, and from then on GETs by hash hit; a subscription runs
/// over graphql-ws.
async fn apollo_client_uses_persisted_queries_and_subscribes(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let token = api_token(&app, "apollo@example.com").await;
    let (url, ws) = (app.url("/graphql"), ws_url(&app));
    let run = client_run(move || clients::node("apollo.mjs", &[&url, &ws, &token])).await;
    let requests = run["requests"].as_array().expect("requests");
    let me_requests: Vec<&Value> = requests.iter().take(4).collect();
    let shape: Vec<(String, bool, u64)> = me_requests
        .iter()
        .map(|r| {
            (
                r["method"].as_str().unwrap_or_default().to_owned(),
                r["query"].as_bool().unwrap_or_default(),
                r["status"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        vec![
            ("GET".to_owned(), false, 200), // the hash alone: a miss
            ("POST".to_owned(), true, 200), // the document with its hash
            ("GET".to_owned(), false, 200), // a hit by hash
            ("GET".to_owned(), false, 200), // another hit
        ],
        "{run:#}"
    );
    assert_eq!(
        me_requests[0]["body"]["errors"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    let hash = &me_requests[0]["hash"];
    assert!(me_requests.iter().all(|r| &r["hash"] == hash), "one hash");
    for result in run["results"].as_array().expect("results") {
        assert_eq!(result["me"]["email"], "apollo@example.com");
    }
    assert_eq!(
        run["subscription"]["insightUpdates"]["insightId"], run["requested"]["id"],
        "{run:#}"
    );
}

async fn python_gql_queries_and_subscribes(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let token = api_token(&app, "gql@example.com").await;
    let (url, ws) = (app.url("/graphql"), ws_url(&app));
    let run = client_run(move || clients::python("gql_client.py", &[&url, &ws, &token])).await;
    assert_eq!(run["query"]["me"]["email"], "gql@example.com", "{run}");
    assert_eq!(
        run["subscription"]["insightUpdates"]["insightId"], run["requested"]["id"],
        "{run}"
    );
}

/// Introspection passes, yet the limits still protect every other query.
async fn the_limits_still_hold_beside_introspection(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let me = app.register("limits@example.com").await;
    // 13 levels: one deeper than the limit.
    let deep = format!(
        "{{ me {{ {} id {} }} }}",
        "... on User { ".repeat(11),
        "} ".repeat(11)
    );
    // Aliases beyond the selection budget (3 selections each).
    let aliases: String = (0..1_700)
        .map(|i| format!("a{i}: me {{ id email }} "))
        .collect();
    // A deep ofType chain beyond what the standard introspection query asks.
    let of_type = format!(
        "{{ __type(name: \"Query\") {{ {} name {} }} }}",
        "ofType { ".repeat(20),
        "} ".repeat(20)
    );
    for (what, query) in [
        ("depth", deep),
        ("selections", format!("{{ {aliases}}}")),
        ("introspectionDepth", of_type),
    ] {
        let response = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&me.access)
            .json(&json!({ "query": query }))
            .send()
            .await
            .expect("answered");
        assert_eq!(response.status(), 400, "{what}");
        let body: Value = response.json().await.expect("JSON");
        assert_eq!(error_code(&body), "VALIDATION", "{what}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["limit"], what, "{body}");
        assert!(body.get("data").is_none(), "{what}: never executed");
    }
}

/// Operators can turn introspection (and field suggestions) off.
async fn introspection_can_be_turned_off(backend: Backend) {
    let app = spawn_app_with(backend, |settings| settings.graphql.introspection = false).await;
    let body = app
        .graphql("{ __schema { queryType { name } } }", json!({}), None)
        .await;
    assert!(
        body["data"]["__schema"].is_null() || body.get("errors").is_some(),
        "introspection answered although off: {body}"
    );
    assert_ne!(body["data"]["__schema"]["queryType"]["name"], "Query");
}

crate::on_both_backends_with_settings!(
    apollo_client_uses_persisted_queries_and_subscribes,
    python_gql_queries_and_subscribes,
    the_limits_still_hold_beside_introspection,
    introspection_can_be_turned_off,
);

/// With Redis configured, persisted queries are shared: a document one API
/// instance learned is found by hash on another, over GET.
#[tokio::test]
async fn persisted_queries_are_shared_through_redis() {
    use sha2::{Digest, Sha256};
    let first = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(englog_api::config::Secret::new(crate::helpers::redis_url()));
    })
    .await;
    let prefix = first.settings.reports.redis_prefix.clone();
    let second = spawn_app_with(Backend::Postgres, |s| {
        s.redis_url = Some(englog_api::config::Secret::new(crate::helpers::redis_url()));
        s.reports.redis_prefix = prefix.clone();
    })
    .await;
    let query = "query Typename { __typename }";
    let hash = format!("{:x}", Sha256::digest(query.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } }).to_string();
    let by_hash = |app: &TestApp| {
        app.client
            .get(app.url("/graphql"))
            .query(&[("extensions", extensions.as_str())])
            .send()
    };
    let miss: Value = by_hash(&second)
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        miss["errors"][0]["extensions"]["code"], "PERSISTED_QUERY_NOT_FOUND",
        "{miss}"
    );
    let stored: Value = first
        .client
        .post(first.url("/graphql"))
        .json(&json!({ "query": query, "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON");
    assert_eq!(stored["data"]["__typename"], "Query", "{stored}");
    let hit: Value = by_hash(&second)
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(hit["data"]["__typename"], "Query", "{hit}");
    // A hash that does not match its document is refused and not stored.
    let forged: Value = first
        .client
        .post(first.url("/graphql"))
        .json(&json!({ "query": "{ me { id } }", "extensions": { "persistedQuery": { "version": 1, "sha256Hash": hash } } }))
        .send()
        .await
        .expect("POST")
        .json()
        .await
        .expect("JSON");
    assert_eq!(error_code(&forged), "VALIDATION", "{forged}");
    let still: Value = by_hash(&second)
        .await
        .expect("GET")
        .json()
        .await
        .expect("JSON");
    assert_eq!(still["data"]["__typename"], "Query", "{still}");
}
