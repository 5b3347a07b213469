//! Conditional requests: optimistic concurrency through `If-Match`.

use crate::problem::{ApiError, ApiResult};
use actix_web::{HttpRequest, http::header};

/// The version named by `If-Match` (`"3"` or `W/"3"`).
pub fn if_match(req: &HttpRequest) -> ApiResult<i64> {
    let raw = req.headers().get(header::IF_MATCH).ok_or(ApiError::PreconditionRequired)?;
    let text = raw.to_str().map_err(|_| ApiError::PreconditionRequired)?;
    text.trim().trim_start_matches("W/").trim_matches('"').parse().map_err(|_| ApiError::PreconditionRequired)
}
