//! Interactive sessions on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::audit::Actor;
use domain::{
    SessionId, TenantId, Timestamp, UserId,
    access::{OneSessionPolicy, SessionEndReason},
};
use storage::{
    Activity, NewSession, SESSION_TOUCH_SECS, Session, SessionPrincipal, SessionRepo, StorageError, StorageResult,
    TenantRepo, TenantScope, UserRepo, records,
};
use uuid::Uuid;

#[async_trait]
impl SessionRepo for SqliteStore {
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session> {
        let tenant = scope.tenant_id.as_uuid();
        // IMMEDIATE: the write lock first, so two sign-ins at once cannot both pass the check.
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let policy: Option<String> = sqlx::query_scalar("SELECT one_session FROM tenant_settings WHERE tenant_id = ?1")
            .bind(tenant)
            .fetch_optional(&mut *tx)
            .await
            .map_err(db_error)?;
        let policy = policy.as_deref().and_then(OneSessionPolicy::parse).unwrap_or_default();
        let live = "tenant_id = ?1 AND user_id = ?2 AND ended_at IS NULL AND expires_at > ?3";
        if policy == OneSessionPolicy::Refuse {
            let idle_cutoff = new.created_at.plus_seconds(-new.idle_timeout_secs);
            let busy: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT count(*) FROM sessions WHERE {live} AND last_seen_at > ?4"
            )))
            .bind(tenant)
            .bind(new.user_id.as_uuid())
            .bind(new.created_at.as_micros())
            .bind(idle_cutoff.as_micros())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
            if busy > 0 {
                return Err(StorageError::Conflict { constraint: "session_active_elsewhere".into() });
            }
        }
        let ended: Vec<Uuid> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "UPDATE sessions SET ended_at = ?3, end_reason = 'signed_in_elsewhere' WHERE {live} RETURNING id"
        )))
        .bind(tenant)
        .bind(new.user_id.as_uuid())
        .bind(new.created_at.as_micros())
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        // Rows past their absolute expiry have nothing left to tell anyone.
        sqlx::query("DELETE FROM sessions WHERE tenant_id = ?1 AND user_id = ?2 AND expires_at <= ?3")
            .bind(tenant)
            .bind(new.user_id.as_uuid())
            .bind(new.created_at.as_micros())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        // A password that worked from a source: that source's count of wrong passwords starts
        // again (other sources' counts stand; they may be someone else guessing).
        if let Some(source) = &new.clears_failures_from {
            sqlx::query("DELETE FROM sign_in_failures WHERE tenant_id = ?1 AND user_id = ?2 AND source = ?3")
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
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, ?7)",
        )
        .bind(&new.token_hash[..])
        .bind(tenant)
        .bind(id.as_uuid())
        .bind(new.user_id.as_uuid())
        .bind(new.from_address.as_deref())
        .bind(new.created_at.as_micros())
        .bind(new.expires_at.as_micros())
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
            sqlx::query_scalar("SELECT end_reason FROM sessions WHERE token_hash = ?1 AND ended_at IS NOT NULL")
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
        let rows: Vec<(Uuid, Uuid, Option<String>, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, user_id, from_address, created_at, last_seen_at, expires_at FROM sessions
             WHERE tenant_id = ?1 AND ended_at IS NULL AND expires_at > ?2 AND last_seen_at > ?3
             ORDER BY last_seen_at DESC, id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(now.as_micros())
        .bind(now.plus_seconds(-idle_timeout_secs).as_micros())
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
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let user: Option<Uuid> = sqlx::query_scalar(
            "UPDATE sessions SET ended_at = ?3, end_reason = ?4
             WHERE tenant_id = ?1 AND id = ?2 AND ended_at IS NULL AND expires_at > ?3 RETURNING user_id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(now.as_micros())
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
        self.live_session(token_hash, now, idle_timeout_secs, Activity::Active).await
    }

    /// SQLite answers in-process, so the parts are asked in turn (each a cheap local call).
    async fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<SessionPrincipal>> {
        let Some(session) = self.live_session(token_hash, now, idle_timeout_secs, activity).await? else {
            return Ok(None);
        };
        let Some(tenant) = self.tenant_by_id(session.tenant_id).await? else { return Ok(None) };
        let scope = TenantScope::new(session.tenant_id, Actor::User(session.user_id.as_uuid()));
        let Some(user) = self.get_user(&scope, session.user_id).await? else { return Ok(None) };
        let grants = self.grants_of(&scope, user.id).await?;
        Ok(Some(SessionPrincipal { session, tenant, user, grants }))
    }

    async fn end_session(&self, scope: &TenantScope, token_hash: &[u8; 32]) -> StorageResult<()> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)?;
        let ended: Option<(Uuid, Uuid)> = sqlx::query_as(
            "UPDATE sessions SET ended_at = ?3, end_reason = 'signed_out'
             WHERE token_hash = ?1 AND tenant_id = ?2 AND ended_at IS NULL RETURNING user_id, id",
        )
        .bind(&token_hash[..])
        .bind(scope.tenant_id.as_uuid())
        .bind(Timestamp::now().as_micros())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?;
        if let Some((user_id, id)) = ended {
            audit::append(&mut tx, scope, &records::session_ended(user_id, id, SessionEndReason::SignedOut)).await?;
        }
        tx.commit().await.map_err(db_error)
    }
}

/// id, tenant, user, address, created, expires, last seen.
type LiveRow = (Uuid, Uuid, Uuid, Option<String>, i64, i64, i64);

impl SqliteStore {
    /// The live session for this token; an active lookup refreshes last-seen when it is more
    /// than `SESSION_TOUCH_SECS` old (guarded, so that of concurrent requests one writes).
    async fn live_session(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<Session>> {
        let idle_cutoff = now.plus_seconds(-idle_timeout_secs);
        let row: Option<LiveRow> = sqlx::query_as(
            "SELECT id, tenant_id, user_id, from_address, created_at, expires_at, last_seen_at FROM sessions
             WHERE token_hash = ?1 AND ended_at IS NULL AND expires_at > ?2 AND last_seen_at > ?3",
        )
        .bind(&token_hash[..])
        .bind(now.as_micros())
        .bind(idle_cutoff.as_micros())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        let Some((id, tenant_id, user_id, from_address, created_at, expires_at, mut last_seen)) = row else {
            return Ok(None);
        };
        let touch_before = now.plus_seconds(-SESSION_TOUCH_SECS);
        if activity == Activity::Active && ts(last_seen) < touch_before {
            sqlx::query("UPDATE sessions SET last_seen_at = ?2 WHERE token_hash = ?1 AND last_seen_at < ?3")
                .bind(&token_hash[..])
                .bind(now.as_micros())
                .bind(touch_before.as_micros())
                .execute(&self.pool)
                .await
                .map_err(db_error)?;
            last_seen = now.as_micros();
        }
        Ok(Some(Session {
            id: SessionId::from_uuid(id),
            tenant_id: TenantId::from_uuid(tenant_id),
            user_id: UserId::from_uuid(user_id),
            from_address,
            created_at: ts(created_at),
            last_seen_at: ts(last_seen),
            expires_at: ts(expires_at),
        }))
    }
}
