//! The audit chain on SQLite.

use crate::{
    SqliteStore,
    rows::{corrupt, db_error, ts},
};
use async_trait::async_trait;
use domain::{
    TenantId, Timestamp,
    audit::{Actor, AuditEnvelope, AuditEvent, GENESIS_HASH, StoredAuditEntry, payload_hash},
};
use sqlx::SqliteConnection;
use storage::{AuditRepo, StorageResult, TenantScope};
use uuid::Uuid;

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
    let prev: [u8; 32] = prev.try_into().map_err(|_| corrupt("audit head"))?;
    let envelope = AuditEnvelope {
        tenant_id: scope.tenant_id,
        seq,
        at: Timestamp::now(),
        actor: scope.actor,
        action: event.action.clone(),
        subject_kind: event.subject_kind.clone(),
        subject_id: event.subject_id,
    };
    let payload = event.payload.to_string();
    let payload_hash = payload_hash(&payload);
    let hash = envelope.chain_hash(&prev, &payload_hash);
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
    .bind(&payload)
    .bind(&payload_hash[..])
    .bind(&prev[..])
    .bind(&hash[..])
    .execute(&mut *conn)
    .await
    .map_err(db_error)?;
    sqlx::query("UPDATE audit_heads SET hash = ?2 WHERE tenant_id = ?1")
        .bind(scope.tenant_id.as_uuid())
        .bind(&hash[..])
        .execute(&mut *conn)
        .await
        .map_err(db_error)?;
    Ok(())
}

#[derive(Debug, sqlx::FromRow)]
struct AuditRow {
    seq: i64,
    at_us: i64,
    actor_kind: String,
    actor_id: Option<Uuid>,
    action: String,
    subject_kind: String,
    subject_id: Uuid,
    payload: Option<String>,
    payload_hash: Vec<u8>,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
}

fn hash32(bytes: Vec<u8>) -> StorageResult<[u8; 32]> {
    bytes.try_into().map_err(|_| corrupt("audit hash"))
}

#[async_trait]
impl AuditRepo for SqliteStore {
    async fn record(&self, scope: &TenantScope, event: AuditEvent) -> StorageResult<()> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        append(&mut tx, scope, &event).await?;
        tx.commit().await.map_err(db_error)
    }

    async fn audit_chain(&self, scope: &TenantScope) -> StorageResult<Vec<StoredAuditEntry>> {
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT seq, at_us, actor_kind, actor_id, action, subject_kind, subject_id, payload, payload_hash,
                    prev_hash, hash
             FROM audit_entries WHERE tenant_id = ?1 ORDER BY seq",
        )
        .bind(scope.tenant_id.as_uuid())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|row| {
                Ok(StoredAuditEntry {
                    envelope: AuditEnvelope {
                        tenant_id: scope.tenant_id,
                        seq: row.seq,
                        at: ts(row.at_us),
                        actor: Actor::from_parts(&row.actor_kind, row.actor_id).ok_or_else(|| corrupt("actor"))?,
                        action: row.action,
                        subject_kind: row.subject_kind,
                        subject_id: row.subject_id,
                    },
                    payload_hash: hash32(row.payload_hash)?,
                    payload_json: row.payload,
                    prev_hash: hash32(row.prev_hash)?,
                    hash: hash32(row.hash)?,
                })
            })
            .collect()
    }
}
