//! Saved views of the work queue.

use super::{at, http, segment};
use api_types::{Problem, View, ViewInput, ViewList};

/// `GET /views`: the caller's own views and those shared with them.
pub async fn list() -> Result<ViewList, Problem> {
    http::get(&at("views")).await
}

/// `POST /views`.
pub async fn create(input: &ViewInput) -> Result<View, Problem> {
    http::post(&at("views"), input).await
}

/// `DELETE /views/{id}` if it is still at `version`.
pub async fn delete(id: impl ToString, version: i64) -> Result<(), Problem> {
    http::delete_if_match(&at(&format!("views/{}", segment(id))), version).await
}
