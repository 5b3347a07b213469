//! The audit chain on SQLite.

use crate::{
    SqliteStore,
    rows::{AUDIT_COLUMNS, AuditRow, db_error},
};
use async_trait::async_trait;
use domain::{
    TenantId,
    audit::{AuditEvent, GENESIS_HASH, StoredAuditEntry},
};
use sqlx::{AssertSqlSafe, SqliteConnection};
use storage::{
    AuditRepo, StorageResult, TenantScope,
    records::{chain_link, stored_entry},
};

/// Starts a tenant's chain. Called in the transaction that creates the tenant.
pub async fn start_chain(conn: &mut SqliteConnection, tenant_id: TenantId) -> StorageResult<()> {
    sqlx::query("INSERT INTO audit_heads (tenant_id, seq, hash) VALUES (?1, 0, ?2)")
        .bind(tenant_id.as_uuid())
        .bind(&GENESIS_HASH[..])
        .execute(conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

/// Appends an entry to the tenant's chain inside the caller's transaction. Updating the head
/// row first takes its row lock, so concurrent writers of one tenant queue here.
pub async fn append(conn: &mut SqliteConnection, scope: &TenantScope, event: &AuditEvent) -> StorageResult<()> {
    let (seq, prev): (i64, Vec<u8>) =
        sqlx::query_as("UPDATE audit_heads SET seq = seq + 1 WHERE tenant_id = ?1 RETURNING seq, hash")
            .bind(scope.tenant_id.as_uuid())
            .fetch_one(&mut *conn)
            .await
            .map_err(db_error)?;
    let link = chain_link(scope, event, seq, prev)?;
    let envelope = &link.envelope;
    sqlx::query(
        "INSERT INTO audit_entries (tenant_id, seq, at_us, actor_kind, actor_id, action, subject_kind, subject_id,
             payload, payload_hash, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(seq)
    .bind(envelope.at.as_micros())
    .bind(envelope.actor.kind())
    .bind(envelope.actor.id())
    .bind(&envelope.action)
    .bind(&envelope.subject_kind)
    .bind(envelope.subject_id)
    .bind(&link.payload)
    .bind(&link.payload_hash[..])
    .bind(&link.prev_hash[..])
    .bind(&link.hash[..])
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    sqlx::query("UPDATE audit_heads SET hash = ?2 WHERE tenant_id = ?1")
        .bind(scope.tenant_id.as_uuid())
        .bind(&link.hash[..])
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

#[async_trait]
impl AuditRepo for SqliteStore {
    async fn record(&self, scope: &TenantScope, event: AuditEvent) -> StorageResult<()> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        append(&mut tx, scope, &event).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn audit_chain(&self, scope: &TenantScope) -> StorageResult<Vec<StoredAuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_entries WHERE tenant_id = ?1 ORDER BY seq"
        )))
        .bind(scope.tenant_id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter().map(|row| stored_entry(scope.tenant_id, row.into())).collect()
    }

    async fn audit_of(
        &self,
        scope: &TenantScope,
        subject_kind: &str,
        subject_id: uuid::Uuid,
    ) -> StorageResult<Vec<StoredAuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(AssertSqlSafe(format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_entries WHERE tenant_id = ?1 AND subject_kind = ?2 AND subject_id = ?3 ORDER BY seq"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(subject_kind)
        .bind(subject_id)
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter().map(|row| stored_entry(scope.tenant_id, row.into())).collect()
    }
}
