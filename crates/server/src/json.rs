//! A JSON body extractor whose errors are problem+json: malformed JSON is 400, too large 413,
//! too slow 408, not JSON 415; a missing or mistyped field, or text that must not be stored,
//! is 422 naming the field by its JSON path.

use crate::{auth::Principal, problem::ApiError, state::AppState};
use actix_web::{FromRequest, HttpRequest, dev::Payload, error, http::header, web};
use api_types::SESSION_COOKIE;
use domain::FieldError;
use futures_util::future::LocalBoxFuture;
use serde::{Serialize, de::DeserializeOwned};
use std::time::Duration;

#[derive(Debug)]
pub struct ValidJson<T>(pub T);

/// The most a JSON body may hold (actix's default payload limit).
const BODY_LIMIT: usize = 256 * 1024;

impl<T: DeserializeOwned + Serialize + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<mime_guess::mime::Mime>().ok())
            .is_some_and(|m| {
                m.type_() == "application" && (m.subtype() == "json" || m.suffix() == Some(mime_guess::mime::JSON))
            });
        let declared_length = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok());
        let timeout = req
            .app_data::<web::Data<AppState>>()
            .map_or(Duration::from_secs(10), |state| Duration::from_secs(state.settings.body_timeout_secs));
        let body = web::Bytes::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let parsed = async {
                if !is_json {
                    return Err(ApiError::UnsupportedMediaType);
                }
                if declared_length.is_some_and(|length| length > BODY_LIMIT) {
                    return Err(ApiError::PayloadTooLarge { limit_bytes: BODY_LIMIT });
                }
                // A body that trickles in would hold the connection (and a worker's memory) open.
                let bytes = tokio::time::timeout(timeout, body).await.map_err(|_| ApiError::BodyTimeout)?;
                let bytes = bytes.map_err(|error| match error.as_error::<error::PayloadError>() {
                    Some(error::PayloadError::Overflow) => ApiError::PayloadTooLarge { limit_bytes: BODY_LIMIT },
                    _ => ApiError::MalformedJson("The body could not be read".into()),
                })?;
                parse(&bytes)
            };
            match parsed.await {
                Ok(value) => Ok(ValidJson(value)),
                Err(refused) => Err(credential_refusal(&req).await.unwrap_or(refused)),
            }
        })
    }
}

/// A request whose credentials are present but no good is told so (401) before anything about
/// its body: the body is only worth checking for someone who may send it. Sign-in itself is
/// exempt, since a stale cookie there must not hide the form's own errors.
async fn credential_refusal(req: &HttpRequest) -> Option<ApiError> {
    let has_credential = req.headers().contains_key(header::AUTHORIZATION) || req.cookie(SESSION_COOKIE).is_some();
    if !has_credential || req.path().starts_with("/api/v1/auth/") {
        return None;
    }
    match Principal::from_request(req, &mut Payload::None).await {
        Err(refusal @ (ApiError::Unauthenticated | ApiError::SessionEnded(_) | ApiError::InvalidToken(_))) => {
            Some(refusal)
        }
        _ => None,
    }
}

/// Syntax first (400: the body is not JSON at all), then shape (422: it is JSON, but a field is
/// missing or of the wrong type), then text that must not be stored, so clients can tell a
/// broken client from bad input. Text is judged in the fields the server reads, as it re-reads
/// them: properties it does not know are ignored, as everywhere else, not refused for their
/// content.
fn parse<T: DeserializeOwned + Serialize>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::MalformedJson(format!("line {}, column {}", e.line(), e.column())))?;
    // serde would fill a struct from an array by position; every body here is an object.
    if !value.is_object() {
        return Err(ApiError::Validation(vec![FieldError::new("", "invalid_type", "Send a JSON object")]));
    }
    let typed: T = serde_path_to_error::deserialize(value.clone()).map_err(|error| {
        let path = error.path().to_string();
        ApiError::Validation(vec![field_error(&path, &error.into_inner().to_string())])
    })?;
    let mut refused = vec![];
    if let Ok(known) = serde_json::to_value(&typed) {
        check_objects(&value, &known, "", &mut refused);
        check_text(&known, "", false, &mut refused);
    }
    if refused.is_empty() { Ok(typed) } else { Err(ApiError::Validation(refused)) }
}

/// Fields whose text may run over several lines (and so may hold newlines and tabs).
pub(crate) const MULTI_LINE: [&str; 7] =
    ["description", "body", "message", "notes", "contact_needs", "resolution_summary", "reason"];

/// Refuses, field by field, text that should never be stored: control characters (newline,
/// carriage return and tab only in multi-line fields), byte-order marks, and bidirectional
/// embeddings, overrides and isolates, which can make stored text read differently from what it
/// holds. PostgreSQL cannot store NUL at all, so refusing it here makes both backends alike.
fn check_text(value: &serde_json::Value, path: &str, multi_line: bool, refused: &mut Vec<FieldError>) {
    match value {
        serde_json::Value::String(text) if text.chars().any(|c| is_refused(c, multi_line)) => {
            let message = if multi_line {
                "Remove control characters, byte-order marks and text-direction controls"
            } else {
                "Remove line breaks, tabs, control characters, byte-order marks and text-direction controls"
            };
            refused.push(FieldError::new(path.to_owned(), "invalid_characters", message));
        }
        serde_json::Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                check_text(item, &format!("{path}[{index}]"), multi_line, refused);
            }
        }
        serde_json::Value::Object(fields) => {
            for (name, field) in fields {
                let child = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                check_text(field, &child, MULTI_LINE.contains(&name.as_str()), refused);
            }
        }
        _ => {}
    }
}

