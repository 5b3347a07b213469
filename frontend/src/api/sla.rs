//! Service-level policies.

use super::{at, http, segment};
use api_types::{
    Problem, SlaPolicy, SlaPolicyInput, SlaPolicyList, SlaPolicyOrder, SlaPreview, SlaPreviewRequest, SlaRetime,
};

/// `GET /sla-policies`: in the order they are tried.
pub async fn list() -> Result<SlaPolicyList, Problem> {
    http::get(&at("sla-policies")).await
}

/// `PUT /sla-policies/order`: the named policies first, the rest after them.
pub async fn order(request: &SlaPolicyOrder) -> Result<SlaPolicyList, Problem> {
    http::put(&at("sla-policies/order"), request).await
}

/// `POST /sla-policies/preview`: when a query received at a time would be due.
pub async fn preview(request: &SlaPreviewRequest) -> Result<SlaPreview, Problem> {
    http::post(&at("sla-policies/preview"), request).await
}

/// `POST /sla-policies/{id}/retime`: queue the re-timing of its open queries.
pub async fn retime(id: uuid::Uuid) -> Result<SlaRetime, Problem> {
    http::post(&at(&format!("sla-policies/{id}/retime")), &serde_json::json!({})).await
}

/// `GET /sla-policies/{id}`.
pub async fn get(id: impl ToString) -> Result<SlaPolicy, Problem> {
    http::get(&at(&format!("sla-policies/{}", segment(id)))).await
}

/// `POST /sla-policies`: added last in the order.
pub async fn create(input: &SlaPolicyInput) -> Result<SlaPolicy, Problem> {
    http::post(&at("sla-policies"), input).await
}

/// `PUT /sla-policies/{id}` if it is still at `version`.
pub async fn update(id: impl ToString, version: i64, input: &SlaPolicyInput) -> Result<SlaPolicy, Problem> {
    http::put_if_match(&at(&format!("sla-policies/{}", segment(id))), version, input).await
}
