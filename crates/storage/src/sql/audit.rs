//! The audit chain: every write appends its entry in its own transaction.

use super::{SqlBackend, SqlConn, SqlRow, SqlTx, Stmt};
use crate::{
    AuditRepo, StorageResult, TenantScope,
    records::{AuditColumns, chain_link, stored_entry},
};
use async_trait::async_trait;
use domain::{
    TenantId,
    audit::{AuditEvent, GENESIS_HASH, StoredAuditEntry},
};
use uuid::Uuid;

/// Starts a tenant's chain. Called in the transaction that creates the tenant.
pub async fn start_chain(conn: &mut impl SqlConn, tenant_id: TenantId) -> StorageResult<()> {
    let stmt = Stmt::new("INSERT INTO audit_heads (tenant_id, seq, hash) VALUES ($1, 0, $2)")
        .bind(tenant_id.as_uuid())
        .bind(&GENESIS_HASH);
    conn.execute(stmt).await.map(drop)
}

/// Appends an entry to the tenant's chain inside the caller's transaction. Updating the head
/// row first takes its row lock, so concurrent writers of one tenant queue here.
pub async fn append(conn: &mut impl SqlConn, scope: &TenantScope, event: &AuditEvent) -> StorageResult<()> {
    let head = Stmt::new("UPDATE audit_heads SET seq = seq + 1 WHERE tenant_id = $1 RETURNING seq, hash")
        .bind(scope.tenant_id.as_uuid());
    let head = conn.fetch_one(head).await?;
    let link = chain_link(scope, event, head.int("seq")?, head.bytes("hash")?)?;
    let envelope = &link.envelope;
    let entry = Stmt::new(
        "INSERT INTO audit_entries (tenant_id, seq, at, actor_kind, actor_id, action, subject_kind, subject_id,
             payload, payload_hash, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(scope.tenant_id.as_uuid())
    .bind(envelope.seq)
    .bind(envelope.at)
    .bind(envelope.actor.kind())
    .bind(envelope.actor.id())
    .bind(&envelope.action)
    .bind(&envelope.subject_kind)
    .bind(envelope.subject_id)
    .bind(&link.payload)
    .bind(&link.payload_hash)
    .bind(&link.prev_hash)
    .bind(&link.hash);
    conn.execute(entry).await?;
    let head = Stmt::new("UPDATE audit_heads SET hash = $2 WHERE tenant_id = $1")
        .bind(scope.tenant_id.as_uuid())
        .bind(&link.hash);
    conn.execute(head).await.map(drop)
}

const AUDIT_COLUMNS: &str =
    "seq, at, actor_kind, actor_id, action, subject_kind, subject_id, payload, payload_hash, prev_hash, hash";

fn entry_of(tenant_id: TenantId, row: &impl SqlRow) -> StorageResult<StoredAuditEntry> {
    let columns = AuditColumns {
        seq: row.int("seq")?,
        at: row.time("at")?,
        actor_kind: row.text("actor_kind")?,
        actor_id: row.opt_uuid("actor_id")?,
        action: row.text("action")?,
        subject_kind: row.text("subject_kind")?,
        subject_id: row.uuid("subject_id")?,
        payload: row.opt_text("payload")?,
        payload_hash: row.bytes("payload_hash")?,
        prev_hash: row.bytes("prev_hash")?,
        hash: row.bytes("hash")?,
    };
    stored_entry(tenant_id, columns)
}

async fn entries<S: SqlBackend>(store: &S, scope: &TenantScope, stmt: Stmt) -> StorageResult<Vec<StoredAuditEntry>> {
    let mut tx = store.read(scope.tenant_id).await?;
    let rows = tx.fetch_all(stmt).await?;
    tx.commit().await?;
    rows.iter().map(|row| entry_of(scope.tenant_id, row)).collect()
}

#[async_trait]
impl<S: SqlBackend> AuditRepo for S {
    async fn record(&self, scope: &TenantScope, event: AuditEvent) -> StorageResult<()> {
        let mut tx = self.write(scope.tenant_id).await?;
        append(&mut tx, scope, &event).await?;
        tx.commit().await
    }

    async fn audit_chain(&self, scope: &TenantScope) -> StorageResult<Vec<StoredAuditEntry>> {
        let sql = format!("SELECT {AUDIT_COLUMNS} FROM audit_entries WHERE tenant_id = $1 ORDER BY seq");
        entries(self, scope, Stmt::new(sql).bind(scope.tenant_id.as_uuid())).await
    }

    async fn audit_of(
        &self,
        scope: &TenantScope,
        subject_kind: &str,
        subject_id: Uuid,
    ) -> StorageResult<Vec<StoredAuditEntry>> {
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit_entries
             WHERE tenant_id = $1 AND subject_kind = $2 AND subject_id = $3 ORDER BY seq"
        );
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(subject_kind).bind(subject_id);
        entries(self, scope, stmt).await
    }
}