/// The same for nested objects: wherever the body gave an array and the typed value is an
/// object, serde filled a struct by position (`"conditions": []`), which the schema forbids.
fn check_objects(given: &serde_json::Value, typed: &serde_json::Value, path: &str, refused: &mut Vec<FieldError>) {
    use serde_json::Value::{Array, Object};
    match (given, typed) {
        (Array(_), Object(_)) => refused.push(FieldError::new(path.to_owned(), "invalid_type", "Send a JSON object")),
        (Object(given), Object(typed)) => {
            for (name, field) in given {
                if let Some(known) = typed.get(name) {
                    let child = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
                    check_objects(field, known, &child, refused);
                }
            }
        }
        (Array(given), Array(typed)) => {
            for (index, (field, known)) in given.iter().zip(typed).enumerate() {
                check_objects(field, known, &format!("{path}[{index}]"), refused);
            }
        }
        _ => {}
    }
}

fn is_refused(c: char, multi_line: bool) -> bool {
    match c {
        '\n' | '\r' | '\t' => !multi_line,
        '\u{feff}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' => true,
        c => c.is_control(),
    }
}

/// serde reports a missing field on its parent ("missing field `email`"), so join the two.
fn field_error(path: &str, message: &str) -> FieldError {
    let parent = if path == "." { "" } else { path };
    if let Some(name) = message.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        let field = if parent.is_empty() { name.to_owned() } else { format!("{parent}.{name}") };
        return FieldError::new(field, "required", "Enter a value");
    }
    let message = message.split(" at line ").next().unwrap_or(message);
    FieldError::new(parent.to_owned(), "invalid_type", format!("The value is not valid: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, Serialize)]
    struct Body {
        email: String,
        inner: Option<Inner>,
        #[serde(default)]
        description: Option<String>,
        #[serde(default)]
        message: Option<String>,
        #[serde(default)]
        lines: Vec<String>,
    }
    #[derive(Debug, Deserialize, Serialize)]
    struct Inner {
        count: u32,
    }

    fn fields(result: Result<Body, ApiError>) -> Vec<(String, &'static str)> {
        match result {
            Err(ApiError::Validation(errors)) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn missing_and_mistyped_fields_are_named() {
        assert_eq!(fields(parse(br#"{}"#)), [("email".to_owned(), "required")]);
        assert_eq!(fields(parse(br#"{"email": 5}"#)), [("email".to_owned(), "invalid_type")]);
        assert_eq!(
            fields(parse(br#"{"email": "a", "inner": {"count": -1}}"#)),
            [("inner.count".to_owned(), "invalid_type")]
        );
        assert_eq!(fields(parse(br#"{"email": "a", "inner": {}}"#)), [("inner.count".to_owned(), "required")]);
    }

    #[test]
    fn text_that_should_not_be_stored_is_refused_by_field() {
        let body = br#"{"email": "a\u0000", "inner": {"count": 1}, "description": "two\nlines\tok", "lines": ["ok", "\ufeffx"]}"#;
        let refused = fields(parse(body));
        assert_eq!(
            refused,
            [("email".to_owned(), "invalid_characters"), ("lines[1]".to_owned(), "invalid_characters")]
        );
        for bad in [r"\u202e", r"\u2066", r"\u0007", r"\u007f", r"\u0085", r"a\nb", r"\t"] {
            let body = format!(r#"{{"email": "{bad}"}}"#);
            assert_eq!(fields(parse(body.as_bytes())), [("email".to_owned(), "invalid_characters")], "{bad}");
        }
        assert_eq!(
            fields(parse(br#"{"email": "x", "message": "\u0000"}"#)),
            [("message".to_owned(), "invalid_characters")]
        );
        let fine = parse::<Body>("{\"email\": \"Zoë O’Brien – 日本 👍\"}".as_bytes());
        assert!(fine.is_ok(), "{fine:?}");
    }

    #[test]
    fn properties_the_server_does_not_read_are_ignored_whatever_they_hold() {
        let body = br#"{"email": "a", "unknown": "\u0000", "other": {"x\u0007": ["\ufeff"]}}"#;
        let parsed = parse::<Body>(body);
        assert!(parsed.as_ref().is_ok_and(|b| b.email == "a"), "{parsed:?}");
    }

    #[test]
    fn a_body_must_be_an_object() {
        assert_eq!(fields(parse(br#"["a", null]"#)), [(String::new(), "invalid_type")]);
        assert_eq!(fields(parse(br#""a""#)), [(String::new(), "invalid_type")]);
        // serde would fill a nested struct from an array by position too.
        assert_eq!(fields(parse(br#"{"email": "a", "inner": [3]}"#)), [("inner".to_owned(), "invalid_type")]);
    }

    #[test]
    fn broken_json_is_malformed() {
        for body in [&b"{"[..], b"", b"{\"email\": \"a\"} trailing", b"not json"] {
            assert!(matches!(parse::<Body>(body), Err(ApiError::MalformedJson(_))), "{body:?}");
        }
    }
}
