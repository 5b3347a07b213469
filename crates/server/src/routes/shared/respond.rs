//! Responses that carry a record's version: `200` with an `ETag`, or `201` with `Location` and
//! an `ETag`. Handlers return the typed body and its version; the headers are written here once.

use crate::idempotency::StoredResponse;
use actix_web::{Either, HttpRequest, HttpResponse, Responder, body::BoxBody, http::header};
use serde::Serialize;

/// The ETag of a versioned record: strong, quoted.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// A record at `version`, answered `200 OK` with its `ETag` (what `If-Match` sends back).
#[derive(Debug)]
pub struct Tagged<T> {
    pub version: i64,
    pub body: T,
}

impl<T> Tagged<T> {
    pub fn new(version: i64, body: T) -> Self {
        Self { version, body }
    }
}

impl<T: Serialize> Responder for Tagged<T> {
    type Body = BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().insert_header((header::ETAG, etag(self.version))).json(self.body)
    }
}

/// A record just created at `location`, answered `201 Created` with `Location` and `ETag`.
#[derive(Debug)]
pub struct Created<T> {
    pub location: String,
    pub version: i64,
    pub body: T,
}

impl<T: Serialize> Created<T> {
    pub fn new(location: String, version: i64, body: T) -> Self {
        Self { location, version, body }
    }

    /// The response as an `Idempotency-Key` keeps it, to replay to a retry.
    pub fn stored(&self) -> StoredResponse {
        StoredResponse {
            status: 201,
            body: serde_json::to_string(&self.body).unwrap_or_default(),
            location: Some(self.location.clone()),
            etag: Some(etag(self.version)),
        }
    }
}

impl<T: Serialize> Responder for Created<T> {
    type Body = BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        HttpResponse::Created()
            .insert_header((header::LOCATION, self.location))
            .insert_header((header::ETAG, etag(self.version)))
            .json(self.body)
    }
}

/// A record merged into another answers `308 Permanent Redirect` to the survivor, so old links
/// still resolve (FR-020).
#[derive(Debug)]
pub struct MergedInto(pub String);

impl Responder for MergedInto {
    type Body = BoxBody;

    fn respond_to(self, _req: &HttpRequest) -> HttpResponse {
        HttpResponse::PermanentRedirect().insert_header((header::LOCATION, self.0)).finish()
    }
}

/// A record, or where it went.
pub type TaggedOrMoved<T> = Either<Tagged<T>, MergedInto>;
