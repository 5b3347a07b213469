//! Keeping SQLite's FTS5 indexes in step with their tables: each index row has the rowid of
//! the record it indexes and a copy of its `search_document`, written in the record's
//! transaction.

use crate::rows::db_error;
use sqlx::{AssertSqlSafe, SqliteConnection};
use storage::StorageResult;
use uuid::Uuid;

/// The tables with a search index: `<table>_fts` indexes `<table>.search_document`.
#[derive(Debug, Clone, Copy)]
pub enum Indexed {
    Customers,
    Queries,
}

impl Indexed {
    fn table(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Queries => "queries",
        }
    }
}

/// Re-indexes one record after it was inserted or its document changed.
pub async fn sync_fts(conn: &mut SqliteConnection, indexed: Indexed, tenant_id: Uuid, id: Uuid) -> StorageResult<()> {
    let table = indexed.table();
    sqlx::query(AssertSqlSafe(format!(
        "DELETE FROM {table}_fts WHERE rowid = (SELECT rowid FROM {table} WHERE tenant_id = ?1 AND id = ?2)"
    )))
    .bind(tenant_id)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    sqlx::query(AssertSqlSafe(format!(
        "INSERT INTO {table}_fts (rowid, document)
         SELECT rowid, search_document FROM {table} WHERE tenant_id = ?1 AND id = ?2"
    )))
    .bind(tenant_id)
    .bind(id)
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    Ok(())
}
