//! Database connection and migration for both backends.

use anyhow::Context;
use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use std::time::Duration;

use crate::config::Settings;

/// Connects to the configured database, creating the embedded SQLite
/// directory on first use.
pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.effective_database_url();
    if settings.database_url.is_none() {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating data directory {}", settings.data_dir.display()))?;
    }
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    options
        // SQLite serialises writers; a small pool avoids lock convoys.
        .max_connections(if sqlite {
            4
        } else {
            settings.database_max_connections
        })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        // sqlx pings a pooled connection (one more round trip) before every
        // acquire by default: 7.6 % of the server's CPU on a 50-entry page
        // (issue 18). Only a connection idle for a second or more is pinged
        // now: after a database restart, a connection used within the last
        // second fails its next statement instead of being replaced first;
        // idle ones are still tested and replaced before use.
        .test_before_acquire_if_idle_for(Duration::from_secs(1))
        .sqlx_logging(false);
    let db = Database::connect(options)
        .await
        .context("connecting to the database")?;
    if sqlite {
        // sqlx already opens every SQLite connection with foreign keys on and a
        // 5 s busy timeout; WAL is a property of the file, set once here so
        // readers proceed during a write.
        db.execute_unprepared("PRAGMA journal_mode = WAL")
            .await
            .context("enabling WAL")?;
    }
    Ok(db)
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await.context("running migrations")
}

/// Begins a transaction that will write. Use it instead of `begin()`.
///
/// On SQLite a plain (deferred) transaction that reads before it writes
/// takes its read snapshot first; if another connection commits meanwhile,
/// its first write fails at once with "database is locked", busy timeout or
/// not. `BEGIN IMMEDIATE` takes the write lock up front, so writers queue on
/// the busy timeout instead. PostgreSQL ignores the option.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    // Run to completion in a task of its own: sqlx counts a transaction
    // only once `BEGIN` has answered, so a caller cancelled in between (a
    // client that hung up, an operation's time limit) used to return the
    // connection to the pool still inside the transaction; later
    // statements on it then ran in it, uncommitted and holding their row
    // locks until some later request's COMMIT on that connection
    // (`cancelled_transactions` test). Spawned, the begin finishes; a
    // cancelled caller drops the finished transaction, which queues its
    // rollback as usual.
    let db = db.clone();
    let begun = tokio::spawn(async move {
        #[allow(clippy::disallowed_methods)] // the one place allowed to begin
        db.begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        })
        .await
    });
    begun
        .await
        .map_err(|e| DbErr::Custom(format!("beginning a transaction: {e}")))?
}
