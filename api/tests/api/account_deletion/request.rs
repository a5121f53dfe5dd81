//! Requesting, signing in again and cancelling; OAuth-only accounts.

use super::*;

/// Request → credentials dead, mail sent → sign in → see it → cancel →
/// nothing is processed later.
async fn request_sign_in_again_and_cancel(backend: Backend) {
    let smtp = SmtpServer::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", smtp.port);
    let app = spawn_app_with(backend, move |s| {
        s.reports.smtp_url = Some(smtp_url);
        s.reports.scheduler = false;
        s.deletion_grace_days = 7;
    })
    .await;
    let me = app.register("leaving@example.com").await;
    let token = create_token(&app, &me.access).await;

    // The password confirms a password account's request.
    let missing = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "DELETE" } }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_code(&missing), "VALIDATION");
    assert_eq!(error_field(&missing), "input.password");
    let wrong = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "DELETE", "password": "not it at all" } }),
            Some(&me.access),
        )
        .await;
    assert_eq!(error_field(&wrong), "input.password");
    // An API token cannot delete the account it belongs to.
    let by_token = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "DELETE", "password": PASSWORD } }),
            Some(&token),
        )
        .await;
    assert_eq!(error_code(&by_token), "FORBIDDEN");
    let me_now = app.ok(PENDING, json!({}), &me.access).await;
    assert!(me_now["me"]["pendingDeletion"].is_null(), "{me_now}");

    let before = Utc::now();
    let data = app
        .ok(
            REQUEST,
            json!({ "input": { "mode": "DELETE", "password": PASSWORD } }),
            &me.access,
        )
        .await;
    let pending = &data["requestAccountDeletion"];
    assert_eq!(pending["mode"], "DELETE");
    let requested = instant(&pending["requestedAt"]);
    assert!(requested >= before - Days::seconds(1));
    assert_eq!(instant(&pending["scheduledFor"]) - requested, Days::days(7));

    // Every credential died at once.
    for credential in [&me.access, &token] {
        let body = app.graphql(PENDING, json!({}), Some(credential)).await;
        assert_eq!(error_code(&body), "UNAUTHENTICATED", "{body}");
    }
    let refresh = app
        .graphql(REFRESH, json!({ "token": me.refresh }), None)
        .await;
    assert_eq!(error_code(&refresh), "UNAUTHENTICATED");
    let mail = wait_for_mail(&smtp, &["scheduled for deletion", "leaving@example.com"]).await;
    assert!(mail.contains("cancel"), "{mail}");

    // Signing in again works and shows the request, which can be cancelled.
    let again = session_of(&app.login("leaving@example.com", PASSWORD).await, "login");
    let shown = app.ok(PENDING, json!({}), &again.access).await;
    assert_eq!(shown["me"]["pendingDeletion"]["mode"], "DELETE");
    let twice = app
        .graphql(
            REQUEST,
            json!({ "input": { "mode": "ANONYMISE", "password": PASSWORD } }),
            Some(&again.access),
        )
        .await;
    assert_eq!(error_code(&twice), "CONFLICT");
    assert_eq!(
        app.ok(CANCEL, json!({}), &again.access).await["cancelAccountDeletion"],
        true
    );
    let after = app.ok(PENDING, json!({}), &again.access).await;
    assert!(after["me"]["pendingDeletion"].is_null());
    let none_left = app.graphql(CANCEL, json!({}), Some(&again.access)).await;
    assert_eq!(error_code(&none_left), "NOT_FOUND");
    wait_for_mail(&smtp, &["will not be deleted"]).await;

    // Past the grace period the cancelled request does nothing.
    let state = scheduler_state(&app, Broker::Memory(MemoryBroker::new(Default::default()))).await;
    assert_eq!(
        run_due(&state, Utc::now() + Days::days(8)).await.unwrap(),
        0
    );
    let still = app.ok(PENDING, json!({}), &again.access).await;
    assert_eq!(still["me"]["email"], "leaving@example.com");

    // A new request after a cancelled one is accepted (same row reused).
    app.ok(
        REQUEST,
        json!({ "input": { "mode": "ANONYMISE", "password": PASSWORD } }),
        &again.access,
    )
    .await;
}

#[tokio::test]
async fn request_sign_in_again_and_cancel_postgres() {
    request_sign_in_again_and_cancel(Backend::Postgres).await;
}

#[tokio::test]
async fn request_sign_in_again_and_cancel_sqlite() {
    request_sign_in_again_and_cancel(Backend::Sqlite).await;
}

/// An account that signs in only through OAuth has no password to confirm
/// with; its session alone is enough.
#[tokio::test]
async fn an_oauth_only_account_requests_deletion_without_a_password() {
    let app = spawn_app_with(Backend::Sqlite, |s| s.reports.scheduler = false).await;
    let me = app.register("oauth-only@example.com").await;
    let state = scheduler_state(&app, Broker::Memory(MemoryBroker::new(Default::default()))).await;
    // What an OAuth sign-up stores: no password hash.
    entity::user::Entity::update_many()
        .col_expr(
            entity::user::Column::PasswordHash,
            sea_orm::sea_query::Expr::value(Option::<String>::None),
        )
        .filter(entity::user::Column::Email.eq("oauth-only@example.com"))
        .exec(&state.db)
        .await
        .unwrap();
    let data = app
        .ok(
            REQUEST,
            json!({ "input": { "mode": "DELETE" } }),
            &me.access,
        )
        .await;
    assert_eq!(data["requestAccountDeletion"]["mode"], "DELETE");
    assert_eq!(
        run_due(&state, Utc::now() + Days::days(31)).await.unwrap(),
        1
    );
    let gone = entity::user::Entity::find()
        .filter(entity::user::Column::Email.eq("oauth-only@example.com"))
        .one(&state.db)
        .await
        .unwrap();
    assert!(gone.is_none());
}
