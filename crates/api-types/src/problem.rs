//! RFC 9457 problem details, the body of every error response. The request id to quote to
//! support is in the `X-Request-Id` header of every response.

use serde::{Deserialize, Serialize};

/// An error response (`application/problem+json`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Problem {
    /// A URI naming the kind of problem: `urn:casedesk:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short, human-readable summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time, for a person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// A stable machine-readable code; clients branch on this, never on the text.
    pub code: ProblemCode,
    /// The fields at fault, for validation errors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldProblem>,
    /// For `transition_not_allowed`: the statuses the caller may move the query to instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub allowed_status_ids: Option<Vec<uuid::Uuid>>,
}

/// One field at fault.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldProblem {
    /// The JSON path of the field, e.g. `email`.
    pub field: String,
    /// A stable code, e.g. `required`, `invalid_email`.
    pub code: String,
    /// What to do about it, for a person.
    pub message: String,
}

/// Every problem `code` there is: the server's, and two that clients make themselves. One
/// list shared by the server (which answers with them) and the SPA (which branches on them),
/// so neither can drift from the other; the OpenAPI document lists them too.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    /// 401: no session or token, or it has ended.
    Unauthenticated,
    /// 401: this browser's session ended because the user signed in somewhere else.
    SignedInElsewhere,
    /// 401: an administrator ended this browser's session.
    SessionEndedByAdministrator,
    /// 409: the tenant refuses a second session while one is live.
    SessionActiveElsewhere,
    /// 403: password sign-in is only for break-glass accounts here.
    LocalSignInDisabled,
    /// 401: wrong email address or password.
    InvalidCredentials,
    /// 401: an Entra bearer token failed a check.
    InvalidToken,
    /// 503: Entra ID could not be reached to check a token.
    IdentityProviderUnavailable,
    /// 403: a cookie-authenticated write without the CSRF header.
    CsrfHeaderMissing,
    /// 403: the caller's permissions do not allow this.
    Forbidden,
    /// 429: the account is locked after repeated wrong passwords.
    SignInLocked,
    /// 429: wait before trying another password.
    SignInThrottled,
    /// 429: too many requests.
    RateLimited,
    /// 403: the user's permissions exceed the caller's.
    OutranksYou,
    /// 403: the group grants more than the caller holds.
    GroupOutranksYou,
    /// 403: only administration at full may mark break-glass accounts.
    BreakGlassNeedsFullAdministration,
    /// 404: no such resource, or not one the caller may see.
    NotFound,
    /// 413.
    PayloadTooLarge,
    /// 414.
    UriTooLong,
    /// 408: the request body did not arrive in time.
    RequestTimeout,
    /// 405.
    MethodNotAllowed,
    /// 400: the body is not JSON of the right shape.
    MalformedJson,
    /// 415.
    UnsupportedMediaType,
    /// 422: fields at fault are listed in `errors`.
    ValidationFailed,
    /// 422: the query's workflow has no such move; `allowed_status_ids` lists those it has.
    TransitionNotAllowed,
    /// 409: conflicts with something that exists.
    Conflict,
    /// 415: an uploaded file is of a kind not accepted (told from its bytes); `errors` names it.
    UnsupportedFileType,
    /// 422: the virus scanner found an uploaded file infected; `detail` names the signature.
    /// Nothing of the upload was kept.
    Infected,
    /// 413: a file is larger than the virus scanner checks whole, so it cannot be accepted;
    /// `errors` names it. Nothing of the upload was kept.
    TooLargeToScan,
    /// 503: the virus scanner could not be reached or did not answer in time; nothing was kept.
    ScannerUnavailable,
    /// 409: a rescan found the document infected; it is kept for investigation, never sent.
    DocumentQuarantined,
    /// 500: the document's stored bytes failed their integrity check; none of it was sent.
    DocumentDamaged,
    /// 422: an `Idempotency-Key` reused for a different request.
    IdempotencyKeyReused,
    /// 409: the request with this `Idempotency-Key` is still running.
    IdempotencyKeyInUse,
    /// 428: send `If-Match`.
    PreconditionRequired,
    /// 412: someone else changed the resource since it was read.
    PreconditionFailed,
    /// 503: the service is starting or its database is unreachable.
    NotReady,
    /// 500.
    InternalError,
    /// Never sent by the server: a client's own code for a request that got no HTTP response.
    NetworkError,
    /// Never sent by the server: a client's own code for a response it could not read.
    UnexpectedResponse,
}

