//! No single request takes EngLog down: hostile documents against the real
//! `englog` binary (each refused before execution, the process the same
//! before and after, `/live` answering throughout), the execution time
//! limit, the execution slots, the response cap and the media types.

mod documents;
mod live;
pub mod server;

use serde_json::{Value, json};
use std::time::{Duration, Instant};

use crate::helpers::{Backend, PASSWORD, REGISTER, spawn_app_with};
use crate::ws;
use documents::Hostile;
use live::LiveWatch;
use server::ServerProcess;

/// What every refusal looks like: 400, a VALIDATION error naming the limit,
/// no `data` (the operation never started).
fn assert_refused(status: u16, body: &Value, what: &str) {
    assert_eq!(status, 400, "{what}: {body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "VALIDATION", "{what}: {body}");
    assert!(
        error["extensions"]["limit"].is_string(),
        "{what}: the error names its limit: {body}"
    );
    assert!(body.get("data").is_none(), "{what}: never executed: {body}");
}

async fn post(
    client: &reqwest::Client,
    server: &ServerProcess,
    query: &str,
    token: Option<&str>,
) -> (u16, Value) {
    let mut request = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request
        .send()
        .await
        .expect("POST answered (connection kept)");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// URLs longer than this cannot even be expressed by the HTTP client (or
/// accepted by the server's HTTP layer): those go over a raw socket.
const LONGEST_URL: usize = 60_000;

async fn get(client: &reqwest::Client, server: &ServerProcess, query: &str) -> (u16, Value) {
    let url =
        reqwest::Url::parse_with_params(&server.url("/graphql"), [("query", query)]).expect("URL");
    if url.as_str().len() > LONGEST_URL {
        return get_raw(server, url.as_str()).await;
    }
    let response = client
        .get(url)
        .send()
        .await
        .map_err(reqwest::Error::without_url)
        .expect("GET answered (connection kept)");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// A GET with a URL over what HTTP clients allow: the server must still
/// answer (a 4xx), not drop the connection.
async fn get_raw(server: &ServerProcess, url: &str) -> (u16, Value) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let path = &url[url.find("/graphql").expect("path")..];
    let mut stream = tokio::net::TcpStream::connect(("127.0.0.1", server.port()))
        .await
        .expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    // The server may answer before it has read the whole request line.
    let _ = stream.write_all(request.as_bytes()).await;
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await;
    let answer = String::from_utf8_lossy(&answer);
    let status = answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            panic!(
                "no HTTP answer to a long GET: {:?}",
                &answer[..answer.len().min(200)]
            )
        });
    let body = answer
        .split_once("\r\n\r\n")
        .and_then(|(_, body)| serde_json::from_str(body).ok())
        .unwrap_or(Value::Null);
    (status, body)
}

