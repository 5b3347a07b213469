//! Queries: the list, each query and what is done to it, its timeline, history and notes;
//! query types and statuses.

use super::{Params, at, http, segment};
use api_types::{
    AssignRequest, BulkChangeRequest, BulkChangeResult, ChangeStatusRequest, CreateNoteRequest, CreateQueryRequest,
    CreateQueryTypeRequest, History, Note, Problem, Query, QueryClockList, QueryPage, QueryRestriction,
    QueryStatusList, QueryType, QueryTypeList, RestrictionRequest, StatusHistory, Timeline, UpdateQueryRequest,
    UpdateQueryTypeRequest,
};

fn one(id: impl ToString, rest: &str) -> String {
    at(&format!("queries/{}{rest}", segment(id)))
}

/// `GET /queries`: a page of the queries the caller may see, filtered and sorted by `params`.
pub async fn list(params: &Params) -> Result<QueryPage, Problem> {
    http::get(&format!("{}{}", at("queries"), params.encoded())).await
}

/// `GET /queries/{id}`.
pub async fn get(id: impl ToString) -> Result<Query, Problem> {
    http::get(&one(id, "")).await
}

/// `POST /queries`, retry-safe under `key` (see [`super::new_idempotency_key`]).
pub async fn create(key: &str, request: &CreateQueryRequest) -> Result<Query, Problem> {
    http::post_idempotent(&at("queries"), key, request).await
}

/// `PUT /queries/{id}` if it is still at `version`.
pub async fn update(id: impl ToString, version: i64, request: &UpdateQueryRequest) -> Result<Query, Problem> {
    http::put_if_match(&one(id, ""), version, request).await
}

/// `DELETE /queries/{id}` if it is still at `version`.
pub async fn delete(id: impl ToString, version: i64) -> Result<(), Problem> {
    http::delete_if_match(&one(id, ""), version).await
}

/// `POST /queries/{id}/assignment` if it is still at `version`.
pub async fn assign(id: impl ToString, version: i64, request: &AssignRequest) -> Result<Query, Problem> {
    http::post_if_match(&one(id, "/assignment"), version, request).await
}

/// `POST /queries/{id}/status` if it is still at `version`.
pub async fn change_status(id: impl ToString, version: i64, request: &ChangeStatusRequest) -> Result<Query, Problem> {
    http::post_if_match(&one(id, "/status"), version, request).await
}

/// `GET /queries/{id}/status-history`.
pub async fn status_history(id: impl ToString) -> Result<StatusHistory, Problem> {
    http::get(&one(id, "/status-history")).await
}

/// `GET /queries/{id}/clocks`: its service-level clocks.
pub async fn clocks(id: impl ToString) -> Result<QueryClockList, Problem> {
    http::get(&one(id, "/clocks")).await
}

/// `GET /queries/{id}/timeline`.
pub async fn timeline(id: impl ToString) -> Result<Timeline, Problem> {
    http::get(&one(id, "/timeline")).await
}

/// `GET /queries/{id}/history`: every change to the record.
pub async fn history(id: impl ToString) -> Result<History, Problem> {
    http::get(&one(id, "/history")).await
}

/// `POST /queries/{id}/notes`: a note or a contact record.
pub async fn add_note(id: impl ToString, request: &CreateNoteRequest) -> Result<Note, Problem> {
    http::post(&one(id, "/notes"), request).await
}

/// `GET /queries/{id}/restriction`.
pub async fn restriction(id: impl ToString) -> Result<QueryRestriction, Problem> {
    http::get(&one(id, "/restriction")).await
}

/// `PUT /queries/{id}/restriction` if it is still at `version`.
pub async fn restrict(
    id: impl ToString,
    version: i64,
    request: &RestrictionRequest,
) -> Result<QueryRestriction, Problem> {
    http::put_if_match(&one(id, "/restriction"), version, request).await
}

/// `POST /queries/bulk`: one change to many queries, each with its own outcome.
pub async fn bulk(request: &BulkChangeRequest) -> Result<BulkChangeResult, Problem> {
    http::post(&at("queries/bulk"), request).await
}

/// `GET /query-statuses`.
pub async fn statuses() -> Result<QueryStatusList, Problem> {
    http::get(&at("query-statuses")).await
}

/// `GET /query-types`.
pub async fn types() -> Result<QueryTypeList, Problem> {
    http::get(&at("query-types")).await
}

/// `POST /query-types`.
pub async fn create_type(request: &CreateQueryTypeRequest) -> Result<QueryType, Problem> {
    http::post(&at("query-types"), request).await
}

/// `PUT /query-types/{id}` if it is still at `version`.
pub async fn update_type(
    id: impl ToString,
    version: i64,
    request: &UpdateQueryTypeRequest,
) -> Result<QueryType, Problem> {
    http::put_if_match(&at(&format!("query-types/{}", segment(id))), version, request).await
}
