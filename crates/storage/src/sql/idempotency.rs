//! Idempotency keys: a retried write is answered from what the first one stored.

use super::{SqlBackend, SqlConn, SqlTx, Stmt};
use crate::{
    IdempotencyRepo, IdempotencyStart, StorageError, StorageResult, StoredResponse, TenantScope,
    records::{KeyDecision, KeyRecord, judge_key},
};
use async_trait::async_trait;
use domain::Timestamp;

#[async_trait]
impl<S: SqlBackend> IdempotencyRepo for S {
    async fn begin_idempotent(
        &self,
        scope: &TenantScope,
        key: &str,
        request_hash: &[u8; 32],
    ) -> StorageResult<IdempotencyStart> {
        let now = Timestamp::now();
        let mut tx = self.write(scope.tenant_id).await?;
        let sql = format!(
            "SELECT actor_id, request_hash, status, response_body, location, etag, created_at
             FROM idempotency_keys WHERE tenant_id = $1 AND key = $2{}",
            <S::Tx as SqlConn>::DIALECT.for_update
        );
        let row = tx.fetch_optional(Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(key)).await?;
        let start = match row {
            None => {
                let reserve = Stmt::new(
                    "INSERT INTO idempotency_keys (tenant_id, key, actor_id, request_hash, created_at)
                     VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(scope.tenant_id.as_uuid())
                .bind(key)
                .bind(scope.actor.id())
                .bind(request_hash)
                .bind(now);
                match tx.execute(reserve).await {
                    Ok(_) => IdempotencyStart::Proceed,
                    // Another request reserved the same key between our read and our insert.
                    Err(StorageError::Conflict(_)) => return Ok(IdempotencyStart::InProgress),
                    Err(other) => return Err(other),
                }
            }
            Some(row) => {
                use super::SqlRow;
                let existing = KeyRecord {
                    owner: row.opt_uuid("actor_id")?,
                    request_hash: row.bytes("request_hash")?,
                    status: row.opt_int("status")?,
                    body: row.opt_text("response_body")?,
                    location: row.opt_text("location")?,
                    etag: row.opt_text("etag")?,
                    reserved_at: row.time("created_at")?,
                };
                match judge_key(existing, scope, request_hash, now)? {
                    KeyDecision::Answer(start) => start,
                    KeyDecision::TakeOver => {
                        let take =
                            Stmt::new("UPDATE idempotency_keys SET created_at = $3 WHERE tenant_id = $1 AND key = $2")
                                .bind(scope.tenant_id.as_uuid())
                                .bind(key)
                                .bind(now);
                        tx.execute(take).await?;
                        IdempotencyStart::Proceed
                    }
                }
            }
        };
        tx.commit().await?;
        Ok(start)
    }

    async fn complete_idempotent(
        &self,
        scope: &TenantScope,
        key: &str,
        response: &StoredResponse,
    ) -> StorageResult<()> {
        let stmt = Stmt::new(
            "UPDATE idempotency_keys SET status = $3, response_body = $4, location = $5, etag = $6
             WHERE tenant_id = $1 AND key = $2",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(key)
        .bind(i64::from(response.status))
        .bind(&response.body)
        .bind(&response.location)
        .bind(&response.etag);
        let mut tx = self.write(scope.tenant_id).await?;
        tx.execute(stmt).await?;
        tx.commit().await
    }

    async fn abandon_idempotent(&self, scope: &TenantScope, key: &str) -> StorageResult<()> {
        let stmt = Stmt::new("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND key = $2 AND status IS NULL")
            .bind(scope.tenant_id.as_uuid())
            .bind(key);
        let mut tx = self.write(scope.tenant_id).await?;
        tx.execute(stmt).await?;
        tx.commit().await
    }

    async fn purge_idempotency_keys(&self, scope: &TenantScope, before: Timestamp) -> StorageResult<u64> {
        let stmt = Stmt::new("DELETE FROM idempotency_keys WHERE tenant_id = $1 AND created_at < $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(before);
        let mut tx = self.write(scope.tenant_id).await?;
        let purged = tx.execute(stmt).await?;
        tx.commit().await?;
        Ok(purged)
    }
}
