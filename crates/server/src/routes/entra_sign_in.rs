//! "Sign in with Microsoft": the server side of the authorisation-code flow. The browser is
//! sent to Entra and back; every token stays on the server, and the browser ends up with the
//! same session cookie a password sign-in gives. Errors come back as a redirect to the sign-in
//! page with a code the SPA explains, since the browser is navigating, not calling an API.

use crate::{
    auth::{
        entra::{EntraError, sign_in_person},
        session::{session_cookie, token_hash},
    },
    client_address::client_address,
    problem::ApiError,
    routes::shared::sign_in::{resolve_tenant, start_session},
    state::AppState,
};
use actix_web::web;
use actix_web::{
    HttpRequest, HttpResponse,
    cookie::{Cookie, SameSite, time::Duration},
    get,
    http::header,
};
use domain::{Timestamp, ValidationErrors, audit::AuditEvent, tenant::Tenant, user::UserStatus};
use serde::Deserialize;
use serde_json::json;
use storage::{PendingEntraSignIn, TenantScope};
use utoipa::IntoParams;

/// Holds the `state` between leaving for Entra and coming back. SameSite=Lax, because the
/// return is a top-level navigation from Entra's site, which a Strict cookie would not join.
const STATE_COOKIE: &str = "__Host-casedesk_entra_state";
/// How long someone may take at Entra's sign-in page.
const SIGN_IN_WINDOW_SECS: i64 = 600;

#[derive(Debug, Deserialize, IntoParams)]
pub struct StartParams {
    /// The organisation's short name; needed only when there are several.
    organisation: Option<String>,
    /// The address typed on the sign-in page, passed on to pre-fill Entra's.
    login_hint: Option<String>,
    /// A path in this app to open afterwards (default `/`).
    return_to: Option<String>,
}

/// Sends the browser to the organisation's Entra ID to sign in (authorisation code + PKCE).
#[utoipa::path(tag = "auth", params(StartParams), responses(
    (status = SEE_OTHER, description = "To Entra ID's sign-in page; or back to /sign-in?error=… if Entra ID is not set up or cannot be reached"),
))]
#[get("/auth/entra/start")]
pub async fn start_entra_sign_in(state: web::Data<AppState>, params: web::Query<StartParams>) -> HttpResponse {
    match begin(&state, params.into_inner()).await {
        Ok((url, entra_state)) => {
            let cookie = Cookie::build(STATE_COOKIE, entra_state)
                .path("/")
                .secure(true)
                .http_only(true)
                .same_site(SameSite::Lax)
                .max_age(Duration::seconds(SIGN_IN_WINDOW_SECS))
                .finish();
            see_other(&url).cookie(cookie).finish()
        }
        Err(code) => back_to_sign_in(code),
    }
}

async fn begin(state: &AppState, params: StartParams) -> Result<(String, String), &'static str> {
    let mut ignored = ValidationErrors::default();
    let tenant =
        resolve_tenant(state, params.organisation.as_deref(), &mut ignored).await.map_err(|_| "entra_unavailable")?;
    let tenant = tenant.ok_or("entra_not_configured")?;
    let settings = crate::secrets::entra_settings(state, &TenantScope::system(tenant.id))
        .await
        .map_err(|_| "entra_unavailable")?
        .ok_or("entra_not_configured")?;
    let hint = params.login_hint.as_deref().map(str::trim).filter(|h| !h.is_empty() && h.len() <= 254);
    let authorisation = state.entra.authorisation(&settings, hint).await.map_err(|_| "entra_unavailable")?;
    let pending = PendingEntraSignIn {
        state_hash: token_hash(&authorisation.state),
        tenant_id: tenant.id,
        nonce: authorisation.nonce,
        pkce_verifier: authorisation.pkce_verifier,
        return_to: api_types::auth::safe_return_path(params.return_to.as_deref()),
        created_at: Timestamp::now(),
    };
    state.store.begin_entra_sign_in(pending).await.map_err(|_| "entra_unavailable")?;
    Ok((authorisation.url, authorisation.state))
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct CallbackParams {
    code: Option<String>,
    state: Option<String>,
    /// Set by Entra instead of `code` when it did not sign the person in.
    error: Option<String>,
}

