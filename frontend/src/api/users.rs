//! Users, the officer directory, and the groups that grant permissions.

use super::{Params, at, http, segment};
use api_types::{
    CreateUserRequest, Group, GroupList, GroupRequest, OfficerPage, Problem, User, UserAccess, UserPage,
    UserUpdateRequest,
};

/// `GET /users` (administrators).
pub async fn list(params: &Params) -> Result<UserPage, Problem> {
    http::get(&format!("{}{}", at("users"), params.encoded())).await
}

/// `GET /officers`: names of everyone who works queries, for pickers.
pub async fn officers(params: &Params) -> Result<OfficerPage, Problem> {
    http::get(&format!("{}{}", at("officers"), params.encoded())).await
}

/// `GET /users/{id}`.
pub async fn get(id: impl ToString) -> Result<User, Problem> {
    http::get(&at(&format!("users/{}", segment(id)))).await
}

/// `GET /users/{id}/access`: what the user's groups grant them.
pub async fn access(id: impl ToString) -> Result<UserAccess, Problem> {
    http::get(&at(&format!("users/{}/access", segment(id)))).await
}

/// `POST /users`.
pub async fn create(request: &CreateUserRequest) -> Result<User, Problem> {
    http::post(&at("users"), request).await
}

/// `PUT /users/{id}` if it is still at `version`.
pub async fn update(id: impl ToString, version: i64, request: &UserUpdateRequest) -> Result<User, Problem> {
    http::put_if_match(&at(&format!("users/{}", segment(id))), version, request).await
}

/// `GET /groups`.
pub async fn groups() -> Result<GroupList, Problem> {
    http::get(&at("groups")).await
}

/// `GET /groups/{id}`.
pub async fn group(id: impl ToString) -> Result<Group, Problem> {
    http::get(&at(&format!("groups/{}", segment(id)))).await
}

/// `POST /groups`.
pub async fn create_group(request: &GroupRequest) -> Result<Group, Problem> {
    http::post(&at("groups"), request).await
}

/// `PUT /groups/{id}` if it is still at `version`.
pub async fn update_group(id: impl ToString, version: i64, request: &GroupRequest) -> Result<Group, Problem> {
    http::put_if_match(&at(&format!("groups/{}", segment(id))), version, request).await
}

/// `DELETE /groups/{id}` if it is still at `version`.
pub async fn delete_group(id: impl ToString, version: i64) -> Result<(), Problem> {
    http::delete_if_match(&at(&format!("groups/{}", segment(id))), version).await
}
