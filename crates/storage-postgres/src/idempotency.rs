//! Idempotency keys on PostgreSQL.

use crate::{
    PgStore,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::Timestamp;
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    IdempotencyRepo, IdempotencyStart, StorageError, StorageResult, StoredResponse, TenantScope,
    records::{KeyDecision, KeyRecord, judge_key},
};
use uuid::Uuid;

type KeyRow = (Option<Uuid>, Vec<u8>, Option<i32>, Option<String>, Option<String>, Option<String>, DateTime<Utc>);

#[async_trait]
impl IdempotencyRepo for PgStore {
    async fn begin_idempotent(
        &self,
        scope: &TenantScope,
        key: &str,
        request_hash: &[u8; 32],
    ) -> StorageResult<IdempotencyStart> {
        let now = Timestamp::now();
        let actor = scope.actor.id();
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let row: Option<KeyRow> = sqlx::query_as(
            "SELECT actor_id, request_hash, status, response_body, location, etag, created_at
             FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 FOR UPDATE",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(key)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let start = match row {
            None => {
                let inserted = sqlx::query(
                    "INSERT INTO idempotency_keys (tenant_id, key, actor_id, request_hash, created_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(scope.tenant_id.as_uuid())
                .bind(key)
                .bind(actor)
                .bind(&request_hash[..])
                .bind(now.as_datetime())
                .execute(&mut *tx)
                .await
                .map_err(db_error);
                match inserted {
                    Ok(_) => IdempotencyStart::Proceed,
                    // Another request reserved the same key between our read and our insert.
                    Err(StorageError::Conflict { .. }) => return Ok(IdempotencyStart::InProgress),
                    Err(other) => return Err(other),
                }
            }
            Some((owner, request_hash_stored, status, body, location, etag, reserved_at)) => {
                let existing = KeyRecord {
                    owner,
                    request_hash: request_hash_stored,
                    status,
                    body,
                    location,
                    etag,
                    reserved_at: ts(reserved_at),
                };
                match judge_key(existing, scope, request_hash, now)? {
                    KeyDecision::Answer(start) => start,
                    KeyDecision::TakeOver => {
                        sqlx::query("UPDATE idempotency_keys SET created_at = $3 WHERE tenant_id = $1 AND key = $2")
                            .bind(scope.tenant_id.as_uuid())
                            .bind(key)
                            .bind(now.as_datetime())
                            .execute(&mut *tx)
                            .await
                            .map_err(db_error)?;
                        IdempotencyStart::Proceed
                    }
                }
            }
        };
        tx.commit().await.map_err(db_error)?;
        Ok(start)
    }

    async fn complete_idempotent(
        &self,
        scope: &TenantScope,
        key: &str,
        response: &StoredResponse,
    ) -> StorageResult<()> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        sqlx::query(
            "UPDATE idempotency_keys SET status = $3, response_body = $4, location = $5, etag = $6
             WHERE tenant_id = $1 AND key = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(key)
        .bind(i32::from(response.status))
        .bind(&response.body)
        .bind(&response.location)
        .bind(&response.etag)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        tx.commit().await.map_err(db_error)
    }

    async fn abandon_idempotent(&self, scope: &TenantScope, key: &str) -> StorageResult<()> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        sqlx::query("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status IS NULL")
            .bind(scope.tenant_id.as_uuid())
            .bind(key)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        tx.commit().await.map_err(db_error)
    }
}