async fn register(client: &reqwest::Client, server: &ServerProcess, email: &str) -> String {
    let response = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": REGISTER, "variables": { "input": {
            "email": email, "password": PASSWORD,
            "firstName": "Eve", "lastName": "Hostile", "timezone": "Europe/Paris"
        }}}))
        .send()
        .await
        .expect("register");
    let body: Value = response.json().await.expect("JSON");
    body["data"]["register"]["accessToken"]
        .as_str()
        .unwrap_or_else(|| panic!("registered: {body}"))
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_documents_are_refused_before_execution_and_the_process_survives() {
    let mut server = ServerProcess::start(&[]).await;
    let pid = server.pid();
    let client = reqwest::Client::new();
    let token = register(&client, &server, "eve@example.com").await;
    let mut socket = ws::connect(server.port(), json!({ "token": token }))
        .await
        .expect("subscription socket");

    let watch = LiveWatch::start(server.url("/live"));
    let hostile = documents::all();
    let mut slowest_post = Duration::ZERO;
    for (
        index,
        Hostile {
            family,
            name,
            query,
        },
    ) in hostile.iter().enumerate()
    {
        let what = format!("{family} {name}");
        // Anonymous over HTTP: no account is needed to try this.
        let started = Instant::now();
        let (status, body) = post(&client, &server, query, None).await;
        slowest_post = slowest_post.max(started.elapsed());
        assert_refused(status, &body, &format!("POST {what}"));
        let (status, body) = get(&client, &server, query).await;
        if body.is_null() {
            // Refused by the HTTP layer itself (URI too long), before
            // GraphQL: an answer all the same.
            assert!((400..500).contains(&status), "GET {what}: {status}");
        } else {
            assert_refused(status, &body, &format!("GET {what}"));
        }
        socket.subscribe(&index.to_string(), query, json!({})).await;
        let answer = socket
            .answer_to(&index.to_string(), Duration::from_secs(10))
            .await
            .unwrap_or_else(|| panic!("WebSocket {what}: no answer"));
        assert_eq!(
            answer["errors"][0]["extensions"]["code"], "VALIDATION",
            "WebSocket {what}: {answer}"
        );
        assert!(server.is_running(), "englog exited after {what}");
    }

    // Huge and deep variables: counted (or refused by the JSON decoder's
    // own depth limit) before anything converts them.
    let many: Vec<u8> = vec![1; 30_000];
    let deep = serde_json::from_str::<Value>(&format!("{}1{}", "[".repeat(200), "]".repeat(200)));
    let query = "query($x: [Int]) { __typename }";
    let response = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": query, "variables": { "x": many } }))
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 413, "huge variables");
    let deep_body = format!(
        "{{\"query\":\"{query}\",\"variables\":{{\"x\":{}1{}}}}}",
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(deep.is_err(), "serde_json refuses 200 levels itself");
    let response = client
        .post(server.url("/graphql"))
        .header("content-type", "application/json")
        .body(deep_body)
        .send()
        .await
        .expect("answered");
    assert_eq!(response.status(), 400, "deep variables");
    socket
        .subscribe("many", query, json!({ "x": vec![1; 30_000] }))
        .await;
    let answer = socket
        .answer_to("many", Duration::from_secs(10))
        .await
        .expect("an answer to huge variables over the WebSocket");
    assert_eq!(
        answer["errors"][0]["extensions"]["code"], "VALIDATION",
        "{answer}"
    );
    assert!(server.is_running(), "englog exited after huge variables");

    // A refused mutation changed nothing: the deep literal sits beside a
    // perfectly valid createTag.
    let deep = format!("{}1{}", "[".repeat(2_000), "]".repeat(2_000));
    let mutation = format!(
        "mutation {{ createTag(input: {{ name: \"hostile-tag\" }}) {{ id }} x: __typename(x: {deep}) }}"
    );
    let (status, body) = post(&client, &server, &mutation, Some(&token)).await;
    assert_refused(status, &body, "mutation with a deep literal");
    let (_, tags) = post(&client, &server, "{ tags { name } }", Some(&token)).await;
    let names: Vec<&str> = tags["data"]["tags"]
        .as_array()
        .expect("tags")
        .iter()
        .filter_map(|t| t["name"].as_str())
        .collect();
    assert!(!names.is_empty(), "the predefined tags are listed: {tags}");
    assert!(
        !names.contains(&"hostile-tag"),
        "no tag was created: {names:?}"
    );

    let live = watch.finish().await;
    assert!(server.is_running(), "englog is still running");
    assert_eq!(server.pid(), pid, "the same process answered throughout");
    assert_eq!(live.failed, 0, "/live answered every time: {live:?}");
    assert!(live.answered > 0, "/live was asked: {live:?}");
    eprintln!(
        "{} hostile documents × 3 transports refused (slowest POST {:?}); \
         /live answered {} times, slowest {:?}",
        hostile.len(),
        slowest_post,
        live.answered,
        live.slowest
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fragment_fan_out_is_refused_without_the_memory_its_expansion_needs() {
    let mut server = ServerProcess::start(&[]).await;
    let client = reqwest::Client::new();
    // Warm the process up (allocator pools, the first parse) before the
    // peak is read.
    let _ = post(
        &client,
        &server,
        &documents::fragment_fan_out(2, 3).query,
        None,
    )
    .await;
    let peak_before = server.peak_memory();
    let mut slowest = Duration::ZERO;
    for width in 2..=10 {
        for depth in 1..=30 {
            let Hostile { query, .. } = documents::fragment_fan_out(width, depth);
            let started = Instant::now();
            let (status, body) = post(&client, &server, &query, None).await;
            slowest = slowest.max(started.elapsed());
            // Small fan-outs are ordinary documents (valid, in fact); the
            // rest must be refused.
            let expanded = (width as f64).powi(depth as i32);
            if expanded > 5_000.0 || depth + 2 > 12 {
                assert_refused(status, &body, &format!("fan-out {width}×{depth}"));
            }
        }
    }
    let growth = server.peak_memory().saturating_sub(peak_before);
    assert!(
        growth < 20 * 1024 * 1024,
        "peak memory grew by {growth} bytes while refusing fragment fan-outs"
    );
    assert!(server.is_running());
    eprintln!("270 fan-out documents: peak memory +{growth} bytes, slowest answer {slowest:?}");
}

async fn a_heavy_query_is_cut_at_the_execution_time_limit(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.graphql.execution_timeout_ms = 1;
    })
    .await;
    // Mutations have their own, longer limit: these still work.
    let me = app.register("slow@example.com").await;
    let entries: Vec<Value> = (0..100)
        .map(|i| {
            json!({
                "title": format!("entry {i}"), "activityType": "CODE",
                "startTime": format!("2026-11-{:02}T09:00:00Z", 1 + i % 28),
            "endTime": format!("2026-11-{:02}T09:30:00Z", 1 + i % 28)
            })
        })
        .collect();
    app.ok(
        "mutation($inputs: [CreateLogEntryInput!]!) { bulkCreateLogEntries(inputs: $inputs) { id } }",
        json!({ "inputs": entries }),
        &me.access,
    )
    .await;

    // Ten year-long analytics and a page of entries: dozens of statements,
    // far more than a millisecond of work.
    let analytics: String = (0..10)
        .map(|i| {
            format!(
                "a{i}: analytics(period: {{ from: \"2026-01-01\", to: \"2026-12-31\" }}) \
                 {{ from byDay {{ __typename }} byTag {{ __typename }} }} "
            )
        })
        .collect();
    let heavy = format!(
        "{{ logEntries(first: 100) {{ edges {{ node {{ id title tags project {{ name }} }} }} }} {analytics}}}"
    );
    let watch = LiveWatch::start(app.url("/live"));
    let cut = futures_util::future::join_all(
        (0..8).map(|_| app.graphql(&heavy, json!({}), Some(&me.access))),
    )
    .await;
    let live = watch.finish().await;
    for body in &cut {
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], "TIMEOUT", "{body}");
        assert!(
            error["message"]
                .as_str()
                .unwrap_or_default()
                .contains("longer than 1 ms"),
            "{body}"
        );
    }
    assert_eq!(live.failed, 0, "/live answered meanwhile: {live:?}");
}