/// Where Entra ID sends the browser back: redeems the code, checks the ID token, finds or
/// creates the user, refreshes their mapped groups and starts the session.
#[utoipa::path(tag = "auth", params(CallbackParams), responses(
    (status = SEE_OTHER, description = "Signed in (session cookie set) and on to the app; or back to /sign-in?error=…"),
))]
#[get("/auth/entra/callback")]
pub async fn finish_entra_sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    params: web::Query<CallbackParams>,
) -> HttpResponse {
    let outcome = finish(&req, &state, params.into_inner()).await;
    let mut response = match outcome {
        Ok((return_to, token)) => see_other(&return_to).cookie(session_cookie(token)).finish(),
        Err(code) => back_to_sign_in(code),
    };
    let mut expired = Cookie::build(STATE_COOKIE, "").path("/").secure(true).http_only(true).finish();
    expired.make_removal();
    let _ = response.add_cookie(&expired);
    response
}

async fn finish(req: &HttpRequest, state: &AppState, params: CallbackParams) -> Result<(String, String), &'static str> {
    let cookie_state = req.cookie(STATE_COOKIE).map(|c| c.value().to_owned());
    let returned_state = params.state.filter(|s| !s.is_empty()).ok_or("sign_in_expired")?;
    // The state must come back to the browser that set off: this stops someone planting their
    // own sign-in in another person's browser.
    if cookie_state.as_deref() != Some(returned_state.as_str()) {
        return Err("sign_in_expired");
    }
    let not_before = Timestamp::now().plus_seconds(-SIGN_IN_WINDOW_SECS);
    let pending = state
        .store
        .take_entra_sign_in(&token_hash(&returned_state), not_before)
        .await
        .map_err(|_| "entra_unavailable")?
        .ok_or("sign_in_expired")?;
    let tenant =
        state.store.tenant_by_id(pending.tenant_id).await.map_err(|_| "entra_unavailable")?.ok_or("sign_in_expired")?;
    let system = TenantScope::system(tenant.id);
    let audit_failure = |reason: String| {
        let payload = json!({"reason": reason, "method": "entra", "from": client_address(req)});
        AuditEvent::new("sign_in.failed", "tenant", tenant.id.as_uuid(), payload)
    };
    if let Some(error) = params.error {
        // Entra's error codes are short identifiers (access_denied, …), safe to keep.
        let reason = format!(
            "entra: {}",
            error.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(60).collect::<String>()
        );
        let _ = state.store.record(&system, audit_failure(reason)).await;
        return Err("entra_refused");
    }
    let code = params.code.filter(|c| !c.is_empty()).ok_or("entra_refused")?;
    let settings = crate::secrets::entra_settings(state, &system)
        .await
        .map_err(|_| "entra_unavailable")?
        .ok_or("entra_not_configured")?;
    let person = match state.entra.redeem(&settings, code, pending.pkce_verifier, pending.nonce).await {
        Ok(person) => person,
        Err(EntraError::Unavailable) => return Err("entra_unavailable"),
        Err(EntraError::Refused(reason)) => {
            let _ = state.store.record(&system, audit_failure(format!("entra: {reason}"))).await;
            return Err("entra_refused");
        }
    };
    let user = sign_in_person(state.store.as_ref(), &system, &person).await.map_err(|_| "entra_unavailable")?;
    if user.status != UserStatus::Active {
        let _ = state.store.record(&system, audit_failure("user_disabled".into())).await;
        return Err("account_disabled");
    }
    session_for(state, req, tenant, user.id).await.map(|token| (pending.return_to, token))
}

async fn session_for(
    state: &AppState,
    req: &HttpRequest,
    tenant: Tenant,
    user_id: domain::UserId,
) -> Result<String, &'static str> {
    match start_session(state, req, tenant, user_id, None).await {
        Ok((_, token)) => Ok(token),
        Err(ApiError::SessionActiveElsewhere) => Err("session_active_elsewhere"),
        Err(_) => Err("entra_unavailable"),
    }
}

fn see_other(location: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, location.to_owned())).insert_header((header::CACHE_CONTROL, "no-store"));
    response
}

fn back_to_sign_in(code: &'static str) -> HttpResponse {
    see_other(&format!("/sign-in?error={code}")).finish()
}