impl ProblemCode {
    /// The code as it appears on the wire (`code` and the end of `type`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Unauthenticated => "unauthenticated",
            Self::SignedInElsewhere => "signed_in_elsewhere",
            Self::SessionEndedByAdministrator => "session_ended_by_administrator",
            Self::SessionActiveElsewhere => "session_active_elsewhere",
            Self::LocalSignInDisabled => "local_sign_in_disabled",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InvalidToken => "invalid_token",
            Self::IdentityProviderUnavailable => "identity_provider_unavailable",
            Self::CsrfHeaderMissing => "csrf_header_missing",
            Self::Forbidden => "forbidden",
            Self::SignInLocked => "sign_in_locked",
            Self::SignInThrottled => "sign_in_throttled",
            Self::RateLimited => "rate_limited",
            Self::OutranksYou => "outranks_you",
            Self::GroupOutranksYou => "group_outranks_you",
            Self::BreakGlassNeedsFullAdministration => "break_glass_needs_full_administration",
            Self::NotFound => "not_found",
            Self::PayloadTooLarge => "payload_too_large",
            Self::UriTooLong => "uri_too_long",
            Self::RequestTimeout => "request_timeout",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::MalformedJson => "malformed_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::ValidationFailed => "validation_failed",
            Self::TransitionNotAllowed => "transition_not_allowed",
            Self::UnsupportedFileType => "unsupported_file_type",
            Self::Infected => "infected",
            Self::TooLargeToScan => "too_large_to_scan",
            Self::ScannerUnavailable => "scanner_unavailable",
            Self::DocumentQuarantined => "document_quarantined",
            Self::DocumentDamaged => "document_damaged",
            Self::Conflict => "conflict",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::IdempotencyKeyInUse => "idempotency_key_in_use",
            Self::PreconditionRequired => "precondition_required",
            Self::PreconditionFailed => "precondition_failed",
            Self::NotReady => "not_ready",
            Self::InternalError => "internal_error",
            Self::NetworkError => "network_error",
            Self::UnexpectedResponse => "unexpected_response",
        }
    }

    /// The problem's `type` URI.
    pub fn type_uri(self) -> String {
        format!("urn:casedesk:problem:{}", self.as_str())
    }
}

impl std::fmt::Display for ProblemCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::ProblemCode;

    /// `as_str` (used in `type`) and serde (used in `code`) must spell every code the same way.
    #[test]
    fn each_code_is_spelled_the_same_in_type_and_code() {
        for code in ALL {
            assert_eq!(serde_json::to_value(code).expect("serialises"), serde_json::Value::from(code.as_str()));
            assert_eq!(serde_json::from_value::<ProblemCode>(code.as_str().into()).expect("parses"), code);
        }
    }

    const ALL: [ProblemCode; 40] = [
        ProblemCode::Unauthenticated,
        ProblemCode::SignedInElsewhere,
        ProblemCode::SessionEndedByAdministrator,
        ProblemCode::SessionActiveElsewhere,
        ProblemCode::LocalSignInDisabled,
        ProblemCode::InvalidCredentials,
        ProblemCode::InvalidToken,
        ProblemCode::IdentityProviderUnavailable,
        ProblemCode::CsrfHeaderMissing,
        ProblemCode::Forbidden,
        ProblemCode::SignInLocked,
        ProblemCode::SignInThrottled,
        ProblemCode::RateLimited,
        ProblemCode::OutranksYou,
        ProblemCode::GroupOutranksYou,
        ProblemCode::BreakGlassNeedsFullAdministration,
        ProblemCode::NotFound,
        ProblemCode::PayloadTooLarge,
        ProblemCode::UriTooLong,
        ProblemCode::RequestTimeout,
        ProblemCode::MethodNotAllowed,
        ProblemCode::TransitionNotAllowed,
        ProblemCode::UnsupportedFileType,
        ProblemCode::Infected,
        ProblemCode::TooLargeToScan,
        ProblemCode::ScannerUnavailable,
        ProblemCode::DocumentQuarantined,
        ProblemCode::DocumentDamaged,
        ProblemCode::MalformedJson,
        ProblemCode::UnsupportedMediaType,
        ProblemCode::ValidationFailed,
        ProblemCode::Conflict,
        ProblemCode::IdempotencyKeyReused,
        ProblemCode::IdempotencyKeyInUse,
        ProblemCode::PreconditionRequired,
        ProblemCode::PreconditionFailed,
        ProblemCode::NotReady,
        ProblemCode::InternalError,
        ProblemCode::NetworkError,
        ProblemCode::UnexpectedResponse,
    ];
}