/// Cross-site forms can send these without a preflight; they must not
/// reach the schema.
async fn unsupported_media_types_get_415_and_are_not_executed(backend: Backend) {
    let app = spawn_app_with(backend, |_| {}).await;
    let body = json!({ "query": REGISTER, "variables": { "input": {
        "email": "csrf@example.com", "password": PASSWORD,
        "firstName": "C", "lastName": "S", "timezone": "Europe/Paris"
    }}})
    .to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=xyz"),
        None,
    ] {
        let mut request = app.client.post(app.url("/graphql")).body(body.clone());
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        let response = request.send().await.expect("answered");
        assert_eq!(response.status(), 415, "{content_type:?}");
    }
    let login = app.login("csrf@example.com", PASSWORD).await;
    assert_eq!(
        login["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "nothing was registered: {login}"
    );
}

async fn a_response_over_the_size_cap_is_replaced_by_an_error(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        // Room for a sign-in's tokens, not for ten copies of a profile.
        settings.graphql.max_response_bytes = 1_500;
    })
    .await;
    let me = app.register("big@example.com").await;
    let small = app
        .graphql("{ me { id } }", json!({}), Some(&me.access))
        .await;
    assert!(small["data"]["me"]["id"].is_string(), "{small}");
    let profiles: String = (0..10)
        .map(|i| format!("p{i}: me {{ id email firstName lastName timezone createdAt }} "))
        .collect();
    let large = app
        .graphql(&format!("{{ {profiles}}}"), json!({}), Some(&me.access))
        .await;
    assert_eq!(
        large["errors"][0]["extensions"]["code"], "RESPONSE_TOO_LARGE",
        "{large}"
    );
    assert!(large.get("data").is_none(), "{large}");
}

