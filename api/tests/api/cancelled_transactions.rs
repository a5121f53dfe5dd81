//! A request cancelled while its transaction begins (the client hung up,
//! the operation's time limit fired) must not hand the pool a connection
//! that is still inside that transaction: the next statements on it would
//! run in a transaction nobody commits, holding their row locks and
//! keeping their writes invisible (issue 18's unanswered requests).

use futures_util::FutureExt;
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};
use std::time::Duration;

use crate::helpers::{Backend, spawn_app_on};

/// The transaction start time PostgreSQL reports: inside an open
/// transaction it stays the same from one statement to the next.
async fn transaction_start(db: &DatabaseConnection) -> String {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT now()::text AS t",
        ))
        .await
        .expect("select now()")
        .expect("a row");
    row.try_get::<String>("", "t").expect("t")
}

#[tokio::test]
async fn a_transaction_cancelled_while_it_begins_leaves_no_open_transaction_behind() {
    let app = spawn_app_on(Backend::Postgres).await;
    // One connection, so every attempt and the check below share it.
    let mut settings = app.settings.clone();
    settings.database_max_connections = 1;
    let db = englog_api::db::connect(&settings).await.expect("connect");

    for _ in 0..50 {
        // Polled once and dropped: cancelled wherever the first poll left
        // it, typically with `BEGIN` sent and its answer not yet read.
        drop(englog_api::db::begin_write(&db).now_or_never());
        tokio::time::sleep(Duration::from_millis(2)).await;
    }

    let first = transaction_start(&db).await;
    tokio::time::sleep(Duration::from_millis(20)).await;
    let second = transaction_start(&db).await;
    assert_ne!(
        first, second,
        "the pooled connection is still inside a transaction begun by a cancelled request"
    );
}
