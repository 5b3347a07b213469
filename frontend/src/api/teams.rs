//! Teams.

use super::{at, http, segment};
use api_types::{Problem, Team, TeamInput, TeamList, TeamWorkload};

/// `GET /teams`.
pub async fn list() -> Result<TeamList, Problem> {
    http::get(&at("teams")).await
}

/// `GET /teams/{id}`.
pub async fn get(id: impl ToString) -> Result<Team, Problem> {
    http::get(&at(&format!("teams/{}", segment(id)))).await
}

/// `POST /teams`.
pub async fn create(input: &TeamInput) -> Result<Team, Problem> {
    http::post(&at("teams"), input).await
}

/// `PUT /teams/{id}` if it is still at `version`.
pub async fn update(id: impl ToString, version: i64, input: &TeamInput) -> Result<Team, Problem> {
    http::put_if_match(&at(&format!("teams/{}", segment(id))), version, input).await
}

/// `GET /teams/{id}/workload`: how the team's open queries are spread among officers.
pub async fn workload(id: impl ToString) -> Result<TeamWorkload, Problem> {
    http::get(&at(&format!("teams/{}/workload", segment(id)))).await
}
