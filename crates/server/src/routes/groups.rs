//! Groups and their grants (FR-014, SEC-08): the administration area's settings. Nobody can
//! grant more than they hold, so administration rights alone cannot be turned into more.

use crate::{
    auth::{
        Authorized,
        authority::require_may_manage,
        policy::{AdministrationFull, AdministrationRead},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        respond::{Created, Tagged},
        wire,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use api_types::{GroupList, GroupRequest};
use domain::{
    EffectivePermissions, Grant, GroupId, UserId, ValidationErrors, authority,
    group::{self, Group, GroupDetails},
};

type Problem = api_types::Problem;

pub fn group_out(group: &Group) -> api_types::Group {
    api_types::Group {
        id: group.id.as_uuid(),
        name: group.details.name.clone(),
        description: group.details.description.clone(),
        builtin: group.builtin,
        grants: group.details.grants.iter().map(wire::grant).collect(),
        member_ids: group.details.members.iter().map(|m| m.as_uuid()).collect(),
        version: group.version,
    }
}

fn group_details(input: &GroupRequest, actor: &EffectivePermissions) -> ApiResult<GroupDetails> {
    let mut errors = ValidationErrors::default();
    let name = errors.check(group::group_name("name", &input.name));
    let description = errors.check(group::group_description("description", &input.description));
    let grants: Vec<Grant> = input.grants.iter().map(wire::grant_in).collect();
    group::check_grants("grants", &grants, actor, &mut errors);
    errors.into_result()?;
    // Storage keeps grants in area order.
    let members = wire::distinct(input.member_ids.iter().copied().map(UserId::from_uuid));
    Ok(GroupDetails { name: name.unwrap_or_default(), description: description.unwrap_or_default(), grants, members })
}

/// The organisation's groups by name, with their grants and members.
#[utoipa::path(tag = "users", security(("session" = [])), responses(
    (status = OK, body = GroupList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/groups")]
pub async fn list_groups(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
) -> ApiResult<web::Json<GroupList>> {
    let groups = state.store.list_groups(&auth.scope()).await?;
    Ok(web::Json(GroupList { items: groups.iter().map(group_out).collect() }))
}

/// Creates a group. Members must be users of the organisation; no grant may exceed the
/// caller's own level in its area.
#[utoipa::path(tag = "users", security(("session" = [])), request_body = GroupRequest, responses(
    (status = CREATED, body = api_types::Group, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/groups")]
pub async fn create_group(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    body: ValidJson<GroupRequest>,
) -> ApiResult<Created<api_types::Group>> {
    let details = group_details(&body.0, &auth.principal.permissions)?;
    let group = state.store.create_group(&auth.scope(), details).await?;
    Ok(Created::new(format!("/api/v1/groups/{}", group.id), group.version, group_out(&group)))
}

/// One group. Ids of other organisations' groups are not found.
#[utoipa::path(tag = "users", security(("session" = [])), params(("id" = Uuid, Path, description = "The group's id")), responses(
    (status = OK, body = api_types::Group, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/groups/{id}")]
pub async fn get_group(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationRead>,
    id: web::Path<GroupId>,
) -> ApiResult<Tagged<api_types::Group>> {
    let group = state.store.get_group(&auth.scope(), id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    Ok(Tagged::new(group.version, group_out(&group)))
}

/// Renames a group and replaces its grants and members. Needs `If-Match`. A built-in group
/// keeps its grants; the change may not leave the organisation without an active administrator.
/// A group granting more than the caller holds cannot be changed (403 `group_outranks_you`), nor
/// can a member be added or removed who outranks the caller (403 `outranks_you`).
#[utoipa::path(tag = "users", security(("session" = [])), request_body = GroupRequest,
    params(("id" = Uuid, Path, description = "The group's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::Group, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/groups/{id}")]
pub async fn replace_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    id: web::Path<GroupId>,
    body: ValidJson<GroupRequest>,
) -> ApiResult<Tagged<api_types::Group>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let scope = auth.scope();
    let current = group_as_read(&state, &scope, id, expected).await?;
    authority::may_manage_group(&auth.principal.permissions, &current.details.grants)?;
    let details = group_details(&body.0, &auth.principal.permissions)?;
    // Adding or removing a member changes that member: not someone who outranks the caller.
    let old = &current.details.members;
    let changed =
        details.members.iter().filter(|m| !old.contains(m)).chain(old.iter().filter(|m| !details.members.contains(m)));
    for member in changed {
        require_may_manage(&state, &auth.principal, &scope, *member).await?;
    }
    let group = state.store.update_group(&scope, id, expected, details).await?;
    Ok(Tagged::new(group.version, group_out(&group)))
}

/// Deletes a group with its grants and memberships. Needs `If-Match`. Built-in groups stay, and
/// a group granting more than the caller holds cannot be deleted (403 `group_outranks_you`).
#[utoipa::path(tag = "users", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The group's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = NO_CONTENT),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[delete("/groups/{id}")]
pub async fn delete_group(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationFull>,
    id: web::Path<GroupId>,
) -> ApiResult<HttpResponse> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let scope = auth.scope();
    let current = group_as_read(&state, &scope, id, expected).await?;
    authority::may_manage_group(&auth.principal.permissions, &current.details.grants)?;
    state.store.delete_group(&scope, id, expected).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The group as the caller last read it (`If-Match`), so that the rules are checked against the
/// version being changed.
async fn group_as_read(state: &AppState, scope: &storage::TenantScope, id: GroupId, expected: i64) -> ApiResult<Group> {
    let group = state.store.get_group(scope, id).await?.ok_or(ApiError::NotFound)?;
    if group.version != expected {
        return Err(ApiError::PreconditionFailed { current: group.version });
    }
    Ok(group)
}
