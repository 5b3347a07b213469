//! A JSON body extractor whose errors are problem+json: malformed JSON is 400; a missing or
//! mistyped field is 422 naming the field by its JSON path.

use crate::problem::ApiError;
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use domain::FieldError;
use futures_util::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

#[derive(Debug)]
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for ValidJson<T> {
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
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_json {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = body.await.map_err(|_| ApiError::MalformedJson("The body could not be read".into()))?;
            parse(&bytes).map(ValidJson)
        })
    }
}

/// Syntax first (400: the body is not JSON at all), then shape (422: it is JSON, but a field
/// is missing or of the wrong type), so clients can tell a broken client from bad input.
fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::MalformedJson(format!("line {}, column {}", e.line(), e.column())))?;
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        ApiError::Validation(vec![field_error(&path, &error.into_inner().to_string())])
    })
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

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Body {
        email: String,
        inner: Option<Inner>,
    }
    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
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
    fn broken_json_is_malformed() {
        for body in [&b"{"[..], b"", b"{\"email\": \"a\"} trailing", b"not json"] {
            assert!(matches!(parse::<Body>(body), Err(ApiError::MalformedJson(_))), "{body:?}");
        }
    }
}
