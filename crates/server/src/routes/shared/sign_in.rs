//! How every sign-in ends, whichever way the credentials were checked (a password or Entra ID):
//! the tenant signed in to, the session under the one-session rule, and who the user now is.

use super::wire;
use crate::{
    auth::{
        Principal,
        principal::Credential,
        session::{new_token, token_hash},
    },
    client_address::client_address,
    problem::{ApiError, ApiResult},
    state::AppState,
};
use actix_web::HttpRequest;
use api_types::Me;
use domain::{
    Area, FieldError, Timestamp, UserId, ValidationErrors,
    audit::{Actor, AuditEvent},
    tenant::{Tenant, TenantSlug},
};
use serde_json::json;
use storage::{NewSession, TenantScope};

/// Starts an interactive session for a user whose credentials were just checked (a password or
/// an Entra sign-in), under the tenant's one-session rule; a refusal is audited. Returns the
/// principal and the token for the session cookie.
pub async fn start_session(
    state: &AppState,
    req: &HttpRequest,
    tenant: Tenant,
    user_id: UserId,
    clears_failures_from: Option<String>,
) -> ApiResult<(Principal, String)> {
    let scope = TenantScope::new(tenant.id, Actor::User(user_id.as_uuid()));
    let now = Timestamp::now();
    let token = new_token();
    let from_address = client_address(req);
    let new = NewSession {
        user_id,
        token_hash: token_hash(&token),
        created_at: now,
        expires_at: now.plus_seconds(state.settings.session_absolute_secs),
        from_address: from_address.clone(),
        idle_timeout_secs: state.settings.session_idle_secs,
        clears_failures_from,
    };
    let hash = new.token_hash;
    let session = match state.store.start_session(&scope, new).await.map_err(ApiError::from) {
        Err(ApiError::SessionActiveElsewhere) => {
            let payload = json!({"reason": "session_active_elsewhere", "from": from_address});
            let event = AuditEvent::new("sign_in.refused", "user", user_id.as_uuid(), payload);
            state.store.record(&scope, event).await?;
            return Err(ApiError::SessionActiveElsewhere);
        }
        other => other?,
    };
    let signed_in = Credential::Session { token_hash: hash, id: session.id };
    let principal = Principal::load(state, tenant, session.user_id, signed_in).await?;
    Ok((principal, token))
}

/// The tenant to sign in to: the named organisation, or the only one. An unknown
/// organisation is treated like a wrong password, so sign-in does not reveal which exist.
pub async fn resolve_tenant(
    state: &AppState,
    organisation: Option<&str>,
    errors: &mut ValidationErrors,
) -> ApiResult<Option<Tenant>> {
    let organisation = organisation.map(str::trim).filter(|o| !o.is_empty());
    match organisation {
        Some(raw) => match TenantSlug::parse("organisation", raw) {
            Ok(slug) => Ok(state.store.tenant_by_slug(&slug).await?),
            Err(_) => Ok(None),
        },
        None => {
            let mut tenants = state.store.list_tenants().await?;
            if tenants.len() == 1 {
                return Ok(tenants.pop());
            }
            errors.push(FieldError::new("organisation", "required", "Enter your organisation"));
            Ok(None)
        }
    }
}

/// The signed-in user, their tenant, effective permissions and teams.
pub async fn me_of(state: &AppState, principal: &Principal) -> ApiResult<Me> {
    let teams = state.store.list_teams(&principal.scope()).await?;
    let team_ids =
        teams.iter().filter(|t| t.details.members.contains(&principal.user.id)).map(|t| t.id.as_uuid()).collect();
    Ok(Me {
        user: wire::user(&principal.user),
        tenant: wire::tenant(&principal.tenant),
        permissions: wire::permissions(&principal.permissions),
        queries_everywhere: wire::level(principal.permissions.unlimited_level(Area::Queries)),
        team_ids,
    })
}
