//! Teams and the query-type taxonomy (FR-006, FR-007): administrators manage them; anyone who
//! works queries can read them to assign and classify.

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationWrite, QueriesRead},
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
use actix_web::{HttpRequest, get, post, put, web};
use api_types::{CreateQueryTypeRequest, QueryTypeList, TeamInput, TeamList, UpdateQueryTypeRequest};
use domain::{
    FieldError, QueryTypeId, TeamId, UserId, ValidationErrors,
    team::{self, NewQueryType, QueryType, Team, TeamDetails},
};

type Problem = api_types::Problem;

fn team_out(team: &Team) -> api_types::Team {
    api_types::Team {
        id: team.id.as_uuid(),
        name: team.details.name.clone(),
        member_ids: team.details.members.iter().map(|m| m.as_uuid()).collect(),
        leader_ids: team.details.leaders.iter().map(|m| m.as_uuid()).collect(),
        version: team.version,
    }
}

fn type_out(query_type: &QueryType) -> api_types::QueryType {
    api_types::QueryType {
        id: query_type.id.as_uuid(),
        parent_id: query_type.parent_id.map(|p| p.as_uuid()),
        name: query_type.name.clone(),
        active: query_type.active,
        version: query_type.version,
    }
}

fn team_details(input: &TeamInput) -> ApiResult<TeamDetails> {
    let mut errors = ValidationErrors::default();
    let name = errors.check(team::team_name("name", &input.name));
    for (index, leader) in input.leader_ids.iter().enumerate() {
        if !input.member_ids.contains(leader) {
            let field = format!("leader_ids[{index}]");
            errors.push(FieldError::new(&field, "not_a_member", "A team leader must be a member of the team"));
        }
    }
    errors.into_result()?;
    let members = wire::distinct(input.member_ids.iter().copied().map(UserId::from_uuid));
    let leaders = wire::distinct(input.leader_ids.iter().copied().map(UserId::from_uuid));
    Ok(TeamDetails { name: name.unwrap_or_default(), members, leaders })
}

/// Every team, by name, with its members.
#[utoipa::path(tag = "teams", security(("session" = [])), responses(
    (status = OK, body = TeamList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams")]
pub async fn list_teams(state: web::Data<AppState>, auth: Authorized<QueriesRead>) -> ApiResult<web::Json<TeamList>> {
    let teams = state.store.list_teams(&auth.scope()).await?;
    Ok(web::Json(TeamList { items: teams.iter().map(team_out).collect() }))
}

/// Creates a team. Members must be users of the tenant.
#[utoipa::path(tag = "teams", security(("session" = [])), request_body = TeamInput, responses(
    (status = CREATED, body = api_types::Team, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/teams")]
pub async fn create_team(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<TeamInput>,
) -> ApiResult<Created<api_types::Team>> {
    let team = state.store.create_team(&auth.scope(), team_details(&body.0)?).await?;
    Ok(Created::new(format!("/api/v1/teams/{}", team.id), team.version, team_out(&team)))
}

/// One team. Ids of other tenants' teams are not found.
#[utoipa::path(tag = "teams", security(("session" = [])), params(("id" = Uuid, Path, description = "The team's id")), responses(
    (status = OK, body = api_types::Team, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/teams/{id}")]
pub async fn get_team(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<TeamId>,
) -> ApiResult<Tagged<api_types::Team>> {
    let id = id.into_inner();
    let team = state.store.get_team(&auth.scope(), id).await?.ok_or(ApiError::NotFound)?;
    Ok(Tagged::new(team.version, team_out(&team)))
}

/// Renames a team and replaces its members. Needs `If-Match`.
#[utoipa::path(tag = "teams", security(("session" = [])), request_body = TeamInput,
    params(("id" = Uuid, Path, description = "The team's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::Team, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/teams/{id}")]
pub async fn replace_team(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<TeamId>,
    body: ValidJson<TeamInput>,
) -> ApiResult<Tagged<api_types::Team>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let details = team_details(&body.0)?;
    let team = state.store.update_team(&auth.scope(), id, expected, details).await?;
    Ok(Tagged::new(team.version, team_out(&team)))
}

/// The query-type taxonomy: types, then sub-types, by name; retired ones included.
#[utoipa::path(tag = "teams", security(("session" = [])), responses(
    (status = OK, body = QueryTypeList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/query-types")]
pub async fn list_query_types(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
) -> ApiResult<web::Json<QueryTypeList>> {
    let types = state.store.list_query_types(&auth.scope()).await?;
    Ok(web::Json(QueryTypeList { items: types.iter().map(type_out).collect() }))
}

/// Adds a type, or a sub-type under a top-level type (two levels).
#[utoipa::path(tag = "teams", security(("session" = [])), request_body = CreateQueryTypeRequest, responses(
    (status = CREATED, body = api_types::QueryType, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/query-types")]
pub async fn create_query_type(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<CreateQueryTypeRequest>,
) -> ApiResult<Created<api_types::QueryType>> {
    let mut errors = ValidationErrors::default();
    let name = errors.check(team::type_name("name", &body.0.name));
    errors.into_result()?;
    let new = NewQueryType { name: name.unwrap_or_default(), parent_id: body.0.parent_id.map(QueryTypeId::from_uuid) };
    let created = state.store.create_query_type(&auth.scope(), new).await?;
    Ok(Created::new(format!("/api/v1/query-types/{}", created.id), created.version, type_out(&created)))
}

/// Renames a type, or retires (or restores) it. Needs `If-Match`.
#[utoipa::path(tag = "teams", security(("session" = [])), request_body = UpdateQueryTypeRequest,
    params(("id" = Uuid, Path, description = "The type's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::QueryType, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/query-types/{id}")]
pub async fn replace_query_type(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<QueryTypeId>,
    body: ValidJson<UpdateQueryTypeRequest>,
) -> ApiResult<Tagged<api_types::QueryType>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let mut errors = ValidationErrors::default();
    let name = errors.check(team::type_name("name", &body.0.name));
    errors.into_result()?;
    let scope = auth.scope();
    let updated = state.store.update_query_type(&scope, id, expected, name.unwrap_or_default(), body.0.active).await?;
    Ok(Tagged::new(updated.version, type_out(&updated)))
}
