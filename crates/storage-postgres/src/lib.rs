//! PostgreSQL storage: the production backend.

mod audit;
mod rows;
mod sessions;
mod tenants;
mod users;

use async_trait::async_trait;
use sqlx::{
    PgPool,
    postgres::{PgConnectOptions, PgPoolOptions},
};
use std::str::FromStr;
use storage::{Maintenance, Readiness, StorageError, StorageResult};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// A pool of connections to one PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

impl PgStore {
    /// Connects without migrating.
    pub async fn connect(url: &str) -> StorageResult<Self> {
        let options = PgConnectOptions::from_str(url).map_err(StorageError::backend)?;
        let pool =
            PgPoolOptions::new().max_connections(16).connect_with(options).await.map_err(StorageError::backend)?;
        Ok(Self { pool })
    }

    /// Applies every pending migration (forward only).
    pub async fn migrate(&self) -> StorageResult<()> {
        MIGRATOR.run(&self.pool).await.map_err(StorageError::backend)
    }

    pub async fn connect_and_migrate(url: &str) -> StorageResult<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// For tests that need to reach behind the repository (e.g. to tamper with the audit log).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

#[async_trait]
impl Maintenance for PgStore {
    fn backend_name(&self) -> &'static str {
        "postgresql"
    }

    async fn readiness(&self) -> StorageResult<Readiness> {
        let applied: i64 = sqlx::query_scalar("SELECT count(*) FROM _sqlx_migrations WHERE success")
            .fetch_one(&self.pool)
            .await
            .map_err(rows::db_error)?;
        Ok(Readiness { applied_migrations: applied, known_migrations: MIGRATOR.iter().count() as i64 })
    }
}
