//! Session tokens and the cookie that carries them. The cookie holds 256 random bits; the
//! database holds only their SHA-256, so a copy of the database cannot be used to sign in.

use actix_web::{
    cookie::{Cookie, SameSite, time::Duration},
    http::header::{self, HeaderMap},
};
use api_types::SESSION_COOKIE;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// A new random token, as it goes in the cookie.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// HttpOnly (no script can read it), Secure and `__Host-` (this host only, TLS only, except
/// that browsers accept it on http://localhost), SameSite=Strict (never sent cross-site).
pub fn session_cookie(token: String) -> Cookie<'static> {
    Cookie::build(SESSION_COOKIE, token).path("/").secure(true).http_only(true).same_site(SameSite::Strict).finish()
}

pub fn removal_cookie() -> Cookie<'static> {
    let mut cookie = session_cookie(String::new());
    cookie.set_max_age(Duration::ZERO);
    cookie
}

/// The secret of an `Authorization: Bearer` header, if the request has one (an API token or an
/// Entra access token).
pub fn bearer_secret(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, secret) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| secret.trim().to_owned())
}
