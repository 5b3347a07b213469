//! `Idempotency-Key` on creates: a client that retries a create (say after a timeout) with the
//! same key and body gets the first response again instead of a second record. The same key
//! with another body is 422; a retry while the first attempt is still running is 409.

use crate::problem::{ApiError, ApiResult};
use actix_web::{HttpRequest, HttpResponse, http::StatusCode};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::future::Future;
pub use storage::StoredResponse;
use storage::{IdempotencyStart, Store, TenantScope};

pub const HEADER: &str = "Idempotency-Key";

/// The key, if the client sent one; 1 to 255 visible ASCII characters.
fn key(req: &HttpRequest) -> ApiResult<Option<String>> {
    let Some(raw) = req.headers().get(HEADER) else { return Ok(None) };
    let key = raw.to_str().map(str::trim).unwrap_or_default();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::Validation(vec![domain::FieldError::new(
            HEADER,
            "invalid_idempotency_key",
            "Send 1 to 255 visible ASCII characters, e.g. a UUID",
        )]));
    }
    Ok(Some(key.to_owned()))
}

/// What identifies "the same request": method, path and the parsed body.
pub fn request_hash(method: &str, path: &str, body: &impl Serialize) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(method.as_bytes());
    hasher.update(b" ");
    hasher.update(path.as_bytes());
    hasher.update(b"\n");
    hasher.update(serde_json::to_vec(body).unwrap_or_default());
    hasher.finalize().into()
}

fn respond(stored: &StoredResponse, replayed: bool) -> HttpResponse {
    let mut response = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
    response.content_type("application/json");
    if let Some(location) = &stored.location {
        response.insert_header(("Location", location.as_str()));
    }
    if let Some(etag) = &stored.etag {
        response.insert_header(("ETag", etag.as_str()));
    }
    if replayed {
        response.insert_header(("Idempotent-Replayed", "true"));
    }
    response.body(stored.body.clone())
}

/// Runs `create` at most once per key (or simply once, without a key).
pub async fn run<F, Fut>(
    req: &HttpRequest,
    store: &dyn Store,
    scope: &TenantScope,
    body: &impl Serialize,
    create: F,
) -> ApiResult<HttpResponse>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = ApiResult<StoredResponse>>,
{
    let Some(key) = key(req)? else {
        return Ok(respond(&create().await?, false));
    };
    let hash = request_hash(req.method().as_str(), req.path(), body);
    match store.begin_idempotent(scope, &key, &hash).await? {
        IdempotencyStart::Replay(stored) => Ok(respond(&stored, true)),
        IdempotencyStart::Mismatch => Err(ApiError::IdempotencyKeyReused),
        IdempotencyStart::InProgress => Err(ApiError::IdempotencyKeyInUse),
        IdempotencyStart::Proceed => match create().await {
            Ok(stored) => {
                // The record exists now; failing to remember the response must not hide it.
                if let Err(error) = store.complete_idempotent(scope, &key, &stored).await {
                    tracing::error!(%error, "could not store an idempotent response");
                }
                Ok(respond(&stored, false))
            }
            Err(error) => {
                if let Err(release) = store.abandon_idempotent(scope, &key).await {
                    tracing::error!(error = %release, "could not release an idempotency key");
                }
                Err(error)
            }
        },
    }
}
