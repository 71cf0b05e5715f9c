//! The one store: a connection pool to SQLite (the embedded default) or PostgreSQL.
//!
//! Queries are written once in SQL both databases accept (numbered `$1` parameters,
//! `ON CONFLICT`, `RETURNING`) and run on whichever pool is live through [`on_store!`].
//! Each backend has its own migrations, because DDL is where the two really differ.

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;
use thiserror::Error;

#[derive(Clone, Debug)]
pub enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs the same body against whichever pool the store holds. The body is expanded
/// once per backend, so generic sqlx calls type-check against each database.
#[macro_export]
macro_rules! on_store {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::store::Store::Sqlite($pool) => $body,
            $crate::store::Store::Postgres($pool) => $body,
        }
    };
}

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("cannot open the database at {url}: {source}")]
    Connect { url: String, source: sqlx::Error },
    #[error("the database migration failed, so Groundwork will not start on a half-built schema: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl Store {
    /// Opens (creating if needed) the database named by `url`: `sqlite:…` or `postgres://…`.
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let err = |source| StoreError::Connect { url: redact(url), source };
        if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            let opts = PgConnectOptions::from_str(url).map_err(err)?;
            let pool = PgPoolOptions::new()
                .max_connections(20)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await
                .map_err(err)?;
            Ok(Store::Postgres(pool))
        } else {
            let opts = SqliteConnectOptions::from_str(url)
                .map_err(err)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                // A 64 MB page cache keeps a seat's indexes in memory during imports.
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory");
            let pool = SqlitePoolOptions::new().max_connections(8).connect_with(opts).await.map_err(err)?;
            Ok(Store::Sqlite(pool))
        }
    }

    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Store::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Store::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    pub async fn ping(&self) -> Result<(), sqlx::Error> {
        on_store!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|_| ()))
    }

    pub async fn close(&self) {
        on_store!(self, pool => pool.close().await)
    }
}

/// The future a [`Store::write`] body returns.
pub type WriteFuture<'t, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 't>>;

/// An open write transaction on whichever database is live. A body reaches the
/// backend's connection through [`on_tx!`], so its SQL is written once and compiled for
/// each database, as with [`on_store!`].
pub enum Tx<'a> {
    Sqlite(sqlx::Transaction<'a, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'a, sqlx::Postgres>),
}

/// Runs the same body against the connection of a [`Tx`]: `on_tx!(tx, conn => …)`
/// binds `conn` to the backend's `&mut …Connection`, so `&mut *conn` is an executor.
/// It takes `tx` (the `&mut Tx`) by value, so that a plain `async` block around it owns
/// the transaction and only borrows everything else.
#[macro_export]
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match { $tx } {
            $crate::store::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

impl Tx<'_> {
    async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.commit().await,
            Tx::Postgres(t) => t.commit().await,
        }
    }

    async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Tx::Sqlite(t) => t.rollback().await,
            Tx::Postgres(t) => t.rollback().await,
        }
    }
}

impl Store {
    /// The one way to write in a transaction: opens it, runs `body`, and commits if the
    /// body returns `Ok` (an `Err`, or a `?` inside, rolls it back). `seats` are the seats
    /// whose rows the body may change, or none.
    ///
    /// The backends differ, and here is where that is handled:
    /// - SQLite has one writer. Write transactions in this process queue on an in-process
    ///   lock (see [`sqlite_write_lock`]), and each takes SQLite's write lock with its first
    ///   statement: a deferred transaction that reads and then writes fails outright
    ///   (SQLITE_BUSY_SNAPSHOT) if another connection wrote in between.
    /// - PostgreSQL writes side by side, but the dashboard counters that triggers keep per
    ///   door and district would deadlock two transactions that update them in different
    ///   orders. So the transaction first takes each of `seats`' advisory lock, in seat
    ///   order: one transaction of a seat at a time changes its counters, while other
    ///   seats write alongside. (The two-key form keeps these apart from the job runner's
    ///   one-key locks.)
    ///
    /// Write the body as `|tx| Box::pin(async { on_tx!(tx, tx => { … }) })`; it must
    /// not open another write on the store (SQLite's queue would wait for itself).
    pub async fn write<'a, T, E, F>(&self, seats: &[i64], body: F) -> Result<T, E>
    where
        F: for<'t> FnOnce(&'t mut Tx<'a>) -> WriteFuture<'t, Result<T, E>>,
        E: From<sqlx::Error>,
    {
        let (_writer, tx) = self.begin_write(seats).await?;
        let mut tx: Tx<'a> = tx;
        let out = body(&mut tx).await?;
        tx.commit().await?;
        Ok(out)
    }

    /// [`Store::write`] for a body that may decide, once it has seen what its writes do,
    /// to throw them away (a preview, or a file refused as partial): it returns what it
    /// found with [`Finish::Commit`] or [`Finish::RollBack`].
    pub async fn write_or_roll_back<'a, T, E, F>(&self, seats: &[i64], body: F) -> Result<T, E>
    where
        F: for<'t> FnOnce(&'t mut Tx<'a>) -> WriteFuture<'t, Result<(T, Finish), E>>,
        E: From<sqlx::Error>,
    {
        let (_writer, tx) = self.begin_write(seats).await?;
        let mut tx: Tx<'a> = tx;
        let (out, finish) = body(&mut tx).await?;
        match finish {
            Finish::Commit => tx.commit().await?,
            Finish::RollBack => tx.rollback().await?,
        }
        Ok(out)
    }

    /// Opens a write transaction as [`Store::write`] describes; on SQLite the guard
    /// returned holds this process's place as the writer until it is dropped.
    async fn begin_write(
        &self,
        seats: &[i64],
    ) -> Result<(Option<tokio::sync::MutexGuard<'static, ()>>, Tx<'static>), sqlx::Error> {
        match self {
            Store::Sqlite(pool) => {
                let writer = sqlite_write_lock().lock().await;
                let mut tx = pool.begin().await?;
                // A write statement, even one that changes nothing, takes the write lock now.
                sqlx::query("UPDATE seats SET id = id WHERE 1 = 0").execute(&mut *tx).await?;
                Ok((Some(writer), Tx::Sqlite(tx)))
            }
            Store::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let mut seats = seats.to_vec();
                seats.sort_unstable();
                seats.dedup();
                for seat in seats {
                    sqlx::query("SELECT pg_advisory_xact_lock(1, CAST($1 AS INTEGER))")
                        .bind(seat)
                        .execute(&mut *tx)
                        .await?;
                }
                Ok((None, Tx::Postgres(tx)))
            }
        }
    }
}

/// How a [`Store::write_or_roll_back`] body ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Finish {
    Commit,
    RollBack,
}

/// SQLite lets one connection write at a time. A connection that finds the write lock
/// taken sleeps in SQLite's busy handler (1, 2, 5 … up to 100 ms at a go), which under a
/// polling-day load turns into long latency tails. Write transactions in this process
/// queue here instead and start the moment the previous one commits. (Another process
/// on the same file still meets the busy handler.)
fn sqlite_write_lock() -> &'static tokio::sync::Mutex<()> {
    static LOCK: std::sync::OnceLock<tokio::sync::Mutex<()>> = std::sync::OnceLock::new();
    LOCK.get_or_init(|| tokio::sync::Mutex::new(()))
}

/// A database URL fit for logs: any password is replaced.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &creds[..colon], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(redact("postgres://gw:secret@db/gw"), "postgres://gw:***@db/gw");
        assert_eq!(redact("postgres://gw@db/gw"), "postgres://gw@db/gw");
        assert_eq!(redact("sqlite:groundwork.db"), "sqlite:groundwork.db");
    }
}
