//! Restricted queries (FR-014, SEC-09): a query restricted to named groups is seen only by
//! their members, everywhere (lists, search, timelines, by id). Changing who may see a query
//! needs `queries: full`.

use crate::{
    auth::{
        Authorized, Principal,
        policy::{QueriesFull, QueriesRead},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{conditional::if_match, respond::Tagged},
    state::AppState,
};
use actix_web::{HttpRequest, get, put, web};
use api_types::{GroupRef, QueryRestriction, RestrictionRequest};
use domain::{FieldError, GroupId, QueryId, ValidationErrors, query::Query};

type Problem = api_types::Problem;

/// The restriction with group names, and the caller's own groups to choose from.
async fn out(
    state: &AppState,
    principal: &Principal,
    query: &Query,
    groups: &[GroupId],
) -> ApiResult<Tagged<QueryRestriction>> {
    let scope = principal.scope();
    let all = state.store.list_groups(&scope).await?;
    let mine = state.store.group_ids_of(&scope, principal.user.id).await?;
    let refs = |wanted: &dyn Fn(&GroupId) -> bool| -> Vec<GroupRef> {
        all.iter()
            .filter(|g| wanted(&g.id))
            .map(|g| GroupRef { id: g.id.as_uuid(), name: g.details.name.clone() })
            .collect()
    };
    let body = QueryRestriction {
        group_ids: groups.iter().map(GroupId::as_uuid).collect(),
        groups: refs(&|id| groups.contains(id)),
        choices: refs(&|id| mine.contains(id)),
        version: query.version,
    };
    Ok(Tagged::new(query.version, body))
}

/// The groups the query is restricted to (none: anyone who may read queries sees it).
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = QueryRestriction, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/restriction")]
pub async fn get_restriction(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<Tagged<QueryRestriction>> {
    let found = state.store.query_restriction(&auth.scope(), id.into_inner()).await?;
    let (query, groups) = found.ok_or(ApiError::NotFound)?;
    out(&state, &auth.principal, &query, &groups).await
}

/// Restricts the query to named groups, or lifts the restriction (an empty list). Needs
/// `If-Match` with the query's ETag. The caller must belong to one of the groups, or they would
/// lose sight of the query themselves.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = RestrictionRequest,
    params(("id" = Uuid, Path, description = "The query's id"), ("If-Match" = String, Header, description = "The query's ETag")),
    responses(
        (status = OK, body = QueryRestriction, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/queries/{id}/restriction")]
pub async fn replace_restriction(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesFull>,
    id: web::Path<QueryId>,
    body: ValidJson<RestrictionRequest>,
) -> ApiResult<Tagged<QueryRestriction>> {
    let id = id.into_inner();
    let expected = if_match(&req)?;
    let scope = auth.scope();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let groups: Vec<GroupId> = body.0.group_ids.iter().copied().map(GroupId::from_uuid).collect();
    if !groups.is_empty() {
        let mine = state.store.group_ids_of(&scope, auth.principal.user.id).await?;
        if !groups.iter().any(|g| mine.contains(g)) {
            let mut errors = ValidationErrors::default();
            errors.push(FieldError::new(
                "group_ids",
                "not_a_member",
                "Include a group you belong to, or you could not see the query yourself",
            ));
            errors.into_result()?;
        }
    }
    let (query, groups) = state.store.restrict_query(&scope, id, expected, groups).await?;
    out(&state, &auth.principal, &query, &groups).await
}
