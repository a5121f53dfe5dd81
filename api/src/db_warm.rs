//! A few PostgreSQL connections kept warm for the hottest statements (a
//! page of entries, an entry's create), taken last-in first-out and given
//! back without a round trip (issue 18, eighth pass).
//!
//! sqlx's pool answers every connection given back with a `Sync` round trip
//! to PostgreSQL (its "test on release"), in a task spawned for it, and
//! hands idle connections out oldest first, so a light load cycles through
//! every backend the pool ever opened. Per statement that was one more
//! send, two more reads and a wakeup of a PostgreSQL backend, and each
//! statement ran on the backend whose caches were coldest.
//!
//! Here a connection that answered its statement in full is kept (up to
//! [`KEPT_MAX`], and at most half the pool) and the next hot statement
//! takes the one kept last. A connection is given back to sqlx — which
//! then tests it, as before — when its statement failed, when the caller
//! was cancelled mid-statement (it is dropped with the future), when
//! enough are kept, or when it sat here longer than [`STALE_AFTER`], the
//! bound under which the pool also skips its test before handing out
//! (`db::connect`). SQLite and everything else go through sea-orm's pool
//! unchanged. One set serves one database: `AppState` pairs `warm` with
//! its `db` ([`WarmDb`]).

use futures_util::TryStreamExt;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use sea_orm::sqlx::{self, Postgres, pool::PoolConnection};
use sea_orm::{
    ConnAcquireErr, ConnectionTrait, DatabaseConnection, DbBackend, DbErr, ExecResult, QueryResult,
    RuntimeErr, Statement, Values,
};
use sea_query_sqlx::SqlxValues;

/// Connections kept at most (and never more than half the pool): half of
/// the default pool of 16. Under a load that keeps more statements in
/// flight, the rest come from the pool and go back to it.
pub const KEPT_MAX: usize = 8;
/// A connection kept longer is given back to the pool and not used: after
/// a database restart, one idle that long is tested before use, as the
/// pool tests its own (`db::connect`).
pub const STALE_AFTER: Duration = Duration::from_secs(1);

/// Called with each statement's SQL as it runs (tests count statements).
pub type Observer = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Clone, Default)]
pub struct WarmConnections {
    kept: Arc<Mutex<Vec<Kept>>>,
    observer: Option<Observer>,
}

struct Kept {
    connection: PoolConnection<Postgres>,
    since: Instant,
}

impl WarmConnections {
    /// Warm connections whose statements are also reported to `observer`
    /// (those that run outside sea-orm's pool, which its own metric
    /// callback does not see).
    pub fn observed(observer: Observer) -> Self {
        Self {
            kept: Default::default(),
            observer: Some(observer),
        }
    }

