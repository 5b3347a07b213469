//! What the shared flows (`storage::sql`) need of SQLite: its codecs (times as integer
//! microseconds, lists as JSON), and writing transactions that take the write lock at once.

use crate::{SqliteStore, errors::db_error};
use domain::{TenantId, Timestamp};
use storage::{
    StorageError, StorageResult,
    sql::{Dialect, SqlBackend, SqlConn, Stmt},
};

fn list_from_json(json: String) -> StorageResult<Vec<String>> {
    serde_json::from_str(&json).map_err(StorageError::backend)
}

fn list_to_json(names: Vec<String>) -> String {
    serde_json::Value::from(names).to_string()
}

storage::sql_glue! {
    database: sqlx::Sqlite,
    connection: sqlx::SqliteConnection,
    row: sqlx::sqlite::SqliteRow,
    time: i64 => encode |at: Timestamp| at.as_micros(), decode Timestamp::from_micros,
    list: String => encode list_to_json, decode list_from_json,
    error: db_error,
    // A writing transaction holds the whole database from its first statement.
    dialect: Dialect {
        for_update: "",
        skip_locked: "",
        lock_key: None,
        // Each FTS5 row has the rowid of the record it indexes and a copy of its document.
        reindex: &[
            "DELETE FROM {table}_fts WHERE rowid = (SELECT rowid FROM {table} WHERE tenant_id = $1 AND id = $2)",
            "INSERT INTO {table}_fts (rowid, document)
             SELECT rowid, search_document FROM {table} WHERE tenant_id = $1 AND id = $2",
        ],
        links_audit_inline: true,
        reference_apart: None,
    },
}

impl SqlBackend for SqliteStore {
    type Tx = Tx;

    /// `BEGIN IMMEDIATE`: a transaction that reads then writes would otherwise fail with
    /// SQLITE_BUSY when another writer got in between, instead of waiting its turn.
    async fn write(&self, _tenant_id: TenantId) -> StorageResult<Tx> {
        self.write_unscoped().await
    }

    async fn read(&self, _tenant_id: TenantId) -> StorageResult<Tx> {
        self.pool.begin().await.map(Tx).map_err(db_error)
    }

    async fn write_unscoped(&self) -> StorageResult<Tx> {
        self.pool.begin_with("BEGIN IMMEDIATE").await.map(Tx).map_err(db_error)
    }

    async fn read_unscoped(&self) -> StorageResult<Tx> {
        self.pool.begin().await.map(Tx).map_err(db_error)
    }

    async fn autocommit(&self, stmt: Stmt) -> StorageResult<Option<Row>> {
        let mut conn = self.pool.acquire().await.map_err(db_error)?;
        Conn(&mut conn).fetch_optional(stmt).await
    }

    const NAME: &'static str = "sqlite";

    fn known_migrations(&self) -> usize {
        crate::MIGRATOR.iter().count()
    }

    async fn close(&self) {
        self.pool.close().await;
    }
}
