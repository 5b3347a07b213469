//! Interactive sessions on PostgreSQL.

use crate::{
    PgStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::Timestamp;
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    Activity, NewSession, SESSION_TOUCH_SECS, Session, SessionPrincipal, SessionRepo, StorageResult, TenantScope,
    records::{self, UserColumns, tenant_from_columns},
};
use uuid::Uuid;

#[async_trait]
impl SessionRepo for PgStore {
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let ended = sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2")
            .bind(scope.tenant_id.as_uuid())
            .bind(new.user_id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        // A session started is a sign-in that worked: the count of failed passwords starts again.
        sqlx::query(
            "UPDATE identities SET failed_attempts = 0 WHERE tenant_id = $1 AND user_id = $2 AND failed_attempts > 0",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(new.user_id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, tenant_id, user_id, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $4, $5)",
        )
        .bind(&new.token_hash[..])
        .bind(scope.tenant_id.as_uuid())
        .bind(new.user_id.as_uuid())
        .bind(new.created_at.as_datetime())
        .bind(new.expires_at.as_datetime())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        audit::append(&mut tx, scope, &records::session_started(new.user_id, ended, new.expires_at)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Session {
            tenant_id: scope.tenant_id,
            user_id: new.user_id,
            created_at: new.created_at,
            last_seen_at: new.created_at,
            expires_at: new.expires_at,
        })
    }

    async fn session_by_token(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Option<Session>> {
        let found = self.session_principal(token_hash, now, idle_timeout_secs, Activity::Active).await?;
        Ok(found.map(|principal| principal.session))
    }

    async fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<SessionPrincipal>> {
        // A passive lookup names a "touch before" no session can be older than.
        let touch_before = match activity {
            Activity::Active => now.plus_seconds(-SESSION_TOUCH_SECS),
            Activity::Passive => Timestamp::from_micros(0),
        };
        let row: Option<PrincipalRow> = sqlx::query_as("SELECT * FROM session_principal($1, $2, $3, $4)")
            .bind(&token_hash[..])
            .bind(now.as_datetime())
            .bind(now.plus_seconds(-idle_timeout_secs).as_datetime())
            .bind(touch_before.as_datetime())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_error)?;
        row.map(PrincipalRow::into_principal).transpose()
    }

    async fn end_session(&self, scope: &TenantScope, token_hash: &[u8; 32]) -> StorageResult<()> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let user: Option<Uuid> =
            sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = $1 AND tenant_id = $2 RETURNING user_id")
                .bind(&token_hash[..])
                .bind(scope.tenant_id.as_uuid())
                .fetch_optional(&mut *tx)
                .await
                .map_err(db_error)?;
        if let Some(user_id) = user {
            audit::append(&mut tx, scope, &records::session_ended(user_id)).await?;
        }
        tx.commit().await.map_err(db_error)
    }
}

/// A row of the `session_principal` function (migration 0010).
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    session_created_at: DateTime<Utc>,
    session_expires_at: DateTime<Utc>,
    session_last_seen_at: DateTime<Utc>,
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
}

impl PrincipalRow {
    fn into_principal(self) -> StorageResult<SessionPrincipal> {
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
            .map(|(a, l)| crate::users::grant(a, l))
            .collect::<StorageResult<_>>()?;
        let session = Session {
            tenant_id: tenant.id,
            user_id: user.id,
            created_at: ts(self.session_created_at),
            last_seen_at: ts(self.session_last_seen_at),
            expires_at: ts(self.session_expires_at),
        };
        Ok(SessionPrincipal { session, tenant, user, grants })
    }
}
