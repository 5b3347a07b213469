//! Who is asking with an API token, on PostgreSQL: one call of `api_token_principal`
//! (migration 0017), which also touches the token's last use.

use crate::{
    PgStore,
    rows::{db_error, ts},
};
use domain::{Timestamp, api_token::ApiToken};
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    ApiTokenPrincipal, SESSION_TOUCH_SECS, StorageResult,
    records::{ApiTokenColumns, UserColumns, tenant_from_columns},
};
use uuid::Uuid;

pub async fn principal(
    store: &PgStore,
    token_hash: &[u8; 32],
    now: Timestamp,
) -> StorageResult<Option<ApiTokenPrincipal>> {
    let row: Option<PrincipalRow> = sqlx::query_as("SELECT * FROM api_token_principal($1, $2, $3)")
        .bind(&token_hash[..])
        .bind(now.as_datetime())
        .bind(now.plus_seconds(-SESSION_TOUCH_SECS).as_datetime())
        .fetch_optional(store.pool())
        .await
        .map_err(db_error)?;
    row.map(PrincipalRow::into_principal).transpose()
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
