//! Statuses and workflows (FR-005): administrators add, rename, reorder and retire statuses,
//! and publish versions of the default workflow and of query types' own. Anyone who may read
//! queries may read the workflows, since they say what each move needs.

use crate::{
    auth::{
        Authorized,
        policy::{AdministrationWrite, QueriesRead},
    },
    json::ValidJson,
    problem::{ApiError, ApiResult},
    routes::shared::{
        conditional::if_match,
        query_wire::status_out,
        respond::{Created, Tagged},
        workflow_wire::{category_in, definition_in, definition_out, workflow_out},
    },
    state::AppState,
};
use actix_web::{HttpRequest, get, post, put, web};
use api_types::{
    NewQueryStatus, NewWorkflow, QueryStatus, QueryStatusChange, Workflow, WorkflowDefinition, WorkflowList,
    WorkflowVersion,
};
use domain::{
    QueryTypeId, StatusId, ValidationErrors, WorkflowId,
    workflow::{StatusEdit, WorkflowRef},
};

type Problem = api_types::Problem;

/// Adds a status at the end of the order. It is offered in no workflow until one lists it.
#[utoipa::path(tag = "workflows", security(("session" = [])), request_body = NewQueryStatus, responses(
    (status = CREATED, body = QueryStatus, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/query-statuses")]
pub async fn create_query_status(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<NewQueryStatus>,
) -> ApiResult<Created<QueryStatus>> {
    let name = StatusEdit::check_name(&body.0.name).map_err(|e| ApiError::from(ValidationErrors(vec![e])))?;
    let scope = auth.scope();
    let status = state.store.create_query_status(&scope, &name, category_in(body.0.category)).await?;
    state.statuses.forget(scope.tenant_id);
    Ok(Created::new(format!("/api/v1/query-statuses/{}", status.id), status.version, status_out(&status)))
}

/// Renames a status, moves it in the order, or retires or restores it. A status the current
/// version of a workflow lists cannot be retired (409).
#[utoipa::path(tag = "workflows", security(("session" = [])), request_body = QueryStatusChange,
    params(("id" = Uuid, Path, description = "The status's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = QueryStatus, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/query-statuses/{id}")]
pub async fn replace_query_status(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<StatusId>,
    body: ValidJson<QueryStatusChange>,
) -> ApiResult<Tagged<QueryStatus>> {
    let expected = if_match(&req)?;
    let mut errors = ValidationErrors::default();
    let name = errors.check(StatusEdit::check_name(&body.0.name));
    if !(1..=1000).contains(&body.0.position) {
        errors.push(domain::FieldError::new("position", "out_of_range", "Give a place from 1 to 1000"));
    }
    errors.into_result()?;
    let position = i32::try_from(body.0.position).unwrap_or(i32::MAX);
    let edit = StatusEdit { name: name.unwrap_or_default(), position, retired: body.0.retired };
    let scope = auth.scope();
    let status = state.store.update_query_status(&scope, id.into_inner(), expected, edit).await?;
    state.statuses.forget(scope.tenant_id);
    Ok(Tagged::new(status.version, status_out(&status)))
}

/// The default workflow first, then query types' own, each at its current version.
#[utoipa::path(tag = "workflows", security(("session" = [])), responses(
    (status = OK, body = WorkflowList),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
))]
#[get("/workflows")]
pub async fn list_workflows(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
) -> ApiResult<web::Json<WorkflowList>> {
    let workflows = state.store.list_workflows(&auth.scope()).await?;
    Ok(web::Json(WorkflowList { items: workflows.iter().map(workflow_out).collect() }))
}

/// Gives a query type (and its sub-types, unless they have their own) a workflow of its own.
/// Queries of the type logged from now on follow it.
#[utoipa::path(tag = "workflows", security(("session" = [])), request_body = NewWorkflow, responses(
    (status = CREATED, body = Workflow, headers(("Location" = String), ("ETag" = String))),
    (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
    (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
    (status = CONFLICT, body = Problem, content_type = "application/problem+json"),
    (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
))]
#[post("/workflows")]
pub async fn create_workflow(
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    body: ValidJson<NewWorkflow>,
) -> ApiResult<Created<Workflow>> {
    let type_id = QueryTypeId::from_uuid(body.0.query_type_id);
    let workflow = state.store.create_workflow(&auth.scope(), type_id, definition_in(&body.0.definition)).await?;
    Ok(Created::new(format!("/api/v1/workflows/{}", workflow.id), workflow.version, workflow_out(&workflow)))
}

/// Publishes a new version of a workflow. Queries logged from now on follow it; queries
/// already logged keep the version they follow until moved (`POST /queries/{id}/workflow`).
#[utoipa::path(tag = "workflows", security(("session" = [])), request_body = WorkflowDefinition,
    params(("id" = Uuid, Path, description = "The workflow's id"), ("If-Match" = String, Header, description = "The ETag last read")),
    responses(
        (status = OK, body = Workflow, headers(("ETag" = String))),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_FAILED, body = Problem, content_type = "application/problem+json"),
        (status = UNPROCESSABLE_ENTITY, body = Problem, content_type = "application/problem+json"),
        (status = PRECONDITION_REQUIRED, body = Problem, content_type = "application/problem+json"),
))]
#[put("/workflows/{id}")]
pub async fn publish_workflow(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: Authorized<AdministrationWrite>,
    id: web::Path<WorkflowId>,
    body: ValidJson<WorkflowDefinition>,
) -> ApiResult<Tagged<Workflow>> {
    let expected = if_match(&req)?;
    let scope = auth.scope();
    let workflow = state.store.publish_workflow(&scope, id.into_inner(), expected, definition_in(&body.0)).await?;
    // Publishing the default workflow may move the statuses' "default" flag.
    state.statuses.forget(scope.tenant_id);
    Ok(Tagged::new(workflow.version, workflow_out(&workflow)))
}

/// One published version of a workflow, as it was published.
#[utoipa::path(tag = "workflows", security(("session" = [])),
    params(("id" = Uuid, Path, description = "The workflow's id"), ("number" = i32, Path, description = "The version's number, from 1")),
    responses(
        (status = OK, body = WorkflowVersion),
        (status = UNAUTHORIZED, body = Problem, content_type = "application/problem+json"),
        (status = FORBIDDEN, body = Problem, content_type = "application/problem+json"),
        (status = NOT_FOUND, body = Problem, content_type = "application/problem+json"),
))]
#[get("/workflows/{id}/versions/{number}")]
pub async fn workflow_version(
    state: web::Data<AppState>,
    auth: Authorized<QueriesRead>,
    path: web::Path<(WorkflowId, i32)>,
) -> ApiResult<web::Json<WorkflowVersion>> {
    let (id, number) = path.into_inner();
    let at = WorkflowRef { id, version: number };
    let definition = state.store.workflow_version(&auth.scope(), at).await?.ok_or(ApiError::NotFound)?;
    Ok(web::Json(WorkflowVersion { workflow_id: id.as_uuid(), number, definition: definition_out(&definition) }))
}
