//! Queries (FR-002, FR-003, FR-006, FR-011): log, read, change status, status history.

use crate::{
    auth::{
        Authorized,
        policy::{QueriesRead, QueriesWrite},
    },
    idempotency,
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        query_wire,
        query_wire::new_query,
        query_wire::status_out,
        respond::{Created, Tagged},
        workflow_wire::status_change,
    },
    state::AppState,
};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use api_types::{ChangeStatusRequest, CreateQueryRequest, Query, QueryStatusList, StatusChange, StatusHistory};
use domain::{Area, QueryId};

type Problem = api_types::Problem;

/// The tenant's statuses, in display order.
#[utoipa::path(tag = "queries", security(("session" = [])), responses(
    (status = OK, body = QueryStatusList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/query-statuses")]
pub async fn list_query_statuses(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
) -> ApiResult<web::Json<QueryStatusList>> {
    let statuses = state.store.query_statuses(&auth.scope()).await?;
    Ok(web::Json(QueryStatusList { items: statuses.iter().map(status_out).collect() }))
}

/// Logs a query with the next reference, in the start status of the workflow that applies to
/// its type. With an
/// `Idempotency-Key`, a retry replays the first response.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = CreateQueryRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    responses(
        (status = CREATED, body = Query, headers(("Location" = String), ("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries")]
pub async fn create_query(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    body: ValidJson<CreateQueryRequest>,
) -> ApiResult<HttpResponse> {
    let scope = auth.scope();
    idempotency::run(&req, state.store.as_ref(), &scope, &body.0, || async {
        let new = new_query(&body.0)?;
        let query = state.store.create_query(&scope, new).await?;
        // An officer it was assigned to at once has a notification: their open pages hear of it.
        if let Some(officer) = query.assignment.officer.filter(|o| Some(o.as_uuid()) != scope.actor.id()) {
            state.live.notify(scope.tenant_id, officer);
        }
        let out = query_wire::shown(&state, &scope, &auth.principal, &query).await?;
        let location = format!("/api/v1/queries/{}", query.id);
        Ok(Created::new(location, query.version, out).stored())
    })
    .await
}

/// One query. Ids of other tenants' queries are not found.
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = Query, headers(("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}")]
pub async fn get_query(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<Tagged<api_types::Query>> {
    let scope = auth.scope();
    let query = state.store.get_query(&scope, id.into_inner()).await?.ok_or(ApiError::NotFound)?;
    let out = query_wire::shown(&state, &scope, &auth.principal, &query).await?;
    Ok(Tagged::new(query.version, out))
}

/// Moves a query to another status. Needs `If-Match`; every change is kept in the history.
#[utoipa::path(tag = "queries", security(("session" = [])), request_body = ChangeStatusRequest,
    params(("id" = Uuid, Path, description = "The query's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = Query, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[post("/queries/{id}/status")]
pub async fn change_query_status(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<QueriesWrite>,
    id: web::Path<QueryId>,
    body: ValidJson<ChangeStatusRequest>,
) -> ApiResult<Tagged<api_types::Query>> {
    let scope = auth.scope();
    let id = id.into_inner();
    let expected = if_match(&req)?;
    // Storage looks the query up first, so another tenant's query is 404 whatever the status;
    // the query's workflow then decides whether this caller may make the move.
    let change = status_change(body.0.status_id, &body.0.resolution_summary, &body.0.reason);
    let level = auth.principal.permissions.level(Area::Queries);
    let query = state.store.change_query_status(&scope, id, expected, &change, level).await?;
    let out = query_wire::shown(&state, &scope, &auth.principal, &query).await?;
    Ok(Tagged::new(query.version, out))
}

/// Every status the query has been in, oldest first, with the workflow version each move was
/// checked against and the summary or reason it asked for.
#[utoipa::path(tag = "queries", security(("session" = [])), params(("id" = Uuid, Path, description = "The query's id")), responses(
    (status = OK, body = StatusHistory),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/queries/{id}/status-history")]
pub async fn status_history(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    id: web::Path<QueryId>,
) -> ApiResult<web::Json<StatusHistory>> {
    let scope = auth.scope();
    let id = id.into_inner();
    state.store.get_query(&scope, id).await?.ok_or(ApiError::NotFound)?;
    let history = state.store.status_history(&scope, id).await?;
    let items = history
        .into_iter()
        .map(|t| StatusChange {
            seq: t.seq,
            from_status_id: t.from.map(|s| s.as_uuid()),
            to_status_id: t.to.as_uuid(),
            at: t.at.as_datetime(),
            actor_id: t.actor.id(),
            workflow_id: t.workflow.map(|w| w.id.as_uuid()),
            workflow_version: t.workflow.map(|w| w.version),
            resolution_summary: t.resolution_summary,
            reason: t.reason,
        })
        .collect();
    Ok(web::Json(StatusHistory { items }))
}
