//! Customers: search, each customer and their overview, changes, duplicates, merges, history.

use super::{Params, at, http, segment};
use api_types::{
    Customer, CustomerInput, CustomerOverview, CustomerPage, DuplicateCheck, History, MergeRequest, MergeResult,
    Problem,
};

fn one(id: impl ToString, rest: &str) -> String {
    at(&format!("customers/{}{rest}", segment(id)))
}

/// `GET /customers`: a page of customers, found by `q` (name, email, phone, postcode) if given.
pub async fn list(params: &Params) -> Result<CustomerPage, Problem> {
    http::get(&format!("{}{}", at("customers"), params.encoded())).await
}

/// `GET /customers/{id}` (a merged customer answers with the one it was merged into).
pub async fn get(id: impl ToString) -> Result<Customer, Problem> {
    http::get(&one(id, "")).await
}

/// `GET /customers/{id}/overview`: the single customer view.
pub async fn overview(id: impl ToString) -> Result<CustomerOverview, Problem> {
    http::get(&one(id, "/overview")).await
}

/// `POST /customers`.
pub async fn create(input: &CustomerInput) -> Result<Customer, Problem> {
    http::post(&at("customers"), input).await
}

/// `POST /customers`, retry-safe under `key` (see [`super::new_idempotency_key`]).
pub async fn create_once(key: &str, input: &CustomerInput) -> Result<Customer, Problem> {
    http::post_idempotent(&at("customers"), key, input).await
}

/// `PUT /customers/{id}` if it is still at `version`.
pub async fn update(id: impl ToString, version: i64, input: &CustomerInput) -> Result<Customer, Problem> {
    http::put_if_match(&one(id, ""), version, input).await
}

/// `POST /customers/duplicate-check`: customers who may be the same person.
pub async fn duplicate_check(input: &CustomerInput) -> Result<DuplicateCheck, Problem> {
    http::post(&at("customers/duplicate-check"), input).await
}

/// `POST /customers/{id}/merge` if the survivor is still at `version`.
pub async fn merge(id: impl ToString, version: i64, request: &MergeRequest) -> Result<MergeResult, Problem> {
    http::post_if_match(&one(id, "/merge"), version, request).await
}

/// `GET /customers/{id}/history`: every change to the record.
pub async fn history(id: impl ToString) -> Result<History, Problem> {
    http::get(&one(id, "/history")).await
}
