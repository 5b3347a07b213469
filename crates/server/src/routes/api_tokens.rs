//! Personal API tokens (FR-014 machine access): each user manages their own; administrators
//! see and revoke everyone's. Only a browser session may create or revoke tokens, so a leaked
//! token cannot mint more of itself.

use crate::{
    auth::{
        Authorized, Principal,
        authority::require_may_manage,
        policy::{AdministrationRead, AdministrationWrite},
        principal::{API_TOKEN_PREFIX, Credential},
        session::{new_token, token_hash},
    },
    client_address::client_address,
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::wire,
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, http::header, post, web};
use api_types::{ApiTokenList, CreateApiTokenRequest, CreatedApiToken};
use domain::{
    ApiTokenId, Grant, Timestamp, ValidationErrors,
    api_token::{self, ApiToken},
};
use storage::NewApiToken;

type Problem = api_types::Problem;

fn token_out(token: &ApiToken, now: Timestamp) -> api_types::ApiToken {
    api_types::ApiToken {
        id: token.id.as_uuid(),
        name: token.name.clone(),
        owner_id: token.user_id.as_uuid(),
        scopes: token.scopes.iter().map(wire::grant).collect(),
        created_at: token.created_at.as_datetime(),
        expires_at: token.expires_at.as_datetime(),
        last_used_at: token.last_used_at.map(|t| t.as_datetime()),
        revoked_at: token.revoked_at.map(|t| t.as_datetime()),
        active: token.is_live(now),
    }
}

fn list(tokens: &[ApiToken]) -> ApiTokenList {
    let now = Timestamp::now();
    ApiTokenList { items: tokens.iter().map(|t| token_out(t, now)).collect() }
}

/// Managing tokens needs a browser session.
fn require_session(principal: &Principal) -> ApiResult<()> {
    match principal.credential {
        Credential::Session { .. } => Ok(()),
        Credential::ApiToken(_) | Credential::EntraToken => Err(ApiError::Forbidden),
    }
}

/// The signed-in user's tokens, newest first, revoked and expired ones included.
#[utoipa::path(tag = "auth", security(("session" = [])), responses(
    (status = OK, body = ApiTokenList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/me/api-tokens")]
pub async fn list_my_api_tokens(
    state: web::Data<AppState>,
    principal: Principal,
) -> ApiResult<web::Json<ApiTokenList>> {
    require_session(&principal)?;
    let tokens = state.store.api_tokens(&principal.scope(), Some(principal.user.id)).await?;
    Ok(web::Json(list(&tokens)))
}

/// Creates a token for the signed-in user. The answer holds the secret, this once; only its
/// SHA-256 is stored. Scopes may not exceed the user's own levels.
#[utoipa::path(tag = "auth", security(("session" = [])), request_body = CreateApiTokenRequest, responses(
    (status = CREATED, body = CreatedApiToken, headers(("Location" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/me/api-tokens")]
pub async fn create_api_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    principal: Principal,
    body: ValidJson<CreateApiTokenRequest>,
) -> ApiResult<HttpResponse> {
    require_session(&principal)?;
    let body = body.0;
    let mut errors = ValidationErrors::default();
    let name = errors.check(api_token::token_name("name", &body.name));
    let days = errors
        .check(api_token::lifetime_days("expires_in_days", body.expires_in_days.unwrap_or(api_token::DEFAULT_DAYS)));
    let scopes: Vec<Grant> = body.scopes.iter().map(wire::grant_in).collect();
    domain::group::check_grants("scopes", &scopes, &principal.permissions, &mut errors);
    for (index, _) in scopes.iter().enumerate().filter(|(_, s)| s.own_teams) {
        errors.push(domain::FieldError::new(
            format!("scopes[{index}].own_teams"),
            "not_for_tokens",
            "A token's scope is not limited to teams: it acts within its owner's limits anyway",
        ));
    }
    errors.into_result()?;
    let (Some(name), Some(days)) = (name, days) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let secret = format!("{API_TOKEN_PREFIX}{}", new_token());
    let now = Timestamp::now();
    let new = NewApiToken {
        user_id: principal.user.id,
        name,
        scopes,
        token_hash: token_hash(&secret),
        created_at: now,
        expires_at: now.plus_seconds(i64::from(days) * 86_400),
    };
    let from = client_address(&req);
    let token = state.store.create_api_token(&principal.scope(), new, from.as_deref()).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/me/api-tokens/{}", token.id)))
        .json(CreatedApiToken { token: token_out(&token, now), secret }))
}

/// Revokes one of the signed-in user's tokens; it stops working at once.
#[utoipa::path(tag = "auth", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/me/api-tokens/{id}")]
pub async fn revoke_my_api_token(
    state: web::Data<AppState>,
    principal: Principal,
    id: web::Path<ApiTokenId>,
) -> ApiResult<HttpResponse> {
    require_session(&principal)?;
    let id = id.into_inner();
    state.store.revoke_api_token(&principal.scope(), id, Some(principal.user.id), Timestamp::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every token in the organisation, newest first, with its owner.
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = ApiTokenList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/api-tokens")]
pub async fn list_api_tokens(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<ApiTokenList>> {
    let tokens = state.store.api_tokens(&auth.scope(), None).await?;
    Ok(web::Json(list(&tokens)))
}

/// Revokes anyone's token in the organisation; it stops working at once. Not the token of
/// someone whose permissions exceed the caller's (403 `outranks_you`).
#[utoipa::path(tag = "users", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The token's id")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/api-tokens/{id}")]
pub async fn revoke_api_token(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<ApiTokenId>,
) -> ApiResult<HttpResponse> {
    require_session(&auth.principal)?;
    let id = id.into_inner();
    let scope = auth.scope();
    let tokens = state.store.api_tokens(&scope, None).await?;
    let token = tokens.iter().find(|t| t.id == id).ok_or(ApiError::NotFound)?;
    require_may_manage(&state, &auth.principal, &scope, token.user_id).await?;
    state.store.revoke_api_token(&scope, id, None, Timestamp::now()).await?;
    Ok(HttpResponse::NoContent().finish())
}
