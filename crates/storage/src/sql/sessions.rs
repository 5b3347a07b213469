//! Interactive sessions (SEC-14: one per user by the tenant's policy).

use super::{SqlConn, SqlRow, SqlTx, Stmt, audit, reads::SqlReads};
use crate::{
    Activity, NewSession, Session, SessionPrincipal, SessionRepo, StorageError, StorageResult, TenantScope, records,
};
use async_trait::async_trait;
use domain::{
    SessionId, Timestamp, UserId,
    access::{OneSessionPolicy, SessionEndReason},
};

#[async_trait]
impl<S: SqlReads> SessionRepo for S {
    async fn start_session(&self, scope: &TenantScope, new: NewSession) -> StorageResult<Session> {
        let tenant = scope.tenant_id.as_uuid();
        let mut tx = self.write(scope.tenant_id).await?;
        // The user's sessions queue here, so two sign-ins at once cannot both pass the check.
        let lock = format!(
            "SELECT 1 AS found FROM users WHERE tenant_id = $1 AND id = $2{}",
            <S::Tx as SqlConn>::DIALECT.for_update
        );
        tx.fetch_optional(Stmt::new(lock).bind(tenant).bind(new.user_id.as_uuid())).await?;
        let policy = tx
            .fetch_optional(Stmt::new("SELECT one_session FROM tenant_settings WHERE tenant_id = $1").bind(tenant))
            .await?;
        let policy = policy.map(|row| row.text("one_session")).transpose()?;
        let policy = policy.as_deref().and_then(OneSessionPolicy::parse).unwrap_or_default();
        let live = "tenant_id = $1 AND user_id = $2 AND ended_at IS NULL AND expires_at > $3";
        if policy == OneSessionPolicy::Refuse {
            let busy = Stmt::new(format!("SELECT count(*) AS busy FROM sessions WHERE {live} AND last_seen_at > $4"))
                .bind(tenant)
                .bind(new.user_id.as_uuid())
                .bind(new.created_at)
                .bind(new.created_at.plus_seconds(-new.idle_timeout_secs));
            if tx.fetch_one(busy).await?.int("busy")? > 0 {
                return Err(domain::Conflict::SessionActiveElsewhere.into());
            }
        }
        let end_others = Stmt::new(format!(
            "UPDATE sessions SET ended_at = $3, end_reason = 'signed_in_elsewhere' WHERE {live} RETURNING id"
        ))
        .bind(tenant)
        .bind(new.user_id.as_uuid())
        .bind(new.created_at);
        let ended =
            tx.fetch_all(end_others).await?.iter().map(|row| row.uuid("id")).collect::<StorageResult<Vec<_>>>()?;
        // Rows past their absolute expiry have nothing left to tell anyone.
        let expired = Stmt::new("DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 AND expires_at <= $3")
            .bind(tenant)
            .bind(new.user_id.as_uuid())
            .bind(new.created_at);
        tx.execute(expired).await?;
        // A password that worked from a source: that source's count of wrong passwords starts
        // again (other sources' counts stand; they may be someone else guessing).
        if let Some(source) = &new.clears_failures_from {
            let clear = Stmt::new("DELETE FROM sign_in_failures WHERE tenant_id = $1 AND user_id = $2 AND source = $3")
                .bind(tenant)
                .bind(new.user_id.as_uuid())
                .bind(source);
            tx.execute(clear).await?;
        }
        let id = SessionId::new();
        let insert = Stmt::new(
            "INSERT INTO sessions (token_hash, tenant_id, id, user_id, from_address, created_at, last_seen_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)",
        )
        .bind(&new.token_hash)
        .bind(tenant)
        .bind(id.as_uuid())
        .bind(new.user_id.as_uuid())
        .bind(&new.from_address)
        .bind(new.created_at)
        .bind(new.expires_at);
        tx.execute(insert).await?;
        for event in records::sessions_replaced(new.user_id, &ended) {
            audit::append(&mut tx, scope, &event).await?;
        }
        let ended = u64::try_from(ended.len()).unwrap_or_default();
        audit::append(&mut tx, scope, &records::session_started(&new, id, ended)).await?;
        tx.commit().await?;
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
        let stmt = Stmt::new("SELECT end_reason FROM sessions WHERE token_hash = $1 AND ended_at IS NOT NULL")
            .bind(token_hash);
        let mut tx = self.read_unscoped().await?;
        let row = tx.fetch_optional(stmt).await?;
        tx.commit().await?;
        let reason = row.map(|row| row.opt_text("end_reason")).transpose()?.flatten();
        Ok(reason.as_deref().and_then(SessionEndReason::parse))
    }

