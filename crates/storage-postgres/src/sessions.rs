//! Interactive sessions on PostgreSQL.

use crate::{
    PgStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::{
    SessionId, Timestamp, UserId,
    access::{OneSessionPolicy, SessionEndReason},
};
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    Activity, NewSession, SESSION_TOUCH_SECS, Session, SessionPrincipal, SessionRepo, StorageError, StorageResult,
    TenantScope,
    records::{self, UserColumns, tenant_from_columns},
};
use uuid::Uuid;

#[async_trait]
impl SessionRepo for PgStore {
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        // The user's sessions queue here, so two sign-ins at once cannot both pass the check.
        sqlx::query("SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 FOR UPDATE")
            .bind(tenant)
            .bind(new.user_id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        let policy: Option<String> = sqlx::query_scalar("SELECT one_session FROM tenant_settings WHERE tenant_id = $1")
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
        let policy = policy.as_deref().and_then(OneSessionPolicy::parse).unwrap_or_default();
        let live = "tenant_id = $1 AND user_id = $2 AND ended_at IS NULL AND expires_at > $3";
        if policy == OneSessionPolicy::Refuse {
            let idle_cutoff = new.created_at.plus_seconds(-new.idle_timeout_secs);
            let busy: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM sessions WHERE {live} AND last_seen_at > $4"
            )))
            .bind(tenant)
            .bind(new.user_id.as_uuid())
            .bind(new.created_at.as_datetime())
            .bind(idle_cutoff.as_datetime())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            if busy > 0 {
                return Err(StorageError::Conflict { constraint: "session_active_elsewhere".into() });
            }
        }
        let ended: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "UPDATE sessions SET ended_at = $3, end_reason = 'signed_in_elsewhere' WHERE {live} RETURNING id"
        )))
        .bind(tenant)
        .bind(new.user_id.as_uuid())
        .bind(new.created_at.as_datetime())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        // Rows past their absolute expiry have nothing left to tell anyone.
        sqlx::query("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND expires_at <= $3")
            .bind(tenant)
            .bind(new.user_id.as_uuid())
            .bind(new.created_at.as_datetime())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        // A password that worked from a source: that source's count of wrong passwords starts
        // again (other sources' counts stand; they may be someone else guessing).
        if let Some(source) = &new.clears_failures_from {
            sqlx::query("DELETE FROM sign_in_failures WHERE tenant_id = $1 AND user_id = $2 AND source = $3")
                .bind(tenant)
                .bind(new.user_id.as_uuid())
                .bind(source)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        let id = SessionId::new();
        sqlx::query(
            "INSERT INTO sessions (token_hash, tenant_id, id, user_id, from_address, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
        )
        .bind(&new.token_hash[..])
        .bind(tenant)
        .bind(id.as_uuid())
        .bind(new.user_id.as_uuid())
        .bind(new.from_address.as_deref())
        .bind(new.created_at.as_datetime())
        .bind(new.expires_at.as_datetime())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        for event in records::sessions_replaced(new.user_id, &ended) {
            audit::append(&mut tx, scope, &event).await?;
        }
        let ended = u64::try_from(ended.len()).unwrap_or_default();
        audit::append(&mut tx, scope, &records::session_started(&new, id, ended)).await?;
        tx.commit().await.map_err(db_error)?;
        Ok(Session {
            id,
            tenant_id: scope.tenant_id,
            user_id: new.user_id,
            from_address: new.from_address,
            created_at: new.created_at,
            last_seen_at: new.created_at,
            expires_at: new.expires_at,
        })
    }

    async fn session_end_reason(&self, token_hash: &[u8; 32]) -> StorageResult<Option<SessionEndReason>> {
        let reason: Option<Option<String>> =
            sqlx::query_scalar("SELECT end_reason FROM sessions WHERE token_hash = $1 AND ended_at IS NOT NULL")
                .bind(&token_hash[..])
                .fetch_optional(&self.pool)
                .await
                .map_err(db_error)?;
        Ok(reason.flatten().as_deref().and_then(SessionEndReason::parse))
    }

    async fn live_sessions(
        &self,
        scope: &TenantScope,
        now: Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Vec<Session>> {
        let rows: Vec<SessionRow> = sqlx::query_as(
            "SELECT id, user_id, from_address, created_at, last_seen_at, expires_at FROM sessions
             WHERE tenant_id = $1 AND ended_at IS NULL AND expires_at > $2 AND last_seen_at > $3
             ORDER BY last_seen_at DESC, id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(now.as_datetime())
        .bind(now.plus_seconds(-idle_timeout_secs).as_datetime())
        .fetch_all(&self.pool)
        .await
        .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(id, user_id, from_address, created, seen, expires)| Session {
                id: SessionId::from_uuid(id),
                tenant_id: scope.tenant_id,
                user_id: UserId::from_uuid(user_id),
                from_address,
                created_at: ts(created),
                last_seen_at: ts(seen),
                expires_at: ts(expires),
            })
            .collect())
    }

    async fn end_session_by_id(
        &self,
        scope: &TenantScope,
        id: SessionId,
        now: Timestamp,
        reason: SessionEndReason,
    ) -> StorageResult<()> {
        let mut tx = self.begin_scoped(scope.tenant_id).await?;
        let user: Option<Uuid> = sqlx::query_scalar(
            "UPDATE sessions SET ended_at = $3, end_reason = $4
             WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL AND expires_at > $3 RETURNING user_id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(now.as_datetime())
        .bind(reason.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        let user = user.ok_or(StorageError::NotFound)?;
        audit::append(&mut tx, scope, &records::session_ended(user, id.as_uuid(), reason)).await?;
        tx.commit().await.map_err(db_error)
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
        let ended: Option<(Uuid, Uuid)> = sqlx::query_as(
            "UPDATE sessions SET ended_at = $3, end_reason = 'signed_out'
             WHERE token_hash = $1 AND tenant_id = $2 AND ended_at IS NULL RETURNING user_id, id",
        )
        .bind(&token_hash[..])
        .bind(scope.tenant_id.as_uuid())
        .bind(Timestamp::now().as_datetime())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        if let Some((user_id, id)) = ended {
            audit::append(&mut tx, scope, &records::session_ended(user_id, id, SessionEndReason::SignedOut)).await?;
        }
        tx.commit().await.map_err(db_error)
    }
}

type SessionRow = (Uuid, Uuid, Option<String>, DateTime<Utc>, DateTime<Utc>, DateTime<Utc>);

/// A row of the `session_principal` function (migration 0013).
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    session_id: Uuid,
    session_from_address: Option<String>,
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
    grant_own_teams: Vec<bool>,
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
            .zip(&self.grant_own_teams)
            .map(|((a, l), own_teams)| storage::sql::users::grant(a, l, *own_teams))
            .collect::<StorageResult<_>>()?;
        let session = Session {
            id: SessionId::from_uuid(self.session_id),
            tenant_id: tenant.id,
            user_id: user.id,
            from_address: self.session_from_address,
            created_at: ts(self.session_created_at),
            last_seen_at: ts(self.session_last_seen_at),
            expires_at: ts(self.session_expires_at),
        };
        Ok(SessionPrincipal { session, tenant, user, grants })
    }
}
