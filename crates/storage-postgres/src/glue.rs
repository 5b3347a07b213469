//! What the shared flows (`storage::sql`) need of PostgreSQL: its codecs, and transactions
//! scoped to a tenant for row-level security.

use crate::{PgStore, errors::db_error};
use domain::{TenantId, Timestamp};
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    StorageResult,
    sql::{Dialect, SqlBackend, SqlConn, Stmt},
};

storage::sql_glue! {
    database: sqlx::Postgres,
    connection: sqlx::PgConnection,
    row: sqlx::postgres::PgRow,
    time: DateTime<Utc> => encode |at: Timestamp| at.as_datetime(), decode Timestamp::from_datetime,
    list: Vec<String> => encode |names: Vec<String>| names, decode Ok::<_, storage::StorageError>,
    error: db_error,
    dialect: Dialect {
        for_update: " FOR UPDATE",
        skip_locked: " FOR UPDATE SKIP LOCKED",
        lock_key: Some("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))"),
        // Triggers keep the search tables in step (migration 0018).
        reindex: &[],
        links_audit_inline: false,
        reference_apart: Some("SELECT take_query_reference($1) AS value"),
    },
}

impl SqlBackend for PgStore {
    type Tx = Tx;

    const NAME: &'static str = "postgresql";

    fn known_migrations(&self) -> usize {
        crate::MIGRATOR.iter().count()
    }

    async fn write(&self, tenant_id: TenantId) -> StorageResult<Tx> {
        self.begin_scoped(tenant_id).await.map(Tx)
    }

    async fn read(&self, tenant_id: TenantId) -> StorageResult<Tx> {
        self.begin_scoped(tenant_id).await.map(Tx)
    }

    async fn write_unscoped(&self) -> StorageResult<Tx> {
        self.pool.begin().await.map(Tx).map_err(db_error)
    }

    async fn read_unscoped(&self) -> StorageResult<Tx> {
        self.pool.begin().await.map(Tx).map_err(db_error)
    }

    async fn autocommit(&self, stmt: Stmt) -> StorageResult<Option<Row>> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        Conn(&mut conn).fetch_optional(stmt).await
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
