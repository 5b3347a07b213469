//! Every error leaves as RFC 9457 `application/problem+json` with a stable `code`. Internal
//! details go to the log, never to the client.

use actix_web::{
    HttpResponse, ResponseError,
    http::{StatusCode, header},
};
use api_types::{FieldProblem, Problem, ProblemCode};
use domain::{Conflict, FieldError, ValidationErrors, access::SessionEndReason, authority::Refusal};
use storage::StorageError;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("authentication required")]
    Unauthenticated,
    /// The browser's session was ended, and it should be told why.
    #[error("session ended")]
    SessionEnded(domain::access::SessionEndReason),
    /// The organisation allows password sign-in only for break-glass accounts.
    #[error("local sign-in disabled")]
    LocalSignInDisabled,
    /// Under the tenant's `refuse` policy, a sign-in while another session is live.
    #[error("signed in elsewhere")]
    SessionActiveElsewhere,
    #[error("email or password not recognised")]
    InvalidCredentials,
    /// An Entra bearer token failed a check; the reason (never the token) says which.
    #[error("bearer token refused: {0}")]
    InvalidToken(&'static str),
    /// Entra ID (or Microsoft Graph) could not be reached to check a token.
    #[error("identity provider unavailable")]
    IdentityProviderUnavailable,
    #[error("the {0} header is required")]
    CsrfHeaderMissing(&'static str),
    #[error("permission denied")]
    Forbidden,
    /// Too many wrong passwords: this identity does not check passwords for a while.
    #[error("sign-in throttled or locked")]
    SignInLocked { retry_after_secs: i64, locked_out: bool },
    /// Too many requests from one address or with one credential; see `rate_limit`.
    #[error("rate limited")]
    RateLimited { retry_after_secs: u64 },
    /// The caller may act in the area, but not on this user or group: it holds more than they do.
    #[error("outranks the caller")]
    OutranksYou(Refusal),
    #[error("not found")]
    NotFound,
    #[error("request body too large")]
    PayloadTooLarge { limit_bytes: usize },
    #[error("request URL too long")]
    UriTooLong,
    /// The request body did not arrive in time.
    #[error("request body timed out")]
    BodyTimeout,
    #[error("method not allowed")]
    MethodNotAllowed { allow: Vec<String> },
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// The query's workflow has no such move; `allowed` are the moves the caller may make.
    #[error("transition not allowed")]
    TransitionNotAllowed { detail: String, allowed: Vec<uuid::Uuid> },
    /// The move exists but needs a higher level of the queries area.
    #[error("transition needs a higher level")]
    TransitionNeedsLevel { detail: String },
    #[error("conflict")]
    Conflict { detail: String, field: Option<(&'static str, &'static str)> },
    #[error("idempotency key reused for another request")]
    IdempotencyKeyReused,
    #[error("idempotency key in use")]
    IdempotencyKeyInUse,
    #[error("If-Match is required")]
    PreconditionRequired,
    #[error("stale version")]
    PreconditionFailed { current: i64 },
    #[error("not ready")]
    NotReady,
    /// An uploaded file's bytes are of a kind not accepted.
    #[error("file type not accepted")]
    UnsupportedFileType { field: String, file: String },
    /// clamd found an upload infected.
    #[error("upload infected")]
    Infected { field: String, file: String, signature: String },
    /// A file over the virus scanner's limits: it cannot be checked, so it is not kept.
    #[error("upload too large to scan")]
    TooLargeToScan { field: String, file: String },
    #[error("virus scanner unavailable")]
    ScannerUnavailable,
    #[error("document quarantined")]
    DocumentQuarantined { signature: String },
    /// The stored blob failed its integrity check (the cause stays in the log).
    #[error("document damaged")]
    DocumentDamaged(#[source] Box<dyn std::error::Error + Send + Sync>),
    #[error("internal error")]
    Internal(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl ApiError {
    pub fn internal(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Internal(Box::new(error))
    }

    fn code(&self) -> ProblemCode {
        match self {
            Self::Unauthenticated => ProblemCode::Unauthenticated,
            Self::SessionEnded(SessionEndReason::SignedInElsewhere) => ProblemCode::SignedInElsewhere,
            Self::SessionEnded(SessionEndReason::EndedByAdministrator) => ProblemCode::SessionEndedByAdministrator,
            Self::SessionEnded(_) => ProblemCode::Unauthenticated,
            Self::SessionActiveElsewhere => ProblemCode::SessionActiveElsewhere,
            Self::LocalSignInDisabled => ProblemCode::LocalSignInDisabled,
            Self::InvalidCredentials => ProblemCode::InvalidCredentials,
            Self::InvalidToken(_) => ProblemCode::InvalidToken,
            Self::IdentityProviderUnavailable => ProblemCode::IdentityProviderUnavailable,
            Self::CsrfHeaderMissing(_) => ProblemCode::CsrfHeaderMissing,
            Self::Forbidden => ProblemCode::Forbidden,
            Self::SignInLocked { locked_out: true, .. } => ProblemCode::SignInLocked,
            Self::SignInLocked { locked_out: false, .. } => ProblemCode::SignInThrottled,
            Self::RateLimited { .. } => ProblemCode::RateLimited,
            Self::OutranksYou(Refusal::UserOutranksYou) => ProblemCode::OutranksYou,
            Self::OutranksYou(Refusal::GroupOutranksYou) => ProblemCode::GroupOutranksYou,
            Self::OutranksYou(Refusal::BreakGlassNeedsFullAdministration) => {
                ProblemCode::BreakGlassNeedsFullAdministration
            }
            Self::NotFound => ProblemCode::NotFound,
            Self::PayloadTooLarge { .. } => ProblemCode::PayloadTooLarge,
            Self::UriTooLong => ProblemCode::UriTooLong,
            Self::BodyTimeout => ProblemCode::RequestTimeout,
            Self::MethodNotAllowed { .. } => ProblemCode::MethodNotAllowed,
            Self::MalformedJson(_) => ProblemCode::MalformedJson,
            Self::UnsupportedMediaType => ProblemCode::UnsupportedMediaType,
            Self::Validation(_) => ProblemCode::ValidationFailed,
            Self::TransitionNotAllowed { .. } => ProblemCode::TransitionNotAllowed,
            Self::TransitionNeedsLevel { .. } => ProblemCode::Forbidden,
            Self::Conflict { .. } => ProblemCode::Conflict,
            Self::IdempotencyKeyReused => ProblemCode::IdempotencyKeyReused,
            Self::IdempotencyKeyInUse => ProblemCode::IdempotencyKeyInUse,
            Self::PreconditionRequired => ProblemCode::PreconditionRequired,
            Self::PreconditionFailed { .. } => ProblemCode::PreconditionFailed,
            Self::NotReady => ProblemCode::NotReady,
            Self::UnsupportedFileType { .. } => ProblemCode::UnsupportedFileType,
            Self::Infected { .. } => ProblemCode::Infected,
            Self::TooLargeToScan { .. } => ProblemCode::TooLargeToScan,
            Self::ScannerUnavailable => ProblemCode::ScannerUnavailable,
            Self::DocumentQuarantined { .. } => ProblemCode::DocumentQuarantined,
            Self::DocumentDamaged(_) => ProblemCode::DocumentDamaged,
            Self::Internal(_) => ProblemCode::InternalError,
        }
    }

    fn title(&self) -> &'static str {
        match self {
            Self::Unauthenticated => "Sign in to continue",
            Self::SessionEnded(SessionEndReason::SignedInElsewhere) => {
                "You were signed out because you signed in somewhere else"
            }
            Self::SessionEnded(SessionEndReason::EndedByAdministrator) => "You were signed out by an administrator",
            Self::SessionEnded(_) => "Sign in to continue",
            Self::SessionActiveElsewhere => "You are already signed in somewhere else",
            Self::LocalSignInDisabled => "Sign in with your organisation’s Microsoft account",
            Self::InvalidCredentials => "Enter a correct email address and password",
            Self::InvalidToken(_) => "The access token was refused",
            Self::IdentityProviderUnavailable => "Entra ID could not be reached; try again shortly",
            Self::CsrfHeaderMissing(_) => "Request refused",
            Self::Forbidden => "You do not have permission to do this",
            Self::SignInLocked { .. } => "Too many wrong passwords",
            Self::RateLimited { .. } => "Too many requests",
            Self::OutranksYou(_) => "You cannot change someone who holds more permissions than you",
            Self::NotFound => "Not found",
            Self::PayloadTooLarge { .. } => "The request body is too large",
            Self::UriTooLong => "The request URL is too long",
            Self::BodyTimeout => "The request body did not arrive in time",
            Self::MethodNotAllowed { .. } => "Method not allowed",
            Self::MalformedJson(_) => "The request body is not valid JSON",
            Self::UnsupportedMediaType => "Send the request body as application/json",
            Self::Validation(_) => "There is a problem with the information you gave",
            Self::TransitionNotAllowed { .. } => "The query cannot move to this status from where it is",
            Self::TransitionNeedsLevel { .. } => "You do not have permission to make this change of status",
            Self::Conflict { .. } => "This conflicts with something that already exists",
            Self::IdempotencyKeyReused => "This Idempotency-Key was used for a different request",
            Self::IdempotencyKeyInUse => "A request with this Idempotency-Key is still being processed",
            Self::PreconditionRequired => "Send the record's ETag in an If-Match header to change it",
            Self::PreconditionFailed { .. } => "Someone else has changed this record since you opened it",
            Self::NotReady => "The service is not ready",
            Self::UnsupportedFileType { .. } => "This kind of file cannot be attached",
            Self::Infected { .. } => "A virus was found in the file; it has not been kept",
            Self::TooLargeToScan { .. } => "The file is too large to be checked for viruses; it has not been kept",
            Self::ScannerUnavailable => "Files cannot be checked for viruses just now; try again shortly",
            Self::DocumentQuarantined { .. } => "This document is quarantined: a virus was found in it",
            Self::DocumentDamaged(_) => "The stored document failed its integrity check",
            Self::Internal(_) => "Something went wrong",
        }
    }

    fn detail(&self) -> Option<String> {
        match self {
            Self::CsrfHeaderMissing(header) => {
                Some(format!("Browser requests that change data must send the {header} header"))
            }
            Self::MalformedJson(detail)
            | Self::Conflict { detail, .. }
            | Self::TransitionNotAllowed { detail, .. }
            | Self::TransitionNeedsLevel { detail } => Some(detail.clone()),
            Self::InvalidToken(reason) => Some(format!("The token was refused: {reason}")),
            Self::LocalSignInDisabled => {
                Some("Your organisation allows password sign-in only for emergency (break-glass) accounts".into())
            }
            Self::SessionActiveElsewhere => Some(
                "Sign out there first, or wait until that session has been idle long enough to end; an administrator can also end it"
                    .into(),
            ),
            Self::SignInLocked { retry_after_secs, locked_out: true } => Some(format!(
                "Your account is locked for {} minutes after repeated wrong passwords; try again then, or ask an administrator",
                (retry_after_secs + 59) / 60
            )),
            Self::SignInLocked { retry_after_secs, locked_out: false } => {
                Some(format!("Wait {retry_after_secs} seconds before trying again"))
            }
            Self::RateLimited { retry_after_secs } => {
                Some(format!("Wait {retry_after_secs} seconds before sending more requests"))
            }
            Self::OutranksYou(Refusal::UserOutranksYou) => Some(
                "Their permissions exceed yours: only someone holding at least the same can change them, disable them or end their sessions".into(),
            ),
            Self::OutranksYou(Refusal::GroupOutranksYou) => {
                Some("This group grants more than you hold: only someone holding all of it can change or delete it".into())
            }
            Self::OutranksYou(Refusal::BreakGlassNeedsFullAdministration) => {
                Some("Marking an account break-glass needs the administration area at full".into())
            }
            Self::PayloadTooLarge { limit_bytes } => {
                Some(format!("Send at most {} KiB in one request", limit_bytes / 1024))
            }
            Self::PreconditionFailed { current } => {
                Some(format!("The current version is {current} (also in the ETag header); reload and try again"))
            }
            Self::UnsupportedFileType { file, .. } => Some(format!(
                "{file} is not a kind of file accepted here: attach PDFs, pictures, office documents, plain text or zip files"
            )),
            Self::Infected { file, signature, .. } => {
                Some(format!("The virus scanner found {signature} in {file}. Nothing was uploaded."))
            }
            Self::TooLargeToScan { file, .. } => Some(format!(
                "{file} is larger than the virus scanner checks whole. Nothing was uploaded; split or compress it."
            )),
            Self::ScannerUnavailable => {
                Some("Nothing was uploaded: every file is checked for viruses before it is kept".into())
            }
            Self::DocumentQuarantined { signature } => Some(format!(
                "A later virus check found {signature} in it; it is kept for investigation and cannot be downloaded"
            )),
            Self::DocumentDamaged(_) => Some(
                "None of it was sent. The error has been logged; quote the X-Request-Id header to support".into(),
            ),
            Self::Internal(_) => Some("The error has been logged; quote the X-Request-Id header to support".into()),
            _ => None,
        }
    }

    fn field_errors(&self) -> Vec<FieldProblem> {
        let problem = |field: &str, code: &str, message: &str| FieldProblem {
            field: field.to_owned(),
            code: code.to_owned(),
            message: message.to_owned(),
        };
        match self {
            Self::Validation(errors) => errors.iter().map(|e| problem(&e.field, e.code, &e.message)).collect(),
            Self::Conflict { detail, field: Some((field, code)) } => vec![problem(field, code, detail)],
            Self::TransitionNotAllowed { detail, .. } => vec![problem("status_id", "transition_not_allowed", detail)],
            Self::UnsupportedFileType { field, .. } => {
                vec![problem(
                    field,
                    "unsupported_file_type",
                    "Attach a PDF, picture, office document, text or zip file",
                )]
            }
            Self::Infected { field, signature, .. } => vec![problem(field, "infected", signature)],
            Self::TooLargeToScan { field, .. } => {
                vec![problem(field, "too_large_to_scan", "Larger than the virus scanner checks")]
            }
            Self::IdempotencyKeyReused => {
                vec![problem("Idempotency-Key", "idempotency_key_reused", "Use a new key for a different request")]
            }
            _ => vec![],
        }
    }
}

impl ApiError {
    /// The problem document this error is answered with (also one item's outcome in a bulk change).
    pub fn problem(&self) -> Problem {
        Problem {
            kind: self.code().type_uri(),
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail: self.detail(),
            code: self.code(),
            errors: self.field_errors(),
            allowed_status_ids: match self {
                Self::TransitionNotAllowed { allowed, .. } => Some(allowed.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Unauthenticated | Self::InvalidCredentials | Self::SessionEnded(_) | Self::InvalidToken(_) => {
                StatusCode::UNAUTHORIZED
            }
            Self::IdentityProviderUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::SessionActiveElsewhere => StatusCode::CONFLICT,
            Self::LocalSignInDisabled => StatusCode::FORBIDDEN,
            Self::CsrfHeaderMissing(_) | Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::OutranksYou(_) => StatusCode::FORBIDDEN,
            Self::PayloadTooLarge { .. } | Self::TooLargeToScan { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UriTooLong => StatusCode::URI_TOO_LONG,
            Self::BodyTimeout => StatusCode::REQUEST_TIMEOUT,
            Self::SignInLocked { .. } => StatusCode::TOO_MANY_REQUESTS,
            Self::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            Self::MalformedJson(_) => StatusCode::BAD_REQUEST,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) | Self::TransitionNotAllowed { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::TransitionNeedsLevel { .. } => StatusCode::FORBIDDEN,
            Self::Conflict { .. } => StatusCode::CONFLICT,
            Self::IdempotencyKeyReused => StatusCode::UNPROCESSABLE_ENTITY,
            Self::IdempotencyKeyInUse => StatusCode::CONFLICT,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::PreconditionFailed { .. } => StatusCode::PRECONDITION_FAILED,
            Self::NotReady | Self::ScannerUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::UnsupportedFileType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Infected { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            Self::DocumentQuarantined { .. } => StatusCode::CONFLICT,
            Self::Internal(_) | Self::DocumentDamaged(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let Self::Internal(error) | Self::DocumentDamaged(error) = self {
            // The chain may name tables or queries; it stays in the log.
            tracing::error!(error = %error, source = ?error.source(), "request failed");
        }
        let status = self.status_code();
        let body = self.problem();
        let mut response = HttpResponse::build(status);
        response.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        if let Self::MethodNotAllowed { allow } = self {
            response.insert_header((header::ALLOW, allow.join(", ")));
        }
        if let Self::PreconditionFailed { current } = self {
            response.insert_header((header::ETAG, format!("\"{current}\"")));
        }
        if let Self::SignInLocked { retry_after_secs, .. } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::RateLimited { retry_after_secs } = self {
            response.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
        }
        if let Self::BodyTimeout = self {
            response.insert_header((header::CONNECTION, "close"));
        }
        if matches!(self, Self::Unauthenticated | Self::SessionEnded(_)) {
            response.insert_header((header::WWW_AUTHENTICATE, "Cookie realm=\"casedesk\""));
        }
        if let Self::InvalidToken(_) = self {
            // RFC 6750: the scheme and the error, not the reason (that is in the body).
            response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"casedesk\", error=\"invalid_token\""));
        }
        response.body(serde_json::to_string(&body).unwrap_or_default())
    }
}

impl From<ValidationErrors> for ApiError {
    fn from(errors: ValidationErrors) -> Self {
        Self::Validation(errors.0)
    }
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::NotFound => Self::NotFound,
            StorageError::VersionMismatch { current } => Self::PreconditionFailed { current },
            StorageError::Conflict(conflict) => conflict.into(),
            StorageError::UnknownReference { field } => Self::Validation(vec![domain::FieldError::new(
                field,
                "unknown_reference",
                "Choose one that exists and is in use",
            )]),
            StorageError::Transition(refusal) => refusal.into(),
            StorageError::Backend(source) => Self::Internal(source),
        }
    }
}

impl From<Conflict> for ApiError {
    fn from(conflict: Conflict) -> Self {
        let taken = |field: &'static str, detail: &str| Self::Conflict {
            detail: detail.to_owned(),
            field: Some((field, "already_exists")),
        };
        let refused = |detail: &str| Self::Conflict { detail: detail.to_owned(), field: None };
        match conflict {
            Conflict::SessionActiveElsewhere => Self::SessionActiveElsewhere,
            Conflict::EmailTaken => taken("email", "A user with this email address already exists"),
            Conflict::OrganisationSlugTaken => taken("slug", "An organisation with this short name already exists"),
            Conflict::TeamNameTaken => taken("name", "A team with this name already exists"),
            Conflict::GroupNameTaken => taken("name", "A group with this name already exists"),
            Conflict::QueryTypeNameTaken => taken("name", "A query type with this name already exists here"),
            Conflict::ViewNameTaken => taken("name", "You already have a view with this name"),
            Conflict::CalendarNameTaken => taken("name", "A calendar with this name already exists"),
            Conflict::SlaPolicyNameTaken => taken("name", "A service-level policy with this name already exists"),
            Conflict::StatusNameTaken => taken("name", "A status with this name already exists"),
            Conflict::StatusInUse => {
                refused("A current workflow uses this status: take it out of each workflow first, then retire it")
            }
            Conflict::WorkflowTypeTaken => taken("query_type_id", "This query type already has its own workflow"),
            Conflict::JobNotFailed => refused("Only a failed job can be retried; this one is not failed"),
            Conflict::PartyRoleTaken => taken("role", "This customer already has this role on the query"),
            Conflict::EntraDirectoryTaken => {
                taken("directory_id", "Another organisation here already signs in with this Entra directory")
            }
            Conflict::EntraMappingTaken => taken("value", "This group or role is already mapped to this group"),
            Conflict::BuiltinGroupGrants => Self::Conflict {
                detail: "A built-in group keeps its permissions; create a group for other permissions".into(),
                field: Some(("grants", "builtin_group")),
            },
            Conflict::BuiltinGroupDeleted => refused("A built-in group cannot be deleted"),
            Conflict::LastAdministrator => {
                refused("This would leave no active administrator; make someone else an administrator first")
            }
            Conflict::GroupRestrictsQueries => {
                refused("This group restricts who may see some queries; lift those restrictions before deleting it")
            }
            Conflict::Duplicate { .. } => refused("The record already exists"),
        }
    }
}

impl From<domain::workflow::Refusal> for ApiError {
    fn from(refusal: domain::workflow::Refusal) -> Self {
        use domain::workflow::Refusal;
        match refusal {
            Refusal::NotAllowed { from, to, allowed } => {
                let names: Vec<&str> = allowed.iter().map(|(_, name)| name.as_str()).collect();
                let detail = if names.is_empty() {
                    format!("A query in {from} cannot move to {to}, or to any other status")
                } else {
                    format!("A query in {from} cannot move to {to}; it can move to {}", names.join(", "))
                };
                Self::TransitionNotAllowed { detail, allowed: allowed.iter().map(|(id, _)| id.as_uuid()).collect() }
            }
            Refusal::NeedsLevel { from, to, level } => Self::TransitionNeedsLevel {
                detail: format!(
                    "Moving a query from {from} to {to} needs the queries area at {}",
                    level.as_str().replace('_', "-")
                ),
            },
            Refusal::Fields(errors) => errors.into(),
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
