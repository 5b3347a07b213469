//! Who is asking, looked up in steps (the credential, touching its last use at most once a
//! minute, then tenant, user and grants): what a backend without a single-statement lookup of
//! its own answers (see [`super::reads::SqlReads`]).

use super::{
    SqlBackend, SqlConn, SqlRow, SqlTx, Stmt,
    tenants::{SELECT_TENANT, tenant_of},
    users::{grants_in, user_where},
};
use crate::{
    Activity, ApiTokenPrincipal, SESSION_TOUCH_SECS, Session, SessionPrincipal, StorageResult, TenantScope,
    records::ApiTokenColumns,
};
use domain::{
    Grant, SessionId, TenantId, Timestamp, UserId, api_token::ApiToken, audit::Actor, tenant::Tenant, user::User,
};

pub(super) fn token_of(row: &impl SqlRow) -> StorageResult<ApiToken> {
    ApiToken::try_from(ApiTokenColumns {
        id: row.uuid("id")?,
        user_id: row.uuid("user_id")?,
        name: row.text("name")?,
        scopes: row.text("scopes")?,
        created_at: row.time("created_at")?,
        expires_at: row.time("expires_at")?,
        last_used_at: row.opt_time("last_used_at")?,
        revoked_at: row.opt_time("revoked_at")?,
    })
}

/// The live token's principal, asked in steps (the token, touching its last use at most once
/// a minute, then tenant, user and grants): what a backend without a single-statement lookup
/// of its own answers.
pub async fn api_token_principal_in_steps<S: SqlBackend>(
    store: &S,
    token_hash: &[u8; 32],
    now: Timestamp,
) -> StorageResult<Option<ApiTokenPrincipal>> {
    let find = Stmt::new(
        "SELECT tenant_id, id, user_id, name, scopes, created_at, expires_at, last_used_at, revoked_at FROM api_tokens
         WHERE token_hash = $1 AND expires_at > $2 AND revoked_at IS NULL",
    )
    .bind(token_hash)
    .bind(now);
    let touch_before = now.plus_seconds(-SESSION_TOUCH_SECS);
    // A lone read and, at most once a minute, a lone guarded write: no writing transaction,
    // which on SQLite would queue every request on the database's write lock.
    let Some(row) = store.autocommit(find).await? else { return Ok(None) };
    let mut token = token_of(&row)?;
    if token.last_used_at.is_none_or(|used| used < touch_before) {
        let touch = Stmt::new(
            "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1 AND (last_used_at IS NULL OR last_used_at < $3)",
        )
        .bind(token_hash)
        .bind(now)
        .bind(touch_before);
        store.autocommit(touch).await?;
        token.last_used_at = Some(now);
    }
    let tenant_id = TenantId::from_uuid(row.uuid("tenant_id")?);
    let Some((tenant, user, grants)) = holder(store, tenant_id, token.user_id).await? else { return Ok(None) };
    Ok(Some(ApiTokenPrincipal { token, tenant, user, grants }))
}

/// The live session for this token; an active lookup refreshes last-seen when it is more than
/// `SESSION_TOUCH_SECS` old (guarded, so that of concurrent requests one writes).
async fn live_session<S: SqlBackend>(
    store: &S,
    token_hash: &[u8; 32],
    now: Timestamp,
    idle_timeout_secs: i64,
    activity: Activity,
) -> StorageResult<Option<Session>> {
    let find = Stmt::new(
        "SELECT id, tenant_id, user_id, from_address, created_at, expires_at, last_seen_at FROM sessions
         WHERE token_hash = $1 AND ended_at IS NULL AND expires_at > $2 AND last_seen_at > $3",
    )
    .bind(token_hash)
    .bind(now)
    .bind(now.plus_seconds(-idle_timeout_secs));
    // As for tokens: a lone read, and a lone guarded write when the session needs touching.
    let Some(row) = store.autocommit(find).await? else { return Ok(None) };
    let mut last_seen = row.time("last_seen_at")?;
    let touch_before = now.plus_seconds(-SESSION_TOUCH_SECS);
    if activity == Activity::Active && last_seen < touch_before {
        let touch = Stmt::new("UPDATE sessions SET last_seen_at = $2 WHERE token_hash = $1 AND last_seen_at < $3")
            .bind(token_hash)
            .bind(now)
            .bind(touch_before);
        store.autocommit(touch).await?;
        last_seen = now;
    }
    Ok(Some(Session {
        id: SessionId::from_uuid(row.uuid("id")?),
        tenant_id: TenantId::from_uuid(row.uuid("tenant_id")?),
        user_id: UserId::from_uuid(row.uuid("user_id")?),
        from_address: row.opt_text("from_address")?,
        created_at: row.time("created_at")?,
        last_seen_at: last_seen,
        expires_at: row.time("expires_at")?,
    }))
}

/// The session's principal, asked in steps (session, tenant, user, grants): what a backend
/// without a single-statement lookup of its own answers.
pub async fn session_principal_in_steps<S: SqlBackend>(
    store: &S,
    token_hash: &[u8; 32],
    now: Timestamp,
    idle_timeout_secs: i64,
    activity: Activity,
) -> StorageResult<Option<SessionPrincipal>> {
    let Some(session) = live_session(store, token_hash, now, idle_timeout_secs, activity).await? else {
        return Ok(None);
    };
    let Some((tenant, user, grants)) = holder(store, session.tenant_id, session.user_id).await? else {
        return Ok(None);
    };
    Ok(Some(SessionPrincipal { session, tenant, user, grants }))
}

/// The tenant, user and grants behind a credential, read in one transaction (one connection
/// and one snapshot for the three, as every request asks them).
async fn holder<S: SqlBackend>(
    store: &S,
    tenant_id: TenantId,
    user_id: UserId,
) -> StorageResult<Option<(Tenant, User, Vec<Grant>)>> {
    let mut tx = store.read(tenant_id).await?;
    let find_tenant = Stmt::new(format!("{SELECT_TENANT} WHERE id = $1")).bind(tenant_id.as_uuid());
    let Some(tenant) = tx.fetch_optional(find_tenant).await? else { return Ok(None) };
    let scope = TenantScope::new(tenant_id, Actor::User(user_id.as_uuid()));
    let Some(user) = user_where(&mut tx, &scope, user_id, false).await? else { return Ok(None) };
    let grants = grants_in(&mut tx, &scope, user_id).await?;
    tx.commit().await?;
    Ok(Some((tenant_of(&tenant)?, user, grants)))
}
