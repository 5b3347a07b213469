//! Personal API tokens (machine access).

use super::{SqlConn, SqlTx, Stmt, audit, principals::token_of, reads::SqlReads};
use crate::{ApiTokenPrincipal, ApiTokenRepo, NewApiToken, StorageError, StorageResult, TenantScope, records};
use async_trait::async_trait;
use domain::{ApiTokenId, Timestamp, UserId, api_token::ApiToken};

const TOKEN_COLUMNS: &str = "id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at";

#[async_trait]
impl<S: SqlReads> ApiTokenRepo for S {
    async fn create_api_token(
        &self,
        scope: &TenantScope,
        new: NewApiToken,
        from: Option<&str>,
    ) -> StorageResult<ApiToken> {
        let token = records::new_api_token(&new);
        let insert = Stmt::new(
            "INSERT INTO api_tokens (token_hash, tenant_id, id, user_id, name, scopes, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&new.token_hash)
        .bind(scope.tenant_id.as_uuid())
        .bind(token.id.as_uuid())
        .bind(token.user_id.as_uuid())
        .bind(&token.name)
        .bind(records::scopes_text(&token.scopes))
        .bind(token.created_at)
        .bind(token.expires_at);
        let mut tx = self.write(scope.tenant_id).await?;
        tx.execute(insert).await?;
        audit::append(&mut tx, scope, &records::api_token_created(&token, from)).await?;
        tx.commit().await?;
        Ok(token)
    }

    async fn api_tokens(&self, scope: &TenantScope, owner: Option<UserId>) -> StorageResult<Vec<ApiToken>> {
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND ($2 IS NULL OR user_id = $2) ORDER BY id DESC"
        );
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(owner.map(|o| o.as_uuid()));
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter().map(token_of).collect()
    }

    async fn revoke_api_token(
        &self,
        scope: &TenantScope,
        id: ApiTokenId,
        owner: Option<UserId>,
        now: Timestamp,
    ) -> StorageResult<ApiToken> {
        let mut tx = self.write(scope.tenant_id).await?;
        let sql = format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = $1 AND id = $2 AND ($3 IS NULL OR user_id = $3){}",
            <S::Tx as SqlConn>::DIALECT.for_update
        );
        let stmt = Stmt::new(sql).bind(scope.tenant_id.as_uuid()).bind(id.as_uuid()).bind(owner.map(|o| o.as_uuid()));
        let mut token = token_of(&tx.fetch_optional(stmt).await?.ok_or(StorageError::NotFound)?)?;
        if token.revoked_at.is_none() {
            token.revoked_at = Some(now);
            let revoke = Stmt::new("UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .bind(now);
            tx.execute(revoke).await?;
            audit::append(&mut tx, scope, &records::api_token_revoked(&token)).await?;
        }
        tx.commit().await?;
        Ok(token)
    }

    async fn api_token_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> StorageResult<Option<ApiTokenPrincipal>> {
        SqlReads::api_token_principal(self, token_hash, now).await
    }
}
