//! Security and cache headers on every response, chosen by path.

use actix_web::http::header::{self, HeaderMap, HeaderName, HeaderValue};

/// The SPA: scripts only from this origin, plus WebAssembly compilation (which Leptos needs);
/// no inline script or style; nothing from elsewhere.
pub const SPA_CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; \
    img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";
/// Swagger UI (`/docs/swagger/`) sets inline styles; it gets its own, slightly looser policy.
pub const DOCS_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
    img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
    frame-ancestors 'none'; form-action 'self'";
/// JSON responses never render, so nothing may load from them.
pub const API_CSP: &str = "default-src 'none'; frame-ancestors 'none'";
/// A document shown in the SPA's preview (a PDF in a frame, a picture): it may be framed by the
/// app and render itself (the browser's PDF viewer), and load nothing from anywhere.
pub const PREVIEW_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; \
    object-src 'self'; frame-ancestors 'self'";

pub const REQUEST_ID: &str = "x-request-id";

fn is_api(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/") || path == "/healthz" || path == "/readyz"
}

pub fn apply(path: &str, request_id: Option<String>, headers: &mut HeaderMap) {
    let csp = if is_api(path) {
        API_CSP
    } else if path.starts_with("/docs/swagger/") {
        DOCS_CSP
    } else {
        SPA_CSP
    };
    // A document preview sets its own, narrower framing rules (`documents::outlet`).
    let preview = headers.get(header::CONTENT_SECURITY_POLICY).is_some_and(|v| v == PREVIEW_CSP);
    if !preview {
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
    }
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static(if preview { "SAMEORIGIN" } else { "DENY" }));
    headers.insert(HeaderName::from_static("cross-origin-opener-policy"), HeaderValue::from_static("same-origin"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    // API answers carry personal data: never store them in any cache. Static files set their
    // own (revalidate on every use, with an ETag).
    if is_api(path) || !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if let Some(id) = request_id.and_then(|id| HeaderValue::from_str(&id).ok()) {
        headers.insert(HeaderName::from_static(REQUEST_ID), id);
    }
}
