//! PostgreSQL storage: the production backend.

mod errors;
mod glue;
mod principal;
mod query_list;
mod reads;
mod search;
mod seed;
#[cfg(feature = "testing")]
pub mod testing;

use domain::TenantId;
use sqlx::{
    PgPool, Postgres, Transaction,
    postgres::{PgConnectOptions, PgPoolOptions},
};
use std::str::FromStr;
use storage::{StorageError, StorageResult};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../../migrations/postgres");

/// A pool of connections to one PostgreSQL database.
#[derive(Debug, Clone)]
pub struct PgStore {
    pool: PgPool,
}

/// How long a pooled connection may sit idle before it is checked on being taken out.
const IDLE_BEFORE_PING: std::time::Duration = std::time::Duration::from_secs(1);

impl PgStore {
    /// Connects without migrating.
    pub async fn connect(url: &str) -> StorageResult<Self> {
        let options = PgConnectOptions::from_str(url).map_err(StorageError::backend)?;
        // sqlx pings a connection when it goes back to the pool and, by default, again when it
        // is taken out: a round trip each. Under load a connection comes back to work within
        // milliseconds, so the second ping is only sent after a second idle, when the server
        // may have gone away (restarted, failed over) in the meantime.
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .test_before_acquire(false)
            .before_acquire(|conn, meta| {
                Box::pin(async move {
                    if meta.idle_for >= IDLE_BEFORE_PING {
                        sqlx::Connection::ping(conn).await?;
                    }
                    Ok(true)
                })
            })
            .connect_with(options)
            .await
            .map_err(StorageError::backend)?;
        Ok(Self { pool })
    }

    /// Applies every pending migration (forward only), then fills in what a migration could not
    /// compute in SQL (search documents of older rows, default workflows of older tenants, the
    /// reading of older documents' text).
    pub async fn migrate(&self) -> StorageResult<()> {
        MIGRATOR.run(&self.pool).await.map_err(StorageError::backend)?;
        storage::sql::backfill::search_documents(self).await?;
        storage::sql::backfill::workflows(self).await?;
        storage::sql::backfill::document_text_jobs(self).await.map(drop)
    }

    pub async fn connect_and_migrate(url: &str) -> StorageResult<Self> {
        let store = Self::connect(url).await?;
        store.migrate().await?;
        Ok(store)
    }

    /// Begins a transaction in which PostgreSQL's row-level security lets through only this
    /// tenant's rows (migration 0002): the second wall behind every query's tenant filter.
    pub(crate) async fn begin_scoped(&self, tenant_id: TenantId) -> StorageResult<Transaction<'static, Postgres>> {
        // One round trip for both statements (the simple-query protocol takes several). The
        // value is a formatted UUID, so it cannot close the string it is quoted in.
        let begin = format!("BEGIN; SELECT set_config('app.tenant_id', '{}', true)", tenant_id.as_uuid());
        self.pool.begin_with(sqlx::AssertSqlSafe(begin)).await.map_err(errors::db_error)
    }

    /// Whether the connected role escapes row-level security (a superuser, or BYPASSRLS), which
    /// would leave the repositories' tenant filters as the only wall.
    pub async fn bypasses_row_security(&self) -> StorageResult<bool> {
        sqlx::query_scalar("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = current_user")
            .fetch_one(&self.pool)
            .await
            .map_err(errors::db_error)
    }

    /// For tests that need to reach behind the repository (e.g. to tamper with the audit log).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }
}

/// The start of a tenant-scoped read as one statement, so one round trip instead of three
/// (BEGIN with the tenant setting, the read, COMMIT). A materialized CTE sets `app.tenant_id`
/// for this statement's own transaction; the caller pushes its SELECT, with
/// `scope.tenant IS NOT NULL` among its conditions, then `OFFSET 0) scoped`. The read is a
/// LATERAL subquery that refers to the CTE's row, so PostgreSQL can only run it once that row
/// exists, i.e. after the setting is made, and the row-level policies bind it as in any scoped
/// transaction. Were the order ever different, the policies would see no tenant and the read
/// would find nothing: it fails closed. The setting ends with the statement.
pub(crate) fn scoped_read(scope: &storage::TenantScope) -> (storage::sql::Stmt, String) {
    let mut stmt = storage::sql::Stmt::new("");
    let tenant = stmt.push(scope.tenant_id.as_uuid().to_string());
    let sql = format!(
        "WITH scope AS MATERIALIZED (SELECT set_config('app.tenant_id', {tenant}, true) AS tenant) \
         SELECT scoped.* FROM scope CROSS JOIN LATERAL ("
    );
    (stmt, sql)
}
