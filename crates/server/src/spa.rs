//! The Leptos SPA and its assets, embedded from `dist/` (built by scripts/build-frontend.sh).
//! Debug builds read `dist/` from disk, so a rebuilt frontend shows without a server rebuild.

use actix_web::{
    HttpRequest, HttpResponse,
    http::header::{self, HeaderValue},
};
use rust_embed::Embed;

#[derive(Embed)]
#[folder = "../../dist/"]
#[allow_missing = true]
struct Dist;

const INDEX: &str = "index.html";

/// Warns at start-up when the binary has no SPA, instead of serving 404s silently.
pub fn check_embedded() {
    if Dist::get(INDEX).is_none() {
        tracing::warn!("the SPA is not built (no dist/index.html): run scripts/build-frontend.sh");
    }
}

/// Serves a file, or `index.html` for a client-side route (a last segment without a dot),
/// so deep links like `/users` load the SPA; anything else that is missing is 404.
pub fn serve(req: &HttpRequest) -> HttpResponse {
    let path = req.path().trim_start_matches('/');
    let last = path.rsplit('/').next().unwrap_or_default();
    let name = if path.is_empty() || !last.contains('.') { INDEX } else { path };
    let Some(file) = Dist::get(name) else {
        return if name == INDEX {
            HttpResponse::ServiceUnavailable().content_type("text/plain").body("The web app is not built.")
        } else {
            HttpResponse::NotFound().content_type("text/plain").body("Not found")
        };
    };
    let etag = format!("\"{}\"", hex::encode(&file.metadata.sha256_hash()[..16]));
    if req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()) == Some(etag.as_str()) {
        return HttpResponse::NotModified().insert_header((header::ETAG, etag)).finish();
    }
    let mut response = HttpResponse::Ok();
    response
        .insert_header((header::CONTENT_TYPE, file.metadata.mimetype()))
        .insert_header((header::ETAG, etag))
        // File names are not content-hashed, so revalidate on every use (cheap with the ETag).
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header((header::VARY, "Accept-Encoding"));
    if let Some((encoding, body)) = precompressed(req, name) {
        response.insert_header((header::CONTENT_ENCODING, HeaderValue::from_static(encoding)));
        return response.body(body);
    }
    response.body(file.data.into_owned())
}

/// A `.br` or `.gz` twin built at build time, when the client accepts it.
fn precompressed(req: &HttpRequest, name: &str) -> Option<(&'static str, Vec<u8>)> {
    let accepts = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    [("br", "br"), ("gzip", "gz")].into_iter().find_map(|(encoding, suffix)| {
        if !accepts.split(',').any(|a| a.trim().split(';').next() == Some(encoding)) {
            return None;
        }
        Dist::get(&format!("{name}.{suffix}")).map(|f| (encoding, f.data.into_owned()))
    })
}
