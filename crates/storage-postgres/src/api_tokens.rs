//! Personal API tokens on PostgreSQL.

use crate::{
    PgStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{ApiTokenId, Timestamp, UserId, api_token::ApiToken};
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    ApiTokenPrincipal, ApiTokenRepo, NewApiToken, SESSION_TOUCH_SECS, StorageError, StorageResult, TenantScope,
    records::{self, ApiTokenColumns, UserColumns, tenant_from_columns},
};
use uuid::Uuid;

type TokenRow =
    (Uuid, Uuid, String, String, DateTime<Utc>, DateTime<Utc>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

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
impl ApiTokenRepo for PgStore {
    async fn create_api_token(
        &self,
        scope: &TenantScope,
        new: NewApiToken,
        from: Option<&str>,
    ) -> StorageResult<ApiToken> {
        let token = records::new_api_token(&new);
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, tenant_id, id, user_id, name, scopes, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&new.token_hash[..])
        .bind(scope.tenant_id.as_uuid())
        .bind(token.id.as_uuid())
        .bind(token.user_id.as_uuid())
        .bind(&token.name)
        .bind(records::scopes_text(&token.scopes))
        .bind(token.created_at.as_datetime())
        .bind(token.expires_at.as_datetime())
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
             WHERE tenant_id = $1 AND ($2::uuid IS NULL OR user_id = $2) ORDER BY id DESC"
        )))
        .bind(scope.tenant_id.as_uuid())
        .bind(owner.map(|o| o.as_uuid()))
        .fetch_all(&self.pool)
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
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let row: Option<TokenRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {TOKEN_COLUMNS} FROM api_tokens
             WHERE tenant_id = $1 AND id = $2 AND ($3::uuid IS NULL OR user_id = $3) FOR UPDATE"
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
            sqlx::query("UPDATE api_tokens SET revoked_at = $3 WHERE tenant_id = $1 AND id = $2")
                .bind(scope.tenant_id.as_uuid())
                .bind(id.as_uuid())
                .bind(now.as_datetime())
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
        let row: Option<PrincipalRow> = sqlx::query_as("SELECT * FROM api_token_principal($1, $2, $3)")
            .bind(&token_hash[..])
            .bind(now.as_datetime())
            .bind(now.plus_seconds(-SESSION_TOUCH_SECS).as_datetime())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        row.map(PrincipalRow::into_principal).transpose()
    }
}

#[derive(sqlx::FromRow)]
struct PrincipalRow {
    token_id: Uuid,
    token_name: String,
    token_scopes: String,
    token_created_at: DateTime<Utc>,
    token_expires_at: DateTime<Utc>,
    token_last_used_at: Option<DateTime<Utc>>,
    tenant_id: Uuid,
    tenant_slug: String,
    tenant_name: String,
    tenant_created_at: DateTime<Utc>,
    user_id: Uuid,
    email: String,
    display_name: String,
    status: String,
    version: i64,
    user_created_at: DateTime<Utc>,
    user_updated_at: DateTime<Utc>,
    grant_areas: Vec<String>,
    grant_levels: Vec<String>,
    grant_own_teams: Vec<bool>,
}

impl PrincipalRow {
    fn into_principal(self) -> StorageResult<ApiTokenPrincipal> {
        let tenant =
            tenant_from_columns(self.tenant_id, &self.tenant_slug, &self.tenant_name, ts(self.tenant_created_at))?;
        let user = domain::user::User::try_from(UserColumns {
            tenant_id: self.tenant_id,
            id: self.user_id,
            email: self.email,
            display_name: self.display_name,
            status: self.status,
            version: self.version,
            created_at: ts(self.user_created_at),
            updated_at: ts(self.user_updated_at),
        })?;
        let grants = self
            .grant_areas
            .iter()
            .zip(&self.grant_levels)
            .zip(&self.grant_own_teams)
            .map(|((a, l), own_teams)| storage::sql::users::grant(a, l, *own_teams))
            .collect::<StorageResult<_>>()?;
        let token = ApiToken::try_from(ApiTokenColumns {
            id: self.token_id,
            user_id: self.user_id,
            name: self.token_name,
            scopes: self.token_scopes,
            created_at: ts(self.token_created_at),
            expires_at: ts(self.token_expires_at),
            last_used_at: self.token_last_used_at.map(ts),
            revoked_at: None,
        })?;
        Ok(ApiTokenPrincipal { token, tenant, user, grants })
    }
}