    async fn live_sessions(
        &self,
        scope: &TenantScope,
        now: Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Vec<Session>> {
        let stmt = Stmt::new(
            "SELECT id, user_id, from_address, created_at, last_seen_at, expires_at FROM sessions
             WHERE tenant_id = $1 AND ended_at IS NULL AND expires_at > $2 AND last_seen_at > $3
             ORDER BY last_seen_at DESC, id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(now)
        .bind(now.plus_seconds(-idle_timeout_secs));
        let mut tx = self.read(scope.tenant_id).await?;
        let rows = tx.fetch_all(stmt).await?;
        tx.commit().await?;
        rows.iter()
            .map(|row| {
                Ok(Session {
                    id: SessionId::from_uuid(row.uuid("id")?),
                    tenant_id: scope.tenant_id,
                    user_id: UserId::from_uuid(row.uuid("user_id")?),
                    from_address: row.opt_text("from_address")?,
                    created_at: row.time("created_at")?,
                    last_seen_at: row.time("last_seen_at")?,
                    expires_at: row.time("expires_at")?,
                })
            })
            .collect()
    }

    async fn end_session_by_id(
        &self,
        scope: &TenantScope,
        id: SessionId,
        now: Timestamp,
        reason: SessionEndReason,
    ) -> StorageResult<()> {
        let end = Stmt::new(
            "UPDATE sessions SET ended_at = $3, end_reason = $4
             WHERE tenant_id = $1 AND id = $2 AND ended_at IS NULL AND expires_at > $3 RETURNING user_id",
        )
        .bind(scope.tenant_id.as_uuid())
        .bind(id.as_uuid())
        .bind(now)
        .bind(reason.as_str());
        let mut tx = self.write(scope.tenant_id).await?;
        let user = tx.fetch_optional(end).await?.ok_or(StorageError::NotFound)?.uuid("user_id")?;
        audit::append(&mut tx, scope, &records::session_ended(user, id.as_uuid(), reason)).await?;
        tx.commit().await
    }

    async fn session_by_token(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
    ) -> StorageResult<Option<Session>> {
        let found = SqlReads::session_principal(self, token_hash, now, idle_timeout_secs, Activity::Active).await?;
        Ok(found.map(|principal| principal.session))
    }

    async fn session_principal(
        &self,
        token_hash: &[u8; 32],
        now: Timestamp,
        idle_timeout_secs: i64,
        activity: Activity,
    ) -> StorageResult<Option<SessionPrincipal>> {
        SqlReads::session_principal(self, token_hash, now, idle_timeout_secs, activity).await
    }

    async fn end_session(&self, scope: &TenantScope, token_hash: &[u8; 32]) -> StorageResult<()> {
        let end = Stmt::new(
            "UPDATE sessions SET ended_at = $3, end_reason = 'signed_out'
             WHERE token_hash = $1 AND tenant_id = $2 AND ended_at IS NULL RETURNING user_id, id",
        )
        .bind(token_hash)
        .bind(scope.tenant_id.as_uuid())
        .bind(Timestamp::now());
        let mut tx = self.write(scope.tenant_id).await?;
        if let Some(row) = tx.fetch_optional(end).await? {
            let event = records::session_ended(row.uuid("user_id")?, row.uuid("id")?, SessionEndReason::SignedOut);
            audit::append(&mut tx, scope, &event).await?;
        }
        tx.commit().await
    }
}
