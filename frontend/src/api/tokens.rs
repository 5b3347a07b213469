//! API tokens: the caller's own, and (for administrators) everyone's.

use super::{at, http, segment};
use api_types::{ApiTokenList, CreateApiTokenRequest, CreatedApiToken, Problem};

/// `GET /me/api-tokens`.
pub async fn mine() -> Result<ApiTokenList, Problem> {
    http::get(&at("me/api-tokens")).await
}

/// `POST /me/api-tokens`: the secret is in the answer, and only there.
pub async fn create_mine(request: &CreateApiTokenRequest) -> Result<CreatedApiToken, Problem> {
    http::post(&at("me/api-tokens"), request).await
}

/// `DELETE /me/api-tokens/{id}`.
pub async fn revoke_mine(id: impl ToString) -> Result<(), Problem> {
    http::delete(&at(&format!("me/api-tokens/{}", segment(id)))).await
}

/// `GET /api-tokens`: every token in the organisation.
pub async fn all() -> Result<ApiTokenList, Problem> {
    http::get(&at("api-tokens")).await
}

/// `DELETE /api-tokens/{id}`.
pub async fn revoke(id: impl ToString) -> Result<(), Problem> {
    http::delete(&at(&format!("api-tokens/{}", segment(id)))).await
}
