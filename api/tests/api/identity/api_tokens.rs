//! Done-when 4: API tokens read and (read-write) write through GraphQL; a
//! read-only one gets FORBIDDEN on every mutation; revoked or expired ones
//! get UNAUTHENTICATED; none can mint tokens or change the password.

use entity::api_token;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use super::{ME, database};
use crate::helpers::{PASSWORD, TestApp, error_code};
use crate::on_both_backends;

const CREATE: &str = "mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { token apiToken { id name prefix scope expiresAt lastUsedAt } } }";
const LIST: &str = "{ apiTokens { id name prefix scope lastUsedAt } }";
const PROJECTS: &str = "{ projects { id name } }";

async fn create(app: &TestApp, access: &str, name: &str, scope: &str) -> (String, String) {
    let data = app
        .ok(
            CREATE,
            json!({ "input": { "name": name, "scope": scope } }),
            access,
        )
        .await;
    let created = &data["createApiToken"];
    (
        created["token"].as_str().expect("token").to_owned(),
        created["apiToken"]["id"].as_str().expect("id").to_owned(),
    )
}

fn project_names(data: &Value) -> Vec<String> {
    data["projects"]
        .as_array()
        .expect("projects")
        .iter()
        .map(|p| p["name"].as_str().expect("name").to_owned())
        .collect()
}

async fn an_integration_reads_and_writes_with_its_token_within_its_scope(app: TestApp) {
    let session = app.register("integrations@example.com").await;
    let (writer, writer_id) = create(&app, &session.access, "CI exporter", "READ_WRITE").await;
    let (reader, _) = create(&app, &session.access, "Dashboard", "READ").await;
    assert!(writer.starts_with("elg_") && writer.len() > 40, "{writer}");

    // Stored as SHA-256 only, with a short visible prefix.
    let db = database(&app).await;
    let row = api_token::Entity::find()
        .filter(api_token::Column::Name.eq("CI exporter"))
        .one(&db)
        .await
        .expect("query")
        .expect("row");
    let digest: String = Sha256::digest(writer.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(row.token_hash, digest);
    assert!(writer.starts_with(&row.prefix) && row.prefix.len() < 16);

    // Reading works with either token, as the token's owner.
    let me = app.ok(ME, json!({}), &reader).await;
    assert_eq!(me["me"]["email"], "integrations@example.com");

    // The read-write token writes; the read-only one is refused and changes nothing.
    app.create_project(&writer, "Written by CI").await;
    let refused = app
        .graphql(
            "mutation { createProject(input: { name: \"Sneaky\" }) { id } }",
            json!({}),
            Some(&reader),
        )
        .await;
    assert_eq!(error_code(&refused), "FORBIDDEN", "{refused}");
    // Hiding a mutation beside a query does not help.
    let mixed = app
        .graphql(
            "query Q { me { id } } mutation M { createProject(input: { name: \"Sneaky\" }) { id } }",
            json!({}),
            Some(&reader),
        )
        .await;
    assert_eq!(error_code(&mixed), "FORBIDDEN", "{mixed}");
    assert_eq!(
        project_names(&app.ok(PROJECTS, json!({}), &reader).await),
        vec!["Written by CI"]
    );

    // Tokens cannot mint tokens, manage sessions or change the password.
    for (what, op, vars) in [
        (
            "create a token",
            CREATE,
            json!({ "input": { "name": "more", "scope": "READ_WRITE" } }),
        ),
        ("list tokens", LIST, json!({})),
        (
            "change the password",
            "mutation($c: String!) { changePassword(currentPassword: $c, newPassword: \"whatever-new-1\") { accessToken } }",
            json!({ "c": PASSWORD }),
        ),
        (
            "sign out everywhere",
            "mutation { logoutEverywhere }",
            json!({}),
        ),
    ] {
        let body = app.graphql(op, vars, Some(&writer)).await;
        assert_eq!(error_code(&body), "FORBIDDEN", "{what}: {body}");
    }

    // The owner sees both tokens, with last use recorded, never the secret.
    let listed = app.ok(LIST, json!({}), &session.access).await;
    let tokens = listed["apiTokens"].as_array().expect("list");
    assert_eq!(tokens.len(), 2);
    let used = tokens
        .iter()
        .find(|t| t["id"] == writer_id.as_str())
        .expect("writer");
    assert!(used["lastUsedAt"].is_string(), "{used}");
    assert!(!listed.to_string().contains(&writer));

    // Revoked: UNAUTHENTICATED from then on.
    app.ok(
        "mutation($id: UUID!) { revokeApiToken(id: $id) }",
        json!({ "id": writer_id }),
        &session.access,
    )
    .await;
    let after = app.graphql(ME, json!({}), Some(&writer)).await;
    assert_eq!(error_code(&after), "UNAUTHENTICATED");

    // Expired: UNAUTHENTICATED too.
    api_token::Entity::update_many()
        .col_expr(
            api_token::Column::ExpiresAt,
            Expr::value(chrono::Utc::now() - chrono::Duration::seconds(1)),
        )
        .filter(api_token::Column::Name.eq("Dashboard"))
        .exec(&db)
        .await
        .expect("expire the token");
    let expired = app.graphql(ME, json!({}), Some(&reader)).await;
    assert_eq!(error_code(&expired), "UNAUTHENTICATED");
}

async fn token_input_is_validated(app: TestApp) {
    let session = app.register("validate-tokens@example.com").await;
    let empty = app
        .graphql(
            CREATE,
            json!({ "input": { "name": "  ", "scope": "READ" } }),
            Some(&session.access),
        )
        .await;
    assert_eq!(error_code(&empty), "VALIDATION");
    let past = app
        .graphql(
            CREATE,
            json!({ "input": { "name": "old", "scope": "READ", "expiresAt": "2001-01-01T00:00:00Z" } }),
            Some(&session.access),
        )
        .await;
    assert_eq!(error_code(&past), "VALIDATION");
    assert_eq!(past["errors"][0]["extensions"]["field"], "expiresAt");
    let anonymous = app
        .graphql(
            CREATE,
            json!({ "input": { "name": "x", "scope": "READ" } }),
            None,
        )
        .await;
    assert_eq!(error_code(&anonymous), "UNAUTHENTICATED");
}

on_both_backends!(
    an_integration_reads_and_writes_with_its_token_within_its_scope,
    token_input_is_validated,
);
