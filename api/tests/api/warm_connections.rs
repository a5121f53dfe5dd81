//! The warm connections of the hottest statements (`db_warm`, issue 18):
//! the one used last is used next; one whose statement failed or was
//! cancelled, one over the limit and one kept too long go back to the
//! pool, so a dead backend is never handed out once stale; rows read one
//! at a time keep theirs only when every row was read.

use englog_api::db_warm::{KEPT_MAX, STALE_AFTER, WarmConnections};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::helpers::{Backend, spawn_app_with};

fn sql(text: &str) -> Statement {
    Statement::from_string(DbBackend::Postgres, text)
}

async fn backend_pid(warm: &WarmConnections, db: &DatabaseConnection) -> i32 {
    let rows = warm
        .query_all(db, sql("SELECT pg_backend_pid()"))
        .await
        .expect("pid");
    rows[0].try_get_by_index(0).expect("pid column")
}

async fn postgres() -> (crate::helpers::TestApp, DatabaseConnection) {
    let app = spawn_app_with(Backend::Postgres, |_| {}).await;
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    (app, db)
}

#[tokio::test]
async fn the_connection_used_last_is_used_next() {
    let (_app, db) = postgres().await;
    let warm = WarmConnections::default();
    let first = backend_pid(&warm, &db).await;
    assert_eq!(warm.kept(), 1);
    for _ in 0..5 {
        assert_eq!(backend_pid(&warm, &db).await, first);
    }
    assert_eq!(warm.kept(), 1);
}

#[tokio::test]
async fn failed_and_cancelled_statements_give_their_connection_back() {
    let (_app, db) = postgres().await;
    let warm = WarmConnections::default();
    let error = warm
        .query_all(&db, sql("SELECT * FROM no_such_table"))
        .await
        .expect_err("no such table");
    assert!(error.to_string().contains("no_such_table"), "{error}");
    assert_eq!(warm.kept(), 0, "a failed statement's connection was kept");

    let cancelled = tokio::time::timeout(
        std::time::Duration::from_millis(100),
        warm.query_all(&db, sql("SELECT pg_sleep(5)")),
    )
    .await;
    assert!(cancelled.is_err(), "the sleep answered within 100 ms");
    assert_eq!(
        warm.kept(),
        0,
        "a cancelled statement's connection was kept"
    );

    // The next statements get clean connections and their own answers.
    for n in 1..=3 {
        let rows = warm
            .query_all(&db, sql(&format!("SELECT {n}::int4")))
            .await
            .expect("select");
        let answer: i32 = rows[0].try_get_by_index(0).expect("int");
        assert_eq!(answer, n);
    }
}

#[tokio::test]
async fn no_more_than_the_limit_are_kept() {
    let app = spawn_app_with(Backend::Postgres, |s| {
        s.database_max_connections = 2 * KEPT_MAX as u32;
    })
    .await;
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    let warm = WarmConnections::default();
    let statements = (0..KEPT_MAX + 3)
        .map(|_| warm.query_all(&db, sql("SELECT pg_sleep(0.2)")))
        .collect::<Vec<_>>();
    for answer in futures_util::future::join_all(statements).await {
        answer.expect("sleep");
    }
    assert_eq!(warm.kept(), KEPT_MAX);
}

#[tokio::test]
async fn a_connection_whose_backend_died_is_not_used_once_stale() {
    let (app, db) = postgres().await;
    let warm = WarmConnections::default();
    let kept_pid = backend_pid(&warm, &db).await;
    let other = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    let terminated = other
        .query_all_raw(Statement::from_sql_and_values(
            DbBackend::Postgres,
            "SELECT pg_terminate_backend($1)",
            [kept_pid.into()],
        ))
        .await
        .expect("terminate");
    let terminated: bool = terminated[0].try_get_by_index(0).expect("bool");
    assert!(terminated);
    tokio::time::sleep(STALE_AFTER + std::time::Duration::from_millis(200)).await;
    let pid = backend_pid(&warm, &db).await;
    assert_ne!(pid, kept_pid);
}

#[tokio::test]
async fn a_small_pool_keeps_connections_for_its_other_statements() {
    let app = spawn_app_with(Backend::Postgres, |s| s.database_max_connections = 2).await;
    let db = englog_api::db::connect(&app.settings)
        .await
        .expect("connect");
    let warm = WarmConnections::default();
    let statements = (0..3)
        .map(|_| warm.query_all(&db, sql("SELECT pg_sleep(0.1)")))
        .collect::<Vec<_>>();
    for answer in futures_util::future::join_all(statements).await {
        answer.expect("sleep");
    }
    assert_eq!(warm.kept(), 1, "half of a pool of two");
    // The pool still answers a statement of its own at once.
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(2),
        db.query_all_raw(sql("SELECT 1")),
    )
    .await;
    assert!(matches!(answer, Ok(Ok(_))), "{answer:?}");
}

#[tokio::test]
async fn rows_read_one_at_a_time_keep_their_connection_unless_the_reader_stops() {
    let (_app, db) = postgres().await;
    let warm = WarmConnections::default();
    let first = backend_pid(&warm, &db).await;

    // Every row, in order, then the connection is kept for the next.
    let mut seen = Vec::new();
    warm.for_each_row(
        &db,
        sql("SELECT n FROM generate_series(1, 1000) AS n"),
        |row| -> Result<(), sea_orm::DbErr> {
            seen.push(row.try_get_by_index::<i32>(0)?);
            Ok(())
        },
    )
    .await
    .expect("rows");
    assert_eq!(seen, (1..=1000).collect::<Vec<i32>>());
    assert_eq!(warm.kept(), 1);
    assert_eq!(backend_pid(&warm, &db).await, first);

    // A reader that gives up at row 10 ends the statement there: its error
    // is the answer and the half-read connection is not kept.
    let mut read = 0;
    let error = warm
        .for_each_row(
            &db,
            sql("SELECT n FROM generate_series(1, 100000) AS n"),
            |_row| {
                read += 1;
                if read == 10 {
                    return Err(sea_orm::DbErr::Custom("enough".into()));
                }
                Ok(())
            },
        )
        .await
        .expect_err("the reader stopped");
    assert_eq!(error, sea_orm::DbErr::Custom("enough".into()));
    assert_eq!(read, 10);
    assert_eq!(warm.kept(), 0, "a half-read connection was kept");

    // The next statement gets a clean connection and its own answer.
    let rows = warm
        .query_all(&db, sql("SELECT 7::int4"))
        .await
        .expect("select");
    assert_eq!(rows[0].try_get_by_index::<i32>(0).expect("int"), 7);
}
