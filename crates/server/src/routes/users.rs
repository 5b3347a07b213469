//! Users and groups of the signed-in administrator's tenant.

use crate::{
    auth::{
        Authorized, Principal,
        authority::require_may_manage,
        password::hash_password_async,
        policy::{AdministrationRead, AdministrationWrite, QueriesRead},
    },
    idempotency,
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        paging::PageQuery,
        respond::{Created, Tagged},
        wire,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use api_types::{
    CreateUserRequest, EffectivePermission, Officer, OfficerPage, User, UserAccess, UserPage, UserUpdateRequest,
};
use domain::{
    EffectivePermissions, GroupId, Level, UserId, ValidationErrors, authority,
    group::Group,
    user::{DisplayName, EmailAddress, NewPassword, UserStatus},
};
use storage::{NewUser, UserChanges};

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
    let page = query.check(&mut errors, "users");
    errors.into_result()?;
    let after = page.after.map(UserId::from_uuid);
    let mut users = state.store.list_users(&auth.scope(), after, page.fetch_limit()).await?;
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
    let page = query.check(&mut errors, "officers");
    errors.into_result()?;
    let after = page.after.map(UserId::from_uuid);
    let mut users = state.store.list_users(&auth.scope(), after, page.fetch_limit()).await?;
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
    let scope = auth.scope();
    idempotency::run(&req, state.store.as_ref(), &scope, &body.0, || async {
        let body = &body.0;
        let mut errors = ValidationErrors::default();
        let email = errors.check(EmailAddress::parse("email", &body.email));
        let display_name = errors.check(DisplayName::parse("display_name", &body.display_name));
        let about = [body.email.as_str(), body.display_name.as_str()];
        let password = errors.check(NewPassword::parse("password", &body.password, &about));
        let group_ids = wire::distinct(body.group_ids.iter().copied().map(GroupId::from_uuid));
        check_groups_within_own(&state, &auth.principal, &group_ids, &mut errors).await?;
        errors.into_result()?;
        let (Some(email), Some(display_name), Some(password)) = (email, display_name, password) else {
            return Err(ApiError::Internal("validated fields missing".into()));
        };
        let password_hash = hash_password_async(password.expose().to_owned()).await?;
        let new = NewUser { email, display_name, password_hash: Some(password_hash), group_ids, break_glass: false };
        let user = state.store.create_user(&scope, new).await?;
        let location = format!("/api/v1/users/{}", user.id);
        Ok(Created::new(location, user.version, wire::user(&user)).stored())
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
    id: web::Path<UserId>,
) -> ApiResult<Tagged<api_types::User>> {
    let user = state.store.get_user(&auth.scope(), id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    Ok(Tagged::new(user.version, wire::user(&user)))
}

/// Changes a user's name, status and groups. Needs `If-Match`. Disabling a user ends their
/// sessions at once. A user cannot be put in a group whose grants exceed the caller's own, and
/// the change may not leave the organisation without an active administrator. A user whose
/// permissions exceed the caller's cannot be changed at all (403 `outranks_you`), and only
/// administration at full may change the break-glass mark (403
/// `break_glass_needs_full_administration`).
#[utoipa::path(tag = "users", security(("session" = [])), request_body = UserUpdateRequest,
    params(("id" = Uuid, Path, description = "The user's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = User, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = api_types::Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = api_types::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = api_types::Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = api_types::Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[put("/users/{id}")]
pub async fn replace_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<UserId>,
    body: ValidJson<UserUpdateRequest>,
) -> ApiResult<Tagged<api_types::User>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let scope = auth.scope();
    // Someone else's (or no one's) user is not found, whatever the body says.
    state.store.get_user(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let body = body.0;
    require_may_manage(&state, &auth.principal, &scope, id).await?;
    let break_glass_now = state.store.break_glass_of(&scope, id).await?.unwrap_or(false);
    authority::may_set_break_glass(&auth.principal.permissions, break_glass_now, body.break_glass)?;
    let mut errors = ValidationErrors::default();
    let display_name = errors.check(DisplayName::parse("display_name", &body.display_name));
    let group_ids = wire::distinct(body.group_ids.iter().copied().map(GroupId::from_uuid));
    check_groups_within_own(&state, &auth.principal, &group_ids, &mut errors).await?;
    errors.into_result()?;
    let status = match body.status {
        api_types::UserStatus::Active => UserStatus::Active,
        api_types::UserStatus::Disabled => UserStatus::Disabled,
    };
    let display_name = display_name.ok_or_else(|| ApiError::Internal("validated name missing".into()))?;
    let changes = UserChanges { display_name, status, group_ids, break_glass: body.break_glass };
    let user = state.store.update_user(&scope, id, expected, changes).await?;
    Ok(Tagged::new(user.version, wire::user(&user)))
}

/// Refuses groups that do not exist, or whose grants exceed what the caller holds: nobody
/// gives what they do not have (on creating a user as on changing one).
async fn check_groups_within_own(
    state: &AppState,
    actor: &Principal,
    group_ids: &[GroupId],
    errors: &mut ValidationErrors,
) -> ApiResult<()> {
    let groups = state.store.list_groups(&actor.scope()).await?;
    for (index, id) in group_ids.iter().enumerate() {
        domain::group::check_membership_within_own(
            &groups,
            &actor.permissions,
            *id,
            format!("group_ids[{index}]"),
            errors,
        );
    }
    Ok(())
}

/// The user's groups and effective permissions, with the groups that give each level.
#[utoipa::path(tag = "users", security(("session" = [])), params(("id" = Uuid, Path, description = "The user's id")), responses(
    (status = OK, body = UserAccess),
    (status = UNAUTHORIZED, body = api_types::Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = api_types::Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = api_types::Problem, content_type = "application/problem+json"),
))]
#[get("/users/{id}/access")]
pub async fn user_access(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    id: web::Path<UserId>,
) -> ApiResult<web::Json<UserAccess>> {
    let id = id.into_inner();
    let scope = auth.scope();
    state.store.get_user(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let group_ids = state.store.group_ids_of(&scope, id).await?;
    let groups: Vec<Group> =
        state.store.list_groups(&scope).await?.into_iter().filter(|g| group_ids.contains(&g.id)).collect();
    let effective = EffectivePermissions::from_grants(state.store.grants_of(&scope, id).await?);
    let permissions = effective
        .all()
        .zip(wire::permissions(&effective))
        .map(|((area, level), wire)| EffectivePermission {
            area: wire.area,
            level: wire.level,
            given_by: groups
                .iter()
                .filter(|g| level > Level::None && g.details.grants.iter().any(|x| x.area == area && x.level == level))
                .map(|g| g.id.as_uuid())
                .collect(),
        })
        .collect();
    let break_glass = state.store.break_glass_of(&scope, id).await?;
    Ok(web::Json(UserAccess { group_ids: group_ids.iter().map(GroupId::as_uuid).collect(), break_glass, permissions }))
}
