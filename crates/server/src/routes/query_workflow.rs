//! The workflow a query follows: the moves the caller may make from its status (what the SPA
//! offers), and moving the query on purpose to the current version of its workflow.

use crate::{
    auth::{
        Authorized,
        policy::{QueriesRead, QueriesWrite},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{conditional::if_match, query_wire, respond::Tagged, workflow_wire::requirements_out},
    state::AppState,
};
use actix_web::{HttpRequest, get, post, web};
use api_types::{AvailableTransition, MoveWorkflowRequest, QueryTransitions};
use domain::{Area, QueryId, StatusId};

type Problem = api_types::Problem;

/// The moves the caller may make from the query's status under the workflow version it
/// follows, in the workflow's order, with the fields each asks for.
#[utoipa::path(tag = "workflows", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = QueryTransitions),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/transitions")]
pub async fn query_transitions(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<QueryTransitions>> {
    let scope = auth.scope();
    let id = id.into_inner();
    // One read: the query's status and workflow together (404 when it is not the caller's to see).
    let at = state.store.query_workflow(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let level = auth.principal.permissions.level(Area::Queries);
    let transitions = at
        .definition
        .from(at.status)
        .into_iter()
        .filter(|t| level >= t.level)
        .map(|t| AvailableTransition { to_status_id: t.to.as_uuid(), requires: requirements_out(&t.requires) })
        .collect();
    Ok(web::Json(QueryTransitions {
        workflow_id: at.follows.id.as_uuid(),
        workflow_version: at.follows.version,
        applies_workflow_id: at.applies.id.as_uuid(),
        current_version: at.applies.version,
        status_id: at.status.as_uuid(),
        transitions,
    }))
}

/// Moves the query to the current version of the workflow that applies to its type now (after
/// a new version is published, or its type changed). Its status stays unless `status_id` names
/// the status it takes in the new version, which is needed when its status is not in it.
#[utoipa::path(tag = "workflows", security(("session" = [])), request_body = MoveWorkflowRequest,
    params(("id" = Uuid, Path, description = "The query's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = api_types::Query, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/{id}/workflow")]
pub async fn move_query_workflow(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<QueryId>,
    body: ValidJson<MoveWorkflowRequest>,
) -> ApiResult<Tagged<api_types::Query>> {
    let scope = auth.scope();
    let expected = if_match(&req)?;
    let status = body.0.status_id.map(StatusId::from_uuid);
    let query = state.store.move_query_workflow(&scope, id.into_inner(), expected, status).await?;
    let out = query_wire::shown(&state, &scope, &auth.principal, &query).await?;
    Ok(Tagged::new(query.version, out))
}
