//! Users and groups of the signed-in administrator's tenant.

use crate::{
    app::AppState,
    auth::{
        Authorized,
        password::hash_password_async,
        policy::{AdministrationRead, AdministrationWrite, QueriesRead},
    },
    idempotency,
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::{paging::PageQuery, wire},
};
use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use api_types::{CreateUserRequest, Group, GroupList, Officer, OfficerPage, User, UserPage};
use domain::{
    FieldError, GroupId, UserId, ValidationErrors,
    user::{DisplayName, EmailAddress, NewPassword, UserStatus},
};
use storage::NewUser;
use uuid::Uuid;

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
    let page = query.check(&mut errors);
    errors.into_result()?;
    let after = page.after.map(UserId::from_uuid);
    let mut users = state.store.list_users(&auth.principal.scope(), after, page.fetch_limit()).await?;
    let next_cursor = page.finish(&mut users, |u| u.id.as_uuid());
    Ok(web::Json(UserPage { items: users.iter().map(wire::user).collect(), next_cursor }))
}

/// Active colleagues (id and name only), for anyone who works queries to assign or share with.
#[utoipa::path(tag = "users", security(("session" = [])), params(PageQuery), responses(
    (status = OK, body = OfficerPage),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/officers")]
pub async fn list_officers(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    query: web::Query<PageQuery>,
) -> ApiResult<web::Json<OfficerPage>> {
    let mut errors = ValidationErrors::default();
    let page = query.check(&mut errors);
    errors.into_result()?;
    let after = page.after.map(UserId::from_uuid);
    let mut users = state.store.list_users(&auth.principal.scope(), after, page.fetch_limit()).await?;
    let next_cursor = page.finish(&mut users, |u| u.id.as_uuid());
    let items = users
        .iter()
        .filter(|u| u.status == UserStatus::Active)
        .map(|u| Officer { id: u.id.as_uuid(), display_name: u.display_name.as_str().to_owned() })
        .collect();
    Ok(web::Json(OfficerPage { items, next_cursor }))
}

/// Creates a user with a local password in the administrator's tenant. With an
/// `Idempotency-Key`, a retry replays the first response.
#[utoipa::path(tag = "users", security(("session" = [])), request_body = CreateUserRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    responses(
    (status = CREATED, body = User, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = api_types::Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[post("/users")]
pub async fn create_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<CreateUserRequest>,
) -> ApiResult<HttpResponse> {
    let scope = auth.principal.scope();
    idempotency::run(&req, state.store.as_ref(), &scope, &body.0, || async {
        let body = &body.0;
        let mut errors = ValidationErrors::default();
        let email = errors.check(EmailAddress::parse("email", &body.email));
        let display_name = errors.check(DisplayName::parse("display_name", &body.display_name));
        let password = errors.check(NewPassword::parse("password", &body.password));
        let group_ids: Vec<GroupId> = body.group_ids.iter().copied().map(GroupId::from_uuid).collect();
        let known = state.store.group_ids_exist(&scope, &group_ids).await?;
        if let Some(unknown) = group_ids.iter().position(|id| !known.contains(id)) {
            errors.push(FieldError::new(
                format!("group_ids[{unknown}]"),
                "unknown_group",
                "Choose a group that exists",
            ));
        }
        errors.into_result()?;
        let (Some(email), Some(display_name), Some(password)) = (email, display_name, password) else {
            return Err(ApiError::Internal("validated fields missing".into()));
        };
        let password_hash = hash_password_async(password.expose().to_owned()).await?;
        let new = NewUser { email, display_name, password_hash: Some(password_hash), group_ids };
        let user = state.store.create_user(&scope, new).await?;
        let location = format!("/api/v1/users/{}", user.id);
        Ok(idempotency::created(&wire::user(&user), location, wire::etag(user.version)))
    })
    .await
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
