//! Service-level policies.

use super::{at, http};
use api_types::{Problem, SlaPolicyList, SlaPolicyOrder, SlaPreview, SlaPreviewRequest, SlaRetime};

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
