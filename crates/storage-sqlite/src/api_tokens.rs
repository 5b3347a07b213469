//! Personal API tokens on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{ApiTokenId, Timestamp, UserId, api_token::ApiToken, audit::Actor};
use storage::{
    ApiTokenPrincipal, ApiTokenRepo, NewApiToken, SESSION_TOUCH_SECS, StorageError, StorageResult, TenantRepo,
    TenantScope, UserRepo,
    records::{self, ApiTokenColumns},
};
use uuid::Uuid;

type TokenRow = (Uuid, Uuid, String, String, i64, i64, Option<i64>, Option<i64>);

const TOKEN_COLUMNS: &str = "id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at";

fn token_from(row: TokenRow) -> StorageResult<ApiToken> {
    let (id, user_id, name, scopes, created, expires, used, revoked) = row;
    ApiToken::try_from(ApiTokenColumns {
        id,
        user_id,
        name,
        scopes,
        created_at: ts(created),
        expires_at: ts(expires),
        last_used_at: used.map(ts),
        revoked_at: revoked.map(ts),
    })
}

#[async_trait]
impl ApiTokenRepo for SqliteStore {
    async fn create_api_token(
        &self,
        scope: &TenantScope,
        new: NewApiToken,
        from: Option<&str>,
    ) -> StorageResult<ApiToken> {
        let token = records::new_api_token(&new);
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, tenant_id, id, user_id, name, scopes, created_at, expires_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        )
        .bind(&new.token_hash[..])
        .bind(scope.tenant_id.as_uuid())
        .bind(token.id.as_uuid())
        .bind(token.user_id.as_uuid())
        .bind(&token.name)
        .bind(records::scopes_text(&token.scopes))
        .bind(token.created_at.as_micros())
        .bind(token.expires_at.as_micros())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::api_token_created(&token, from)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(token)
    }

    async fn api_tokens(&self, scope: &TenantScope, owner: Option<UserId>) -> StorageResult<Vec<ApiToken>> {
        let rows: Vec<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens
             WHERE tenant_id = ?1 AND (?2 IS NULL OR user_id = ?2) ORDER BY id DESC"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(owner.map(|o| o.as_uuid()))
        .fetch_all(self.pool())
        .await
        .map_err(db_error)?;
        rows.into_iter().map(token_from).collect()
    }

    async fn revoke_api_token(
        &self,
        scope: &TenantScope,
        id: ApiTokenId,
        owner: Option<UserId>,
        now: Timestamp,
    ) -> StorageResult<ApiToken> {
        let mut tx = self.pool().begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens WHERE tenant_id = ?1 AND id = ?2 AND (?3 IS NULL OR user_id = ?3)"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(owner.map(|o| o.as_uuid()))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let mut token = token_from(row.ok_or(StorageError::NotFound)?)?;
        if token.revoked_at.is_none() {
            token.revoked_at = Some(now);
            sqlx::query("UPDATE api_tokens SET revoked_at = ?3 WHERE tenant_id = ?1 AND id = ?2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .bind(now.as_micros())
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            audit::append(&mut tx, scope, &records::api_token_revoked(&token)).await?;
        }
        tx.commit().await.map_err(db_error)?;
        Ok(token)
    }

    async fn api_token_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
    ) -> StorageResult<Option<ApiTokenPrincipal>> {
        let row: Option<(Uuid, Uuid, Uuid, String, String, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT tenant_id, id, user_id, name, scopes, created_at, expires_at, last_used_at FROM api_tokens
             WHERE token_hash = ?1 AND expires_at > ?2 AND revoked_at IS NULL",
        )
        .bind(&token_hash[..])
        .bind(now.as_micros())
        .fetch_optional(self.pool())
        .await
        .map_err(db_error)?;
        let Some((tenant_id, id, owner, name, scopes, created, expires, mut used)) = row else { return Ok(None) };
        let touch_before = now.plus_seconds(-SESSION_TOUCH_SECS);
        if used.is_none_or(|u| ts(u) < touch_before) {
            sqlx::query(
                "UPDATE api_tokens SET last_used_at = ?2
                 WHERE token_hash = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)",
            )
            .bind(&token_hash[..])
            .bind(now.as_micros())
            .bind(touch_before.as_micros())
            .execute(self.pool())
            .await
            .map_err(db_error)?;
            used = Some(now.as_micros());
        }
        let tenant_id = domain::TenantId::from_uuid(tenant_id);
        let Some(tenant) = self.tenant_by_id(tenant_id).await? else { return Ok(None) };
        let owner = UserId::from_uuid(owner);
        let scope = TenantScope::new(tenant_id, Actor::User(owner.as_uuid()));
        let Some(user) = self.get_user(&scope, owner).await? else { return Ok(None) };
        let grants = self.grants_of(&scope, user.id).await?;
        let token = ApiToken::try_from(ApiTokenColumns {
            id,
            user_id: owner.as_uuid(),
            name,
            scopes,
            created_at: ts(created),
            expires_at: ts(expires),
            last_used_at: used.map(ts),
            revoked_at: None,
        })?;
        Ok(Some(ApiTokenPrincipal { token, tenant, user, grants }))
    }
}
