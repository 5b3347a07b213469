//! The HTTP underneath the typed client: one function per kind of request.
//!
//! Every failure comes back as an [`api_types::Problem`], whatever went wrong: the server's own
//! `application/problem+json` body when there is one, otherwise a problem made here (network
//! failure, an unexpected body), so pages handle one error type. Cookies are same-origin and
//! HttpOnly: the SPA never sees a token. Writes carry the CSRF header the server insists on.

use api_types::{CSRF_HEADER, Problem, ProblemCode};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::{Serialize, de::DeserializeOwned};

/// `GET path`, expecting a JSON body.
pub(super) async fn get<T: DeserializeOwned>(path: &str) -> Result<T, Problem> {
    let response =
        Request::get(path).header("Accept", "application/json").send().await.map_err(|_| network_problem())?;
    json_body(response).await
}

/// `POST path` with a JSON body, expecting a JSON body back.
pub(super) async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Problem> {
    json_body(send_json(write(Request::post(path)), body).await?).await
}

/// `PUT path` with a JSON body, for a setting that has no version (an order), expecting a JSON
/// body back.
pub(super) async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, Problem> {
    json_body(send_json(write(Request::put(path)), body).await?).await
}

/// `PUT path` with a JSON body, replacing the resource only if it is still at `version` (sent
/// as `If-Match`; a 412 problem otherwise), expecting a JSON body back.
pub(super) async fn put_if_match<B: Serialize, T: DeserializeOwned>(
    path: &str,
    version: i64,
    body: &B,
) -> Result<T, Problem> {
    json_body(send_json(if_match(write(Request::put(path)), version), body).await?).await
}

/// `POST path` with a JSON body and an `Idempotency-Key`: a create the user may retry (after a
/// timeout, or a failure of a later step) without making a second record, as long as the key
/// and body are the same. Use [`new_idempotency_key`] once per submission attempt.
pub(super) async fn post_idempotent<B: Serialize, T: DeserializeOwned>(
    path: &str,
    key: &str,
    body: &B,
) -> Result<T, Problem> {
    json_body(send_json(write(Request::post(path)).header("Idempotency-Key", key), body).await?).await
}

/// `POST path` with a JSON body, acting only if the resource is still at `version` (sent as
/// `If-Match`; a 412 problem otherwise), expecting a JSON body back.
pub(super) async fn post_if_match<B: Serialize, T: DeserializeOwned>(
    path: &str,
    version: i64,
    body: &B,
) -> Result<T, Problem> {
    json_body(send_json(if_match(write(Request::post(path)), version), body).await?).await
}

/// `DELETE path`, only if the resource is still at `version` (`If-Match`; a 412 problem
/// otherwise), expecting no body back (204).
pub(super) async fn delete_if_match(path: &str, version: i64) -> Result<(), Problem> {
    no_body(if_match(write(Request::delete(path)), version)).await
}

/// `DELETE path` with a JSON body (a reason), only if the resource is still at `version`,
/// expecting no body back (204).
pub(super) async fn delete_with_if_match<B: Serialize>(path: &str, version: i64, body: &B) -> Result<(), Problem> {
    let response = send_json(if_match(write(Request::delete(path)), version), body).await?;
    if response.ok() { Ok(()) } else { Err(problem_from(response).await) }
}

/// `DELETE path` of something without versions, expecting no body back (204).
pub(super) async fn delete(path: &str) -> Result<(), Problem> {
    no_body(write(Request::delete(path))).await
}

/// `POST path` with no body, expecting no body back (204).
pub(super) async fn post_empty(path: &str) -> Result<(), Problem> {
    no_body(write(Request::post(path))).await
}

/// `PUT path` with no body, expecting no body back (204).
pub(super) async fn put_empty(path: &str) -> Result<(), Problem> {
    no_body(write(Request::put(path))).await
}

/// A fresh random key for `Idempotency-Key` (a UUID from the browser's CSPRNG).
pub fn new_idempotency_key() -> String {
    let from_crypto = web_sys::window().and_then(|w| w.crypto().ok()).map(|c| c.random_uuid());
    // crypto.randomUUID needs a secure context, which the app always has (HTTPS, or localhost
    // in development); the fallback only keeps a misconfigured deployment working.
    from_crypto
        .unwrap_or_else(|| format!("{:x}-{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e18) as u64))
}

/// Sends `builder` with `body` as JSON.
async fn send_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Response, Problem> {
    let request = builder
        .json(body)
        .map_err(|_| local_problem(0, ProblemCode::UnexpectedResponse, "The request could not be encoded"))?;
    request.send().await.map_err(|_| network_problem())
}

/// Sends a request without a body and expects none back.
async fn no_body(builder: RequestBuilder) -> Result<(), Problem> {
    let response = builder.send().await.map_err(|_| network_problem())?;
    if response.ok() { Ok(()) } else { Err(problem_from(response).await) }
}

/// Acts only on the version the page read: the server answers 412 if it has moved on.
fn if_match(builder: RequestBuilder, version: i64) -> RequestBuilder {
    builder.header("If-Match", &format!("\"{version}\""))
}

/// Headers for a cookie-authenticated write: the server rejects writes without the CSRF header.
fn write(builder: RequestBuilder) -> RequestBuilder {
    builder.header(CSRF_HEADER, "1").header("Accept", "application/json")
}

async fn json_body<T: DeserializeOwned>(response: Response) -> Result<T, Problem> {
    if !response.ok() {
        return Err(problem_from(response).await);
    }
    let status = response.status();
    response
        .json::<T>()
        .await
        .map_err(|_| local_problem(status, ProblemCode::UnexpectedResponse, "The response could not be read"))
}

/// The problem in a non-2xx response; a stand-in when the body is not a problem document
/// (for example an HTML error page from a proxy).
async fn problem_from(response: Response) -> Problem {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => problem,
        Err(_) => local_problem(status, ProblemCode::UnexpectedResponse, "The response could not be read"),
    }
}

pub(super) fn network_problem() -> Problem {
    local_problem(0, ProblemCode::NetworkError, "The service could not be reached")
}

/// A problem made by the SPA itself; `status` is 0 when there was no HTTP response.
pub(super) fn local_problem(status: u16, code: ProblemCode, title: &str) -> Problem {
    Problem {
        kind: code.type_uri(),
        title: title.to_owned(),
        status,
        detail: None,
        code,
        errors: Vec::new(),
        allowed_status_ids: None,
    }
}
