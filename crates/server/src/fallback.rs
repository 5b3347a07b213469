//! What answers when no route matched: routing comes before authentication, so an unknown
//! API path is 404 for anyone, and a known path with another method is 405.

use crate::{problem::ApiError, spa, state::AppState};
use actix_web::{HttpRequest, HttpResponse, ResponseError, http::Method, web};

pub async fn fallback(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let path = req.path();
    if path == "/api" || path.starts_with("/api/") || path == "/healthz" || path == "/readyz" {
        let allow = allowed_methods(&state.operations, path);
        return if allow.is_empty() { ApiError::NotFound } else { ApiError::MethodNotAllowed { allow } }
            .error_response();
    }
    if req.method() != Method::GET && req.method() != Method::HEAD {
        return ApiError::MethodNotAllowed { allow: vec!["GET".into(), "HEAD".into()] }.error_response();
    }
    spa::serve(&req)
}

/// What answers when a route matched but its path parameter did not parse: usually 404 (no
/// such record), but a path that is itself a documented literal path, like
/// `PUT /customers/duplicate-check` reaching `PUT /customers/{id}`, is that path with a method
/// it does not take: 405 with the methods it does.
pub fn unreadable_path(req: &HttpRequest) -> actix_web::Error {
    let state = req.app_data::<web::Data<AppState>>();
    match state.and_then(|state| literal_methods(&state.operations, req.path())) {
        Some(allow) => ApiError::MethodNotAllowed { allow }.into(),
        None => ApiError::NotFound.into(),
    }
}

/// The methods of a documented path written without parameters, if `path` is one: a literal
/// path is itself, whatever a templated sibling takes (`/customers/duplicate-check` beside
/// `/customers/{id}`).
fn literal_methods(operations: &[(String, Vec<String>)], path: &str) -> Option<Vec<String>> {
    let path = path.trim_end_matches('/');
    operations.iter().find(|(template, _)| template == path).map(|(_, methods)| methods.clone())
}

/// The methods documented for a concrete path, matching `{param}` segments to anything.
fn allowed_methods(operations: &[(String, Vec<String>)], path: &str) -> Vec<String> {
    if let Some(methods) = literal_methods(operations, path) {
        return methods;
    }
    let path = path.trim_end_matches('/');
    let segments: Vec<&str> = path.split('/').collect();
    operations
        .iter()
        .filter(|(template, _)| {
            let parts: Vec<&str> = template.split('/').collect();
            parts.len() == segments.len()
                && parts.iter().zip(&segments).all(|(t, s)| (t.starts_with('{') && !s.is_empty()) || t == s)
        })
        .flat_map(|(_, methods)| methods.iter().cloned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_match_by_segment() {
        let ops = vec![
            ("/api/v1/users".to_owned(), vec!["GET".to_owned(), "POST".to_owned()]),
            ("/api/v1/users/{id}".to_owned(), vec!["GET".to_owned()]),
        ];
        assert_eq!(allowed_methods(&ops, "/api/v1/users"), ["GET", "POST"]);
        assert_eq!(allowed_methods(&ops, "/api/v1/users/abc"), ["GET"]);
        assert!(allowed_methods(&ops, "/api/v1/users/abc/x").is_empty());
        assert!(allowed_methods(&ops, "/api/v1/nope").is_empty());
        let ops = vec![
            ("/api/v1/customers/{id}".to_owned(), vec!["GET".to_owned(), "PUT".to_owned()]),
            ("/api/v1/customers/duplicate-check".to_owned(), vec!["POST".to_owned()]),
        ];
        assert_eq!(allowed_methods(&ops, "/api/v1/customers/duplicate-check"), ["POST"]);
    }
}
