//! Users and groups of the signed-in administrator's tenant.

use crate::{
    app::AppState,
    auth::{
        Authorized,
        password::hash_password_async,
        policy::{AdministrationRead, AdministrationWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::wire,
};
use actix_web::{HttpResponse, get, http::header, post, web};
use api_types::{CreateUserRequest, Group, GroupList, User, UserPage};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use domain::{
    FieldError, GroupId, UserId, ValidationErrors,
    user::{DisplayName, EmailAddress, NewPassword},
};
use serde::Deserialize;
use storage::NewUser;
use utoipa::IntoParams;
use uuid::Uuid;

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 200;

#[derive(Debug, Deserialize, IntoParams)]
pub struct PageQuery {
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    limit: Option<u32>,
}

fn decode_cursor(cursor: &str) -> Option<UserId> {
    let bytes = URL_SAFE_NO_PAD.decode(cursor).ok()?;
    Some(UserId::from_uuid(Uuid::from_slice(&bytes).ok()?))
}

fn encode_cursor(id: UserId) -> String {
    URL_SAFE_NO_PAD.encode(id.as_uuid().as_bytes())
}

/// Users of the tenant, oldest first, by keyset pages.
#[utoipa::path(tag = "users", security(("session" = [])), params(PageQuery), responses(
    (status = OK, body = UserPage),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<UserPage>> {
    let mut errors = ValidationErrors::default();
    let limit = query.limit.unwrap_or(DEFAULT_PAGE);
    if !(1..=MAX_PAGE).contains(&limit) {
        errors.push(FieldError::new("limit", "out_of_range", format!("Enter a number from 1 to {MAX_PAGE}")));
    }
    let after = match query.cursor.as_deref() {
        Some(cursor) => errors.check(
            decode_cursor(cursor)
                .ok_or_else(|| FieldError::new("cursor", "invalid_cursor", "Use the next_cursor of a previous page")),
        ),
        None => None,
    };
    errors.into_result()?;
    let mut users = state.store.list_users(&auth.principal.scope(), after, limit + 1).await?;
    let next_cursor = if users.len() > limit as usize {
        users.truncate(limit as usize);
        users.last().map(|u| encode_cursor(u.id))
    } else {
        None
    };
    Ok(web::Json(UserPage { items: users.iter().map(wire::user).collect(), next_cursor }))
}

/// Creates a user with a local password in the administrator's tenant.
#[utoipa::path(tag = "users", security(("session" = [])), request_body = CreateUserRequest, responses(
    (status = CREATED, body = User, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = api_types::Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    let body = body.0;
    let scope = auth.principal.scope();
    let mut errors = ValidationErrors::default();
    let email = errors.check(EmailAddress::parse("email", &body.email));
    let display_name = errors.check(DisplayName::parse("display_name", &body.display_name));
    let password = errors.check(NewPassword::parse("password", &body.password));
    let group_ids: Vec<GroupId> = body.group_ids.iter().copied().map(GroupId::from_uuid).collect();
    let known = state.store.group_ids_exist(&scope, &group_ids).await?;
    if let Some(unknown) = group_ids.iter().position(|id| !known.contains(id)) {
        errors.push(FieldError::new(format!("group_ids[{unknown}]"), "unknown_group", "Choose a group that exists"));
    }
    errors.into_result()?;
    let (Some(email), Some(display_name), Some(password)) = (email, display_name, password) else {
        return Err(ApiError::Internal("validated fields missing".into()));
    };
    let password_hash = hash_password_async(password.expose().to_owned()).await?;
    let new = NewUser { email, display_name, password_hash: Some(password_hash), group_ids };
    let user = state.store.create_user(&scope, new).await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, format!("/api/v1/users/{}", user.id)))
        .insert_header((header::ETAG, wire::etag(user.version)))
        .json(wire::user(&user)))
}

/// One user of the tenant. Ids of other tenants' users are not found.
#[utoipa::path(tag = "users", security(("session" = [])), params(("id" = Uuid, Path, description = "The user's id")), responses(
    (status = OK, body = User, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/users/{id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = Uuid::parse_str(&id).map_err(|_| ApiError::NotFound)?;
    let user = state.store.get_user(&auth.principal.scope(), UserId::from_uuid(id)).await?.ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Ok().insert_header((header::ETAG, wire::etag(user.version))).json(wire::user(&user)))
}

/// The tenant's groups (units of permission).
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = GroupList),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<GroupList>> {
    let groups = state.store.list_groups(&auth.principal.scope()).await?;
    let items =
        groups.into_iter().map(|g| Group { id: g.id.as_uuid(), name: g.name, description: g.description }).collect();
    Ok(web::Json(GroupList { items }))
}
