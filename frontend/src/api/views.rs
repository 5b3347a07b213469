//! Ways back to work: saved views of the work queue, and recently viewed records.

use super::{at, http, segment};
use api_types::{Problem, RecentList, View, ViewInput, ViewList};

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

/// `GET /me/recently-viewed`: the records the caller opened last, newest first.
pub async fn recently_viewed() -> Result<RecentList, Problem> {
    http::get(&at("me/recently-viewed")).await
}

/// `PUT /me/recently-viewed/queries/{id}`: notes that the caller opened this query.
pub async fn visited_query(id: impl ToString) -> Result<(), Problem> {
    http::put_empty(&at(&format!("me/recently-viewed/queries/{}", segment(id)))).await
}

/// `PUT /me/recently-viewed/customers/{id}`: notes that the caller opened this customer.
pub async fn visited_customer(id: impl ToString) -> Result<(), Problem> {
    http::put_empty(&at(&format!("me/recently-viewed/customers/{}", segment(id)))).await
}
