//! SQLite storage: the embedded default, so one command runs the whole product.
//!
//! Conventions (see migrations/sqlite/0001_foundations.sql): ids are 16-byte BLOBs, times are
//! INTEGER microseconds since the Unix epoch (UTC), in columns named as on PostgreSQL (0020).

mod encryption;
mod errors;
mod glue;
mod reads;
mod seed;

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{str::FromStr, time::Duration};
use storage::{StorageError, StorageResult};

pub use encryption::{DatabaseKey, encrypt_copy, is_unencrypted};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/sqlite");

#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
}

impl SqliteStore {
    /// Opens (creating if missing) the database at `url` (`sqlite:///abs/path.db`,
    /// `sqlite://relative.db` or `sqlite::memory:`) without migrating; encrypted under `key`
    /// when one is given (a wrong key, or none for an encrypted file, fails here).
    pub async fn connect(url: &str, key: Option<&DatabaseKey>) -> StorageResult<Self> {
        let mut options = SqliteConnectOptions::from_str(url)
            .map_err(StorageError::backend)?
            .create_if_missing(true)
            .foreign_keys(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(10));
        if let Some(key) = key {
            // Every page read from the file is decrypted and its HMAC checked, so pages kept
            // in SQLite's own cache save more than they do unencrypted: 8 MiB per connection at
            // most (SQLite's default is 2 MiB), grown only as pages are used. 32 MiB served 12 %
            // more of the request mix for 190 MiB more memory (docs/performance.md): too much
            // for the small machine the embedded default is for.
            options = options.pragma("key", key.pragma()).pragma("cache_size", "-8192");
        }
        // Each connection to an in-memory database is a separate, empty database.
        let max = if url.contains(":memory:") { 1 } else { 8 };
        // No ping before a pooled connection is used (sqlx's default): the database is a file
        // in this process, so a connection cannot be dropped under it while idle.
        let pool_options = SqlitePoolOptions::new().max_connections(max).test_before_acquire(false);
        let pool = pool_options.connect_with(options).await.map_err(StorageError::backend)?;
        Ok(Self { pool })
    }

    /// Applies every pending migration (forward only), fills in what a migration could not
    /// compute in SQL (search documents of older rows, default workflows of older tenants, the
    /// reading of older documents' text), then refreshes planner statistics.
    pub async fn migrate(&self) -> StorageResult<()> {
        MIGRATOR.run(&self.pool).await.map_err(StorageError::backend)?;
        storage::sql::backfill::search_documents(self).await?;
        storage::sql::backfill::workflows(self).await?;
        storage::sql::backfill::document_text_jobs(self).await?;
        // SQLite gathers planner statistics only when asked; without them it can pick an index
        // that matches a list's sort rather than its filter. 0x10002: analyse what needs it,
        // with a bounded effort, as SQLite recommends for long-lived connections.
        sqlx::query("PRAGMA optimize=0x10002").execute(&self.pool).await.map_err(errors::db_error)?;
        Ok(())
    }

    /// An unencrypted database: tests, benchmarks and tools.
    pub async fn connect_and_migrate(url: &str) -> StorageResult<Self> {
        Self::connect_and_migrate_encrypted(url, None).await
    }

    pub async fn connect_and_migrate_encrypted(url: &str, key: Option<&DatabaseKey>) -> StorageResult<Self> {
        let store = Self::connect(url, key).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// For tests that need to reach behind the repository (e.g. to tamper with the audit log).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }
}
