//! Local sign-in and sign-out. Entra ID sign-in will sit beside these, ending in the same
//! session start.

use crate::{
    auth::{
        Principal,
        password::verify_password_async,
        principal::Credential,
        principal::require_csrf_header,
        session::{removal_cookie, session_cookie},
    },
    client_address::{client_address, request_ip},
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::sign_in::{me_of, resolve_tenant, start_session},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use api_types::{AuthOptions, Me, SignInRequest};
use domain::{
    FieldError, Timestamp, ValidationErrors,
    access::LocalSignIn,
    audit::{Actor, AuditEvent},
    sign_in::{AfterFailure, SignInSource},
};
use serde_json::json;
use storage::TenantScope;

/// What the sign-in page should ask for.
#[utoipa::path(tag = "auth", responses((status = OK, body = AuthOptions)))]
#[get("/auth/options")]
pub async fn options(state: web::Data<AppState>) -> ApiResult<web::Json<AuthOptions>> {
    let tenants = state.store.list_tenants().await?;
    let mut entra_sign_in = false;
    for tenant in &tenants {
        entra_sign_in |= state.store.entra_settings(&TenantScope::system(tenant.id)).await?.is_some();
    }
    Ok(web::Json(AuthOptions { organisation_required: tenants.len() > 1, local_sign_in: true, entra_sign_in }))
}

/// Signs in with an email address and password, starting a session (and ending any other
/// session of the same user). The session cookie is HttpOnly; the SPA never sees it.
#[utoipa::path(tag = "auth", request_body = SignInRequest, responses(
    (status = OK, body = Me, description = "Signed in; the session cookie is set"),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = api_types::Problem, content_type = "application/problem+json",
        description = "Refused: signed in elsewhere, and the organisation refuses a second session"),
    (status = TOO_MANY_REQUESTS, body = api_types::Problem, content_type = "application/problem+json",
        description = "Too many wrong passwords: throttled or locked, see Retry-After"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json",
        description = "The CSRF header is missing, or password sign-in is limited to break-glass accounts"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[post("/auth/sign-in")]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: ValidJson<SignInRequest>,
) -> ApiResult<HttpResponse> {
    require_csrf_header(&req)?;
    let body = body.0;
    let mut errors = ValidationErrors::default();
    if body.email.trim().is_empty() {
        errors.push(FieldError::new("email", "required", "Enter your email address"));
    }
    if body.password.is_empty() {
        errors.push(FieldError::new("password", "required", "Enter your password"));
    }
    let tenant = resolve_tenant(&state, body.organisation.as_deref(), &mut errors).await?;
    errors.into_result()?;

    let email = body.email.trim().to_lowercase();
    let source = SignInSource::of(request_ip(&req));
    let credential = match &tenant {
        Some(tenant) => state.store.local_credential(tenant.id, &email, &source.key).await?,
        None => None,
    };
    let now = Timestamp::now();
    if let Some(until) = credential.as_ref().and_then(|c| c.locked_until).filter(|until| *until > now) {
        // The password is not checked at all while locked, so guessing gains nothing.
        let retry_after_secs = until.seconds_since(now).max(1);
        let locked_out = retry_after_secs > 60;
        return Err(ApiError::SignInLocked { retry_after_secs, locked_out });
    }
    let stored_hash = credential.as_ref().map(|c| c.password_hash.clone());
    let password_ok = verify_password_async(body.password, stored_hash).await?;
    let (Some(tenant), Some(credential)) = (tenant, credential) else {
        return Err(ApiError::InvalidCredentials);
    };
    if !password_ok {
        let policy = state.settings.lockout;
        let after = state.store.record_failed_sign_in(tenant.id, credential.user_id, now, policy, &source).await?;
        if let AfterFailure::Locked { until } = after {
            let retry_after_secs = until.seconds_since(now).max(1);
            return Err(ApiError::SignInLocked { retry_after_secs, locked_out: true });
        }
        return Err(ApiError::InvalidCredentials);
    }

    let scope = TenantScope::new(tenant.id, Actor::User(credential.user_id.as_uuid()));
    // Checked only once the password is right, so the refusal reveals nothing to a guesser.
    let settings = state.store.access_settings(&scope).await?;
    if settings.local_sign_in == LocalSignIn::BreakGlassOnly && !credential.break_glass {
        let payload = json!({"reason": "local_sign_in_disabled", "from": client_address(&req)});
        let event = AuditEvent::new("sign_in.refused", "user", credential.user_id.as_uuid(), payload);
        state.store.record(&scope, event).await?;
        return Err(ApiError::LocalSignInDisabled);
    }
    let (principal, token) = start_session(&state, &req, tenant, credential.user_id, Some(source.key)).await?;
    Ok(HttpResponse::Ok().cookie(session_cookie(token)).json(me_of(&state, &principal).await?))
}

/// Ends this session and clears the cookie.
#[utoipa::path(tag = "auth", security(("session" = [])), responses(
    (status = NO_CONTENT, description = "Signed out"),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[post("/auth/sign-out")]
pub async fn sign_out(state: web::Data<AppState>, principal: Principal) -> ApiResult<HttpResponse> {
    // An API token is not a session: there is nothing to end (revoke the token instead).
    if let Credential::Session { token_hash, .. } = principal.credential {
        state.store.end_session(&principal.scope(), &token_hash).await?;
    }
    Ok(HttpResponse::NoContent().cookie(removal_cookie()).finish())
}