/// One caller cannot hold more than its share of execution slots: with a
/// share of one and no waiting, overlapping requests are refused with 429.
async fn a_caller_over_its_share_of_slots_is_told_to_retry(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.graphql.max_concurrent_per_caller = 1;
        settings.graphql.queue_wait_ms = 0;
    })
    .await;
    let me = app.register("greedy@example.com").await;
    let query = "{ logEntries(first: 50) { edges { node { id title } } } me { id } }";
    // Requests of one burst overlap; a burst that happens to run strictly
    // one after another is simply tried again.
    for _ in 0..10 {
        let burst = futures_util::future::join_all((0..30).map(|_| {
            app.client
                .post(app.url("/graphql"))
                .bearer_auth(&me.access)
                .json(&json!({ "query": query }))
                .send()
        }))
        .await;
        let refused: Vec<_> = burst
            .into_iter()
            .map(|r| r.expect("answered"))
            .filter(|r| r.status() == 429)
            .collect();
        if let Some(response) = refused.into_iter().next() {
            assert_eq!(response.headers()["retry-after"], "1");
            let body: Value = response.json().await.expect("JSON");
            assert_eq!(
                body["errors"][0]["extensions"]["code"], "RATE_LIMITED",
                "{body}"
            );
            // Another caller is not affected.
            let other = app.register("patient@example.com").await;
            app.ok("{ me { id } }", json!({}), &other.access).await;
            return;
        }
    }
    panic!("30 simultaneous requests of one caller never overlapped in 10 bursts");
}

/// One WebSocket connection cannot run more than its share of operations
/// at once; a finished one frees its place.
async fn a_socket_runs_a_bounded_number_of_operations(backend: Backend) {
    let app = spawn_app_with(backend, |settings| {
        settings.graphql.max_operations_per_socket = 3;
    })
    .await;
    let me = app.register("socket@example.com").await;
    let mut socket = ws::connect(app.port(), json!({ "token": me.access }))
        .await
        .expect("socket");
    let updates = "subscription { myInsightUpdates { insightId status } }";
    for id in ["1", "2", "3"] {
        socket.subscribe(id, updates, json!({})).await;
    }
    socket.subscribe("4", updates, json!({})).await;
    let refused = socket
        .answer_to("4", Duration::from_secs(10))
        .await
        .expect("an answer to the operation over the cap");
    assert_eq!(
        refused["errors"][0]["extensions"]["code"], "RATE_LIMITED",
        "{refused}"
    );
    socket.complete("1").await;
    let mut answered = None;
    // The server frees the place once it has ended operation 1.
    for attempt in 0..20 {
        let id = format!("me{attempt}");
        socket.subscribe(&id, "{ me { email } }", json!({})).await;
        let answer = socket
            .answer_to(&id, Duration::from_secs(10))
            .await
            .expect("an answer");
        if answer["data"]["me"]["email"] == "socket@example.com" {
            answered = Some(answer);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(answered.is_some(), "a freed place is used again");
}

crate::on_both_backends_with_settings!(
    a_heavy_query_is_cut_at_the_execution_time_limit,
    unsupported_media_types_get_415_and_are_not_executed,
    a_response_over_the_size_cap_is_replaced_by_an_error,
    a_caller_over_its_share_of_slots_is_told_to_retry,
    a_socket_runs_a_bounded_number_of_operations,
);
