//! Signing in and out, and who is signed in.

use super::{Params, at, http};
use api_types::{AuthOptions, Me, Problem, SignInRequest};

/// `GET /me`: the signed-in user, their tenant and permissions.
pub async fn me() -> Result<Me, Problem> {
    http::get(&at("me")).await
}

/// `GET /auth/options`: which ways of signing in this deployment offers.
pub async fn options() -> Result<AuthOptions, Problem> {
    http::get(&at("auth/options")).await
}

/// `POST /auth/sign-in` with an email address and password.
pub async fn sign_in(request: &SignInRequest) -> Result<Me, Problem> {
    http::post(&at("auth/sign-in"), request).await
}

/// `POST /auth/sign-out`.
pub async fn sign_out() -> Result<(), Problem> {
    http::post_empty(&at("auth/sign-out")).await
}

/// Where the browser goes to sign in with Entra ID: a real navigation, not a fetch (the server
/// sends the browser on to Microsoft and back).
pub fn entra_start_href(params: Params) -> String {
    format!("{}{}", at("auth/entra/start"), params.encoded())
}

/// The address Entra ID sends the browser back to, for an app registration at `origin`.
pub fn entra_callback_url(origin: &str) -> String {
    format!("{origin}{}", at("auth/entra/callback"))
}
