//! Who is asking with a session, on PostgreSQL: one call of `session_principal` (migration
//! 0013), which also touches the session's last-seen time.

use crate::{
    PgStore,
    rows::{db_error, ts},
};
use domain::{SessionId, Timestamp};
use sqlx::types::chrono::{DateTime, Utc};
use storage::{
    Activity, SESSION_TOUCH_SECS, Session, SessionPrincipal, StorageResult,
    records::{UserColumns, tenant_from_columns},
};
use uuid::Uuid;

pub async fn principal(
    store: &PgStore,
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
        .fetch_optional(store.pool())
        .await
        .map_err(db_error)?;
    row.map(PrincipalRow::into_principal).transpose()
}

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
