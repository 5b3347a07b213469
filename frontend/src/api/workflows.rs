//! Statuses and workflows, and the moves a query can make.

use super::{at, http, segment};
use api_types::{
    MoveWorkflowRequest, NewQueryStatus, NewWorkflow, Problem, Query, QueryStatus, QueryStatusChange, QueryTransitions,
    Workflow, WorkflowDefinition, WorkflowList,
};

/// `GET /queries/{id}/transitions`: the moves the caller may make from its status.
pub async fn transitions(query: impl ToString) -> Result<QueryTransitions, Problem> {
    http::get(&at(&format!("queries/{}/transitions", segment(query)))).await
}

/// `POST /queries/{id}/workflow` if it is still at `version`: onto the current workflow.
pub async fn move_query(query: impl ToString, version: i64, request: &MoveWorkflowRequest) -> Result<Query, Problem> {
    http::post_if_match(&at(&format!("queries/{}/workflow", segment(query))), version, request).await
}

/// `POST /query-statuses`: added last in the order.
pub async fn create_status(request: &NewQueryStatus) -> Result<QueryStatus, Problem> {
    http::post(&at("query-statuses"), request).await
}

/// `PUT /query-statuses/{id}` if it is still at `version`.
pub async fn update_status(
    id: impl ToString,
    version: i64,
    request: &QueryStatusChange,
) -> Result<QueryStatus, Problem> {
    http::put_if_match(&at(&format!("query-statuses/{}", segment(id))), version, request).await
}

/// `GET /workflows`: the default first, then query types' own.
pub async fn list() -> Result<WorkflowList, Problem> {
    http::get(&at("workflows")).await
}

/// `POST /workflows`: a query type's own.
pub async fn create(request: &NewWorkflow) -> Result<Workflow, Problem> {
    http::post(&at("workflows"), request).await
}

/// `PUT /workflows/{id}` if it is still at `version`: publishes the next version.
pub async fn publish(id: impl ToString, version: i64, definition: &WorkflowDefinition) -> Result<Workflow, Problem> {
    http::put_if_match(&at(&format!("workflows/{}", segment(id))), version, definition).await
}
