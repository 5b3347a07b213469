//! Interactive sessions on SQLite.

use crate::{
    SqliteStore, audit,
    rows::{db_error, ts},
};
use async_trait::async_trait;
use domain::audit::Actor;
use domain::{TenantId, Timestamp, UserId};
use storage::{
    Activity, NewSession, SESSION_TOUCH_SECS, Session, SessionPrincipal, SessionRepo, StorageResult, TenantRepo,
    TenantScope, UserRepo, records,
};
use uuid::Uuid;

#[async_trait]
impl SessionRepo for SqliteStore {
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session> {
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let ended = sqlx::query("DELETE FROM sessions WHERE tenant_id = ?1 AND user_id = ?2")
            .bind(scope.tenant_id.as_uuid())
            .bind(new.user_id.as_uuid())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?
            .rows_affected();
        // A session started is a sign-in that worked: the count of failed passwords starts again.
        sqlx::query(
            "UPDATE identities SET failed_attempts = 0 WHERE tenant_id = ?1 AND user_id = ?2 AND failed_attempts > 0",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(new.user_id.as_uuid())
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, tenant_id, user_id, created_at_us, last_seen_at_us, expires_at_us)
             VALUES (?1, ?2, ?3, ?4, ?4, ?5)",
        )
        .bind(&new.token_hash[..])
        .bind(scope.tenant_id.as_uuid())
        .bind(new.user_id.as_uuid())
        .bind(new.created_at.as_micros())
        .bind(new.expires_at.as_micros())
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
        let mut tx = self.pool.begin().await.map_err(db_error)?;
        let user: Option<Uuid> =
            sqlx::query_scalar("DELETE FROM sessions WHERE token_hash = ?1 AND tenant_id = ?2 RETURNING user_id")
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
        let row: Option<(Uuid, Uuid, i64, i64, i64)> = sqlx::query_as(
            "SELECT tenant_id, user_id, created_at_us, expires_at_us, last_seen_at_us FROM sessions
             WHERE token_hash = ?1 AND expires_at_us > ?2 AND last_seen_at_us > ?3",
        )
        .bind(&token_hash[..])
        .bind(now.as_micros())
        .bind(idle_cutoff.as_micros())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_error)?;
        let Some((tenant_id, user_id, created_at, expires_at, mut last_seen)) = row else { return Ok(None) };
        let touch_before = now.plus_seconds(-SESSION_TOUCH_SECS);
        if activity == Activity::Active && ts(last_seen) < touch_before {
            sqlx::query("UPDATE sessions SET last_seen_at_us = ?2 WHERE token_hash = ?1 AND last_seen_at_us < ?3")
                .bind(&token_hash[..])
                .bind(now.as_micros())
                .bind(touch_before.as_micros())
                .execute(&self.pool)
                .await
                .map_err(db_error)?;
            last_seen = now.as_micros();
        }
        Ok(Some(Session {
            tenant_id: TenantId::from_uuid(tenant_id),
            user_id: UserId::from_uuid(user_id),
            created_at: ts(created_at),
            last_seen_at: ts(last_seen),
            expires_at: ts(expires_at),
        }))
    }
}
