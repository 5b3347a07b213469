//! The organisation's scheduled jobs.

use super::{Params, at, http, segment};
use api_types::{Job, JobList, Problem};

/// `GET /jobs`: most recently changed first; `state` narrows to one state (`failed`, …).
pub async fn list(state: Option<&str>) -> Result<JobList, Problem> {
    let params = state.map_or_else(Params::none, |state| Params::none().with("state", state));
    http::get(&format!("{}{}", at("jobs"), params.encoded())).await
}

/// `POST /jobs/{id}/retry`: runs a failed job again.
pub async fn retry(id: impl ToString) -> Result<Job, Problem> {
    http::post(&at(&format!("jobs/{}/retry", segment(id))), &serde_json::json!({})).await
}
