//! Sessions and the organisation's access settings (SEC-14): administrators see who is
//! signed in, end a session, and choose whether a second sign-in ends the first or is refused.

use crate::{
    auth::{
        Authorized,
        authority::require_may_manage,
        policy::{AdministrationFull, AdministrationRead, AdministrationWrite},
        principal::Credential,
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{conditional::if_match, respond::Tagged},
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, put, web};
use api_types::{AccessSettingsRequest, SessionInfo, SessionList};
use domain::{
    SessionId, Timestamp,
    access::{AccessSettings, LocalSignIn, OneSessionPolicy, SessionEndReason},
};

type Problem = api_types::Problem;

fn settings_out(settings: AccessSettings) -> Tagged<api_types::AccessSettings> {
    let one_session = match settings.one_session {
        OneSessionPolicy::EndOthers => api_types::OneSessionPolicy::EndOthers,
        OneSessionPolicy::Refuse => api_types::OneSessionPolicy::Refuse,
    };
    let local_sign_in = match settings.local_sign_in {
        LocalSignIn::Everyone => api_types::LocalSignIn::Everyone,
        LocalSignIn::BreakGlassOnly => api_types::LocalSignIn::BreakGlassOnly,
    };
    Tagged::new(settings.version, api_types::AccessSettings { one_session, local_sign_in, version: settings.version })
}

/// The organisation's live sessions (not ended, expired or idle), most recently active first.
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = SessionList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/sessions")]
pub async fn list_sessions(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<SessionList>> {
    let sessions = state.store.live_sessions(&auth.scope(), Timestamp::now(), state.settings.session_idle_secs).await?;
    let current = match auth.principal.credential {
        Credential::Session { id, .. } => Some(id),
        Credential::ApiToken(_) | Credential::EntraToken => None,
    };
    let items = sessions
        .into_iter()
        .map(|s| SessionInfo {
            id: s.id.as_uuid(),
            user_id: s.user_id.as_uuid(),
            created_at: s.created_at.as_datetime(),
            last_seen_at: s.last_seen_at.as_datetime(),
            expires_at: s.expires_at.as_datetime(),
            from_address: s.from_address,
            current: Some(s.id) == current,
        })
        .collect();
    Ok(web::Json(SessionList { items }))
}

/// Ends a live session at once: its browser is told an administrator signed it out. Not the
/// session of someone whose permissions exceed the caller's (403 `outranks_you`).
#[utoipa::path(tag = "users", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The session's id")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/sessions/{id}")]
pub async fn end_session(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<SessionId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let scope = auth.scope();
    let now = Timestamp::now();
    let live = state.store.live_sessions(&scope, now, state.settings.session_idle_secs).await?;
    let session = live.iter().find(|s| s.id == id).ok_or(ApiError::NotFound)?;
    require_may_manage(&state, &auth.principal, &scope, session.user_id).await?;
    let reason = SessionEndReason::EndedByAdministrator;
    state.store.end_session_by_id(&scope, id, now, reason).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The organisation's access settings.
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = api_types::AccessSettings, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/settings/access")]
pub async fn get_access_settings(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<Tagged<api_types::AccessSettings>> {
    Ok(settings_out(state.store.access_settings(&auth.scope()).await?))
}

/// Changes the access settings. Needs `If-Match` (`"0"` before the first change).
#[utoipa::path(tag = "users", security(("session" = [])), request_body = AccessSettingsRequest,
    params(("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::AccessSettings, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/settings/access")]
pub async fn replace_access_settings(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    body: ValidJson<AccessSettingsRequest>,
) -> ApiResult<Tagged<api_types::AccessSettings>> {
    let expected = if_match(&req)?;
    let one_session = match body.0.one_session {
        api_types::OneSessionPolicy::EndOthers => OneSessionPolicy::EndOthers,
        api_types::OneSessionPolicy::Refuse => OneSessionPolicy::Refuse,
    };
    let local_sign_in = match body.0.local_sign_in {
        api_types::LocalSignIn::Everyone => LocalSignIn::Everyone,
        api_types::LocalSignIn::BreakGlassOnly => LocalSignIn::BreakGlassOnly,
    };
    let wanted = AccessSettings { one_session, local_sign_in, version: expected };
    let settings = state.store.update_access_settings(&auth.scope(), expected, wanted).await?;
    Ok(settings_out(settings))
}
