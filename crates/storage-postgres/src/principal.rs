//! Who is asking, on PostgreSQL: one call of `session_principal` (migration 0013) or
//! `api_token_principal` (0017), which also touches the session's or token's last use. Their
//! rows share the tenant, user and grant columns.

use crate::{
    PgStore,
    errors::db_error,
    glue::{Row, statement},
};
use domain::{Grant, SessionId, Timestamp, api_token::ApiToken, tenant::Tenant, user::User};
use storage::{
    Activity, ApiTokenPrincipal, SESSION_TOUCH_SECS, Session, SessionPrincipal, StorageResult,
    records::{ApiTokenColumns, UserColumns, tenant_from_columns},
    sql::{SqlRow, Stmt},
};

/// The tenant, user and grants of a principal row.
fn who(row: &Row) -> StorageResult<(Tenant, User, Vec<Grant>)> {
    let tenant_id = row.uuid("tenant_id")?;
    let tenant = tenant_from_columns(
        tenant_id,
        &row.text("tenant_slug")?,
        &row.text("tenant_name")?,
        row.time("tenant_created_at")?,
    )?;
    let user = User::try_from(UserColumns {
        tenant_id,
        id: row.uuid("user_id")?,
        email: row.text("email")?,
        display_name: row.text("display_name")?,
        status: row.text("status")?,
        version: row.int("version")?,
        created_at: row.time("user_created_at")?,
        updated_at: row.time("user_updated_at")?,
    })?;
    let own_teams: Vec<bool> = sqlx::Row::try_get(&row.0, "grant_own_teams").map_err(db_error)?;
    let grants = row
        .text_list("grant_areas")?
        .iter()
        .zip(&row.text_list("grant_levels")?)
        .zip(&own_teams)
        .map(|((area, level), own_teams)| storage::sql::users::grant(area, level, *own_teams))
        .collect::<StorageResult<_>>()?;
    Ok((tenant, user, grants))
}

async fn principal_row(store: &PgStore, stmt: Stmt) -> StorageResult<Option<Row>> {
    Ok(statement(stmt).fetch_optional(store.pool()).await.map_err(db_error)?.map(Row))
}

pub async fn of_session(
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
    let stmt = Stmt::new("SELECT * FROM session_principal($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(now)
        .bind(now.plus_seconds(-idle_timeout_secs))
        .bind(touch_before);
    let Some(row) = principal_row(store, stmt).await? else { return Ok(None) };
    let (tenant, user, grants) = who(&row)?;
    let session = Session {
        id: SessionId::from_uuid(row.uuid("session_id")?),
        tenant_id: tenant.id,
        user_id: user.id,
        from_address: row.opt_text("session_from_address")?,
        created_at: row.time("session_created_at")?,
        last_seen_at: row.time("session_last_seen_at")?,
        expires_at: row.time("session_expires_at")?,
    };
    Ok(Some(SessionPrincipal { session, tenant, user, grants }))
}

pub async fn of_api_token(
    store: &PgStore,
    token_hash: &[u8; 32],
    now: Timestamp,
) -> StorageResult<Option<ApiTokenPrincipal>> {
    let stmt = Stmt::new("SELECT * FROM api_token_principal($1, $2, $3)")
        .bind(token_hash)
        .bind(now)
        .bind(now.plus_seconds(-SESSION_TOUCH_SECS));
    let Some(row) = principal_row(store, stmt).await? else { return Ok(None) };
    let (tenant, user, grants) = who(&row)?;
    let token = ApiToken::try_from(ApiTokenColumns {
        id: row.uuid("token_id")?,
        user_id: user.id.as_uuid(),
        name: row.text("token_name")?,
        scopes: row.text("token_scopes")?,
        created_at: row.time("token_created_at")?,
        expires_at: row.time("token_expires_at")?,
        last_used_at: row.opt_time("token_last_used_at")?,
        revoked_at: None,
    })?;
    Ok(Some(ApiTokenPrincipal { token, tenant, user, grants }))
}