    /// Runs `statement` on `db`'s database and answers every row; on
    /// PostgreSQL on a warm connection.
    pub async fn query_all(
        &self,
        db: &DatabaseConnection,
        statement: Statement,
    ) -> Result<Vec<QueryResult>, DbErr> {
        if db.get_database_backend() != DbBackend::Postgres {
            return db.query_all_raw(statement).await;
        }
        if let Some(observe) = &self.observer {
            observe(&statement.sql);
        }
        let mut connection = self.take(db).await?;
        let values = SqlxValues(statement.values.unwrap_or(Values(Vec::new())));
        let rows = sqlx::query_with(sqlx::AssertSqlSafe(statement.sql), values)
            .fetch_all(&mut *connection)
            .await
            .map_err(|error| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))))?;
        // Reached only when every row and the final `ReadyForQuery` were
        // read: the connection is idle and clean.
        self.keep(connection, db.get_postgres_connection_pool());
        Ok(rows.into_iter().map(QueryResult::from).collect())
    }

    /// Runs `statement` and hands each row to `read` as it arrives, so the
    /// caller decodes one row while PostgreSQL sends the next (a year's
    /// dashboard: 20,000 rows). `read`'s first error ends the statement
    /// early; its connection then goes back to the pool, as a cancelled
    /// statement's does. Other backends read every row first.
    pub async fn for_each_row<E: From<DbErr>>(
        &self,
        db: &DatabaseConnection,
        statement: Statement,
        mut read: impl FnMut(QueryResult) -> Result<(), E>,
    ) -> Result<(), E> {
        if db.get_database_backend() != DbBackend::Postgres {
            for row in db.query_all_raw(statement).await? {
                read(row)?;
            }
            return Ok(());
        }
        if let Some(observe) = &self.observer {
            observe(&statement.sql);
        }
        let mut connection = self.take(db).await?;
        let values = SqlxValues(statement.values.unwrap_or(Values(Vec::new())));
        {
            let mut rows = sqlx::query_with(sqlx::AssertSqlSafe(statement.sql), values)
                .fetch(&mut *connection);
            while let Some(row) = rows
                .try_next()
                .await
                .map_err(|error| DbErr::Query(RuntimeErr::SqlxError(Arc::new(error))))?
            {
                read(QueryResult::from(row))?;
            }
        }
        // The stream ended after the final `ReadyForQuery`: clean to keep.
        self.keep(connection, db.get_postgres_connection_pool());
        Ok(())
    }

    /// Runs `statement` and answers its first row, if any. Every row is
    /// read, so the connection stays clean to keep: for statements that
    /// answer one row (sea-orm's `one()` adds `LIMIT 1`).
    pub async fn query_one(
        &self,
        db: &DatabaseConnection,
        statement: Statement,
    ) -> Result<Option<QueryResult>, DbErr> {
        Ok(self.query_all(db, statement).await?.into_iter().next())
    }

    /// The connection kept last that is not stale, else one from the pool.
    async fn take(&self, db: &DatabaseConnection) -> Result<PoolConnection<Postgres>, DbErr> {
        loop {
            let Some(kept) = self.lock().pop() else { break };
            if kept.since.elapsed() < STALE_AFTER {
                return Ok(kept.connection);
            }
            // Dropped: back to the pool, which tests it on the way in.
        }
        // Mapped as sea-orm maps its own acquire's errors.
        db.get_postgres_connection_pool()
            .acquire()
            .await
            .map_err(|error| match error {
                sqlx::Error::PoolTimedOut => DbErr::ConnectionAcquire(ConnAcquireErr::Timeout),
                sqlx::Error::PoolClosed => {
                    DbErr::ConnectionAcquire(ConnAcquireErr::ConnectionClosed)
                }
                error => DbErr::Conn(RuntimeErr::SqlxError(Arc::new(error))),
            })
    }

    /// Keeps `connection` unless enough are kept: [`KEPT_MAX`], and never
    /// more than half of `pool`, so the statements that go through the
    /// pool (a small one included) always have connections of their own.
    fn keep(&self, connection: PoolConnection<Postgres>, pool: &sqlx::PgPool) {
        let limit = KEPT_MAX.min(pool.options().get_max_connections() as usize / 2);
        let surplus = {
            let mut kept = self.lock();
            if kept.len() < limit {
                kept.push(Kept {
                    connection,
                    since: Instant::now(),
                });
                None
            } else {
                Some(connection)
            }
        };
        // Back to the pool, outside the lock.
        drop(surplus);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Kept>> {
        // A panic while holding this lock leaves a plain Vec intact.
        self.kept
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Connections kept now (tests).
    pub fn kept(&self) -> usize {
        self.lock().len()
    }
}

/// `db` whose row-answering statements run on warm connections: what a
/// hot path hands to code written against sea-orm's `ConnectionTrait`.
/// Statements that answer no rows go through the pool as before.
pub struct WarmDb<'a> {
    pub db: &'a DatabaseConnection,
    pub warm: &'a WarmConnections,
}

impl WarmDb<'_> {
    /// [`WarmConnections::for_each_row`] on this database.
    pub async fn for_each_row<E: From<DbErr>>(
        &self,
        statement: Statement,
        read: impl FnMut(QueryResult) -> Result<(), E>,
    ) -> Result<(), E> {
        self.warm.for_each_row(self.db, statement, read).await
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for WarmDb<'_> {
    fn get_database_backend(&self) -> DbBackend {
        self.db.get_database_backend()
    }

    async fn execute_raw(&self, statement: Statement) -> Result<ExecResult, DbErr> {
        self.db.execute_raw(statement).await
    }

    async fn execute_unprepared(&self, sql: &str) -> Result<ExecResult, DbErr> {
        self.db.execute_unprepared(sql).await
    }

    async fn query_one_raw(&self, statement: Statement) -> Result<Option<QueryResult>, DbErr> {
        self.warm.query_one(self.db, statement).await
    }

    async fn query_all_raw(&self, statement: Statement) -> Result<Vec<QueryResult>, DbErr> {
        self.warm.query_all(self.db, statement).await
    }
}
